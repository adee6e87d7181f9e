import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Command, OfdCodecError, decodeMessage, decodeRequest, decodeResponse, encodeMessage, encodeRequest, encodeResponse } from './codec.ts';
import { fromDateTime, fromMoney, toDateTime, toMoney } from './convert.ts';
import { buildCloseShift, buildInfo, buildMoneyPlacement, buildSystem, buildXReport } from './build.ts';
import type { RequestMsg } from './codec.ts';

const GS = '\x1d';
const STAMP = `0104600439931256215Kcz+sHv4vb_E${GS}91EE06${GS}92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;

/** A COMMAND_TICKET as src/sync/ticket.ts builds it (the ticket payload has its tests there). */
function sampleTicket(): RequestMsg {
  return {
    command: Command.TICKET,
    ticket: {
      operation: 2, operator: { code: 7, name: 'Aigerim' },
      date_time: { date: { year: 2025, month: 3, day: 2 }, time: { hour: 0, minute: 30, second: 5 } },
      items: [
        { type: 1, commodity: { name: 'Cigarettes', section_code: '1', quantity: 1000, price: { bills: 1250, coins: 50 }, sum: { bills: 1250, coins: 50 }, excise_stamp: STAMP, measure_unit_code: '796' } },
        { type: 1, commodity: { name: 'Bread', section_code: '1', quantity: 2500, price: { bills: 200, coins: 0 }, sum: { bills: 500, coins: 0 }, measure_unit_code: '166' } },
      ],
      payments: [{ type: 0, sum: { bills: 1750, coins: 50 } }],
      amounts: { total: { bills: 1750, coins: 50 }, taken: { bills: 2000, coins: 0 }, change: { bills: 249, coins: 50 } },
      fr_shift_number: 1, shift_document_number: 1, printed_document_number: 1,
    },
  };
}

describe('money and time', () => {
  test('minor units <-> Money without floats', () => {
    assert.deepEqual(toMoney(125050), { bills: 1250, coins: 50 });
    assert.deepEqual(toMoney(0), { bills: 0, coins: 0 });
    assert.equal(fromMoney({ bills: '1250', coins: 50 }), 125050);
    assert.throws(() => toMoney(1.5), /whole number of tiyn/);
    assert.throws(() => toMoney(-1), /non-negative/);
    assert.throws(() => fromMoney({ bills: '90071992547409910', coins: 0 }), /too large/);
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => fromMoney(toMoney(n)) === n));
  });

  test('UTC is sent as Kazakhstan local time (UTC+5) and comes back', () => {
    const dt = toDateTime('2025-03-01T19:30:05.000Z');
    assert.deepEqual(dt, { date: { year: 2025, month: 3, day: 2 }, time: { hour: 0, minute: 30, second: 5 } });
    assert.equal(fromDateTime(dt), '2025-03-01T19:30:05.000Z');
    assert.throws(() => toDateTime('yesterday'), /not an ISO-8601 time/);
  });
});

describe('proto2 codec', () => {
  test('required fields are on the wire, even when zero', () => {
    // Money{bills:5, coins:0}: 08 05 (field 1 varint 5) 10 00 (field 2 varint 0) — coins is required, so it is written.
    assert.deepEqual(Buffer.from(encodeMessage('Money', { bills: 5, coins: 0 })), Buffer.from('08051000', 'hex'));
    // Request{command: COMMAND_SYSTEM (0)}: 08 00.
    assert.deepEqual(Buffer.from(encodeRequest({ command: Command.SYSTEM })), Buffer.from('0800', 'hex'));
  });

  test('encoding a message without a required field is refused, naming it', () => {
    assert.throws(() => encodeMessage('Money', { bills: 5 }), (e: unknown) => e instanceof OfdCodecError && /coins/.test(e.message));
    const ticket = sampleTicket();
    const broken = structuredClone(ticket);
    delete (broken.ticket as { operator?: unknown }).operator;
    assert.throws(() => encodeRequest(broken), /operator/);
  });

  test('decoding a message missing a required field is an error', () => {
    assert.throws(() => decodeRequest(new Uint8Array(0)), (e: unknown) => e instanceof OfdCodecError && /missing required 'command'/.test(e.message));
    // Response with command only (08 01): result is required.
    assert.throws(() => decodeResponse(Buffer.from('0801', 'hex')), /missing required 'result'/);
    // Money with bills only (08 05).
    assert.throws(() => decodeMessage('Money', Buffer.from('0805', 'hex')), /missing required 'coins'/);
  });

  test('a ticket round-trips with its marking code exactly as scanned (GS included)', () => {
    const back = decodeRequest(encodeRequest(sampleTicket()));
    assert.equal(back.command, Command.TICKET);
    const t = back.ticket;
    assert.ok(t);
    assert.equal(t.operation, 2);
    assert.equal(t.items?.[0]?.commodity?.excise_stamp, STAMP);
    assert.ok(t.items?.[0]?.commodity?.excise_stamp?.includes(GS));
    assert.equal(t.items?.[1]?.commodity?.excise_stamp, undefined);
    assert.equal(t.items?.[1]?.commodity?.quantity, '2500', 'quantity is uint64 since 2.0.3 (decoded as a decimal string)');
    assert.deepEqual(t.amounts.total, { bills: '1750', coins: 50 });
    assert.equal(fromMoney(t.amounts.change ?? { bills: 0, coins: 0 }), 24950);
    assert.equal(t.printed_document_number, '1');
    assert.deepEqual(t.date_time.date, { year: 2025, month: 3, day: 2 });
  });

  test('a response round-trips, qr_code as bytes', () => {
    const bytes = encodeResponse({ command: 1, result: { result_code: 0 }, ticket: { ticket_number: '100000000001', qr_code: Buffer.from('http://x/t?i=1') } });
    const r = decodeResponse(bytes);
    assert.equal(r.ticket?.ticket_number, '100000000001');
    assert.equal(Buffer.from(r.ticket?.qr_code ?? []).toString(), 'http://x/t?i=1');
  });

  test('every builder produces a request the schema accepts, with service where required', () => {
    const at = '2025-03-01T10:00:00Z';
    const close = decodeRequest(encodeRequest(buildCloseShift({ closeTime: at, shiftNumber: 3, printedDocumentNumber: 9 })));
    assert.equal(close.command, Command.CLOSE_SHIFT);
    assert.equal(close.close_shift?.fr_shift_number, 3);
    assert.ok(close.service, 'CLOSE_SHIFT carries service (required since 1.2.5)');
    const x = decodeRequest(encodeRequest(buildXReport({ dateTime: at })));
    assert.equal(x.report?.report, 1);
    assert.ok(x.service, 'REPORT carries service');
    const mp = decodeRequest(encodeRequest(buildMoneyPlacement({ dateTime: at, operation: 'withdrawal', sum: 5000, shiftNumber: 1, printedDocumentNumber: 2 })));
    assert.equal(mp.money_placement?.operation, 1);
    assert.deepEqual(mp.money_placement?.sum, { bills: '50', coins: 0 });
    const sys = decodeRequest(encodeRequest(buildSystem({ regInfo: { kkm: { serial_number: 'S1' } }, offlinePeriod: { begin: at, end: '2025-03-01T11:00:00Z' } })));
    assert.equal(sys.service?.reg_info?.kkm?.serial_number, 'S1');
    assert.equal(sys.service?.offline_period?.end_time.time.hour, 16);
    const info = decodeRequest(encodeRequest(buildInfo()));
    assert.equal(info.command, Command.INFO);
  });
});
