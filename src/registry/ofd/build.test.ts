// measure_unit_code: "the unit code of IS ESF", mandatory above protocol 2.0.0 (protocol text,
// TicketRequest.Item.Commodity). The checkout's unit names map to the numeric codes (every ticket
// line carries one: src/sync/ticket.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfdInputError, measureUnitCode } from './build.ts';

test('unit names map to IS ESF codes; a numeric code is kept; none means a piece', () => {
  assert.equal(measureUnitCode('pcs'), '796');
  assert.equal(measureUnitCode('kg'), '166');
  assert.equal(measureUnitCode('l'), '112');
  assert.equal(measureUnitCode('КГ'), '166');
  assert.equal(measureUnitCode('796'), '796');
  assert.equal(measureUnitCode(null), '796');
  assert.throws(() => measureUnitCode('barrel'), (e: unknown) => e instanceof OfdInputError && /unknown unit of measure 'barrel'/.test(e.message));
});
