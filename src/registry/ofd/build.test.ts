// measure_unit_code: "the unit code of IS ESF", mandatory above protocol 2.0.0 (protocol text,
// TicketRequest.Item.Commodity). The checkout's unit names map to the numeric codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfdInputError, buildTicketRequest, measureUnitCode, type TicketInput } from './build.ts';
import { decodeRequest, encodeRequest } from './codec.ts';

function ticket(units: (string | undefined)[]): TicketInput {
  return {
    operation: 'sell', dateTime: '2026-03-01T10:00:00.000Z', operator: { code: 1 },
    items: units.map((u, i) => ({ name: `item ${i}`, sectionCode: '1', quantity: 1000, price: 100, sum: 100, ...(u !== undefined ? { measureUnitCode: u } : {}) })),
    payments: [{ type: 'cash', sum: 100 * units.length }], total: 100 * units.length,
    shiftNumber: 1, shiftDocumentNumber: 1, printedDocumentNumber: 1,
  };
}

test('unit names map to IS ESF codes; a numeric code is kept; none means a piece', () => {
  assert.equal(measureUnitCode('pcs'), '796');
  assert.equal(measureUnitCode('kg'), '166');
  assert.equal(measureUnitCode('l'), '112');
  assert.equal(measureUnitCode('КГ'), '166');
  assert.equal(measureUnitCode('796'), '796');
  assert.equal(measureUnitCode(null), '796');
  assert.throws(() => measureUnitCode('barrel'), (e: unknown) => e instanceof OfdInputError && /unknown unit of measure 'barrel'/.test(e.message));
});

test('every commodity of a ticket carries measure_unit_code as the numeric code, through the wire codec', () => {
  const req = decodeRequest(encodeRequest(buildTicketRequest(ticket(['pcs', 'kg', 'l', undefined]))));
  assert.deepEqual(req.ticket?.items?.map((i) => i.commodity?.measure_unit_code), ['796', '166', '112', '796']);
});
