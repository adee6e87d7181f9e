// The fiscal ticket payload: one versioned schema, validated and built into COMMAND_TICKET. A row
// written before the payload carried a version (today's shape, no `version`) is version 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, decodeRequest, encodeRequest, fromMoney, OfdInputError } from '../registry/index.ts';
import { parseTicketPayload, ticketRequest, TicketPayloadError, TICKET_PAYLOAD_VERSION, type TicketPayloadV1 } from './ticket.ts';

const GS = '\x1d';
const STAMP = `0104600439931256215Kcz+sHv4vb_E${GS}91EE06${GS}92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;

/** A sale as the checkout writes it (src/checkout/fiscal.ts), all fields present. */
function payload(over: Partial<TicketPayloadV1> = {}): TicketPayloadV1 {
  return {
    version: 1, operation: 'sell', documentId: 'd-1', originalDocumentId: null, registerId: 'REG-1',
    dateTime: '2025-03-01T19:30:05.000Z', operator: { code: 7, name: 'Aigerim' },
    items: [
      {
        name: 'Cigarettes', sectionCode: '1', quantity: 1000, price: 125050, sum: 125050, exciseStamp: STAMP, barcode: '04600439931256', measureUnitCode: 'pcs',
        taxes: [{ taxType: 100, percent: 12000, sum: 13398, isInTotalSum: true }],
        check: { source: 'cache', requestId: null, checkedAt: '2025-03-01T19:29:00.000Z', decision: 'allow', reason: 'OK' },
      },
      { name: 'Bread', sectionCode: '1', quantity: 2500, price: 20000, sum: 50000, exciseStamp: null, barcode: null, measureUnitCode: 'kg', taxes: [], check: null },
    ],
    payments: [{ type: 'cash', sum: 175050 }], amounts: { total: 175050, taken: 200000, change: 24950 },
    shiftNumber: 1, shiftDocumentNumber: 1, printedDocumentNumber: 1, offlineTicketNumber: 1740857405, contactId: null,
    ...over,
  };
}

function refused(value: unknown, field: RegExp): void {
  assert.throws(() => parseTicketPayload(value), (e: unknown) => e instanceof TicketPayloadError && field.test(e.message), `expected a refusal matching ${field}`);
}

test('the checkout writes the current version', () => {
  assert.equal(TICKET_PAYLOAD_VERSION, 1);
  assert.equal(parseTicketPayload(payload()).version, 1);
});

test('a payload written before the version field (the old shape) is version 1 and builds the same request byte for byte', () => {
  const { version: _v, ...old } = payload();
  const parsed = parseTicketPayload(JSON.parse(JSON.stringify(old)));
  assert.equal(parsed.version, 1);
  assert.deepEqual(encodeRequest(ticketRequest(parsed)), encodeRequest(ticketRequest(parseTicketPayload(payload()))));
});

test('a line keeps which marking system answered and its time (migration 008); a line written before them still decodes, and the request is the same', () => {
  const withProvider = payload();
  const item = withProvider.items[0];
  assert.ok(item?.check);
  item.check = { ...item.check, source: 'online', requestId: 'r-1', provider: 'true-api', requestTime: '2025-03-01T19:28:59.500Z' };
  const parsed = parseTicketPayload(JSON.parse(JSON.stringify(withProvider)));
  assert.deepEqual([parsed.items[0]?.check?.provider, parsed.items[0]?.check?.requestTime], ['true-api', '2025-03-01T19:28:59.500Z']);
  const before = parseTicketPayload(payload());
  assert.equal(before.items[0]?.check?.provider, undefined, 'a row queued before migration 008 has no provider');
  refused({ ...withProvider, items: [{ ...item, check: { ...item.check, provider: 7 } }, withProvider.items[1]] }, /items\.0\.check\.provider/);
  // For people, not sent: the provider changes nothing on the wire.
  assert.deepEqual(encodeRequest(ticketRequest(parsed)), encodeRequest(ticketRequest(parseTicketPayload({ ...payload(), items: [{ ...item, check: { ...item.check, provider: null, requestTime: null } }, withProvider.items[1]] }))));
});

test('a ticket goes out with its marking code exactly as scanned (GS kept), money as bills/coins, units as IS ESF codes', () => {
  const back = decodeRequest(encodeRequest(ticketRequest(parseTicketPayload(payload()))));
  assert.equal(back.command, Command.TICKET);
  const t = back.ticket;
  assert.ok(t);
  assert.equal(t.operation, 2);
  assert.equal(t.operator.name, 'Aigerim');
  assert.equal(t.items?.[0]?.commodity?.excise_stamp, STAMP);
  assert.equal(t.items?.[0]?.commodity?.barcode, '04600439931256');
  assert.equal(t.items?.[0]?.commodity?.taxes?.[0]?.percent, 12000);
  assert.equal(t.items?.[1]?.commodity?.excise_stamp, undefined, 'null stays off the wire');
  assert.equal(t.items?.[1]?.commodity?.taxes, undefined, 'an empty tax list stays off the wire');
  assert.equal(t.items?.[1]?.commodity?.quantity, 2500);
  assert.deepEqual(t.items?.map((i) => i.commodity?.measure_unit_code), ['796', '166']);
  assert.deepEqual(t.amounts.total, { bills: '1750', coins: 50 });
  assert.equal(fromMoney(t.amounts.change ?? { bills: 0, coins: 0 }), 24950);
  assert.equal(t.printed_document_number, '1');
  assert.deepEqual(t.date_time.date, { year: 2025, month: 3, day: 2 }, 'UTC+5 wall-clock time');
  assert.equal(t.offline_ticket_number, undefined, 'an online ticket carries no offline number');
});

test('an offline ticket carries the number fixed at commit; without one it is refused', () => {
  assert.equal(ticketRequest(parseTicketPayload(payload()), { offline: true }).ticket?.offline_ticket_number, 1740857405);
  const { offlineTicketNumber: _n, ...none } = payload();
  assert.throws(() => ticketRequest(parseTicketPayload(none), { offline: true }), (e: unknown) => e instanceof TicketPayloadError && /offline ticket without offlineTicketNumber/.test(e.message));
});

test('the schema refuses an inconsistent payload, naming the field; an unknown version is refused', () => {
  refused(payload({ amounts: { total: 1 } }), /amounts\.total: total 1 differs from the sum of the lines 175050/);
  refused(payload({ dateTime: '2025-03-01 10:00' }), /dateTime: must be an ISO-8601 time/);
  refused(payload({ items: [] }), /items/);
  refused(payload({ payments: [{ type: 'cash', sum: 100000 }, { type: 'cash', sum: 75050 }] }), /one payment of each type/);
  refused(payload({ shiftNumber: 0 }), /shiftNumber/);
  refused({ ...payload(), version: 2 }, /version/);
  refused('not an object', /invalid payload/);
  assert.throws(() => ticketRequest(parseTicketPayload(payload({
    items: [{ name: 'Beer', sectionCode: '1', quantity: 1000, price: 175050, sum: 175050, measureUnitCode: 'barrel' }],
  }))), (e: unknown) => e instanceof OfdInputError && /unknown unit of measure 'barrel'/.test(e.message));
});
