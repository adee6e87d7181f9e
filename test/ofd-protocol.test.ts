/**
 * The OFD client against the emulator over real TCP on 127.0.0.1: token rotation persisted,
 * resends after drops without duplicates, results 2/8/9/15/254, offline -> reconnect -> strict
 * order. Real SQLite files in a temp dir for both sides.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOfdDocument, getOfdState, initOfdState, openDatabase, allocateOfdDocumentNumbers, reserveOfdRequest, PendingRequestError, type Db } from '../src/store/index.ts';
import { Command, OfdSalesStoppedError, assertCanSell, buildInfo, buildSystem, createOfdClient, decodeResponse, encodeFrame, encodeRequest, exchange, type OfdClient, type OfdOutcome, type RequestMsg, type ResponseMsg } from '../src/registry/index.ts';
import { startOfdEmulator, type OfdEmulator } from '../emulators/index.ts';
import { testClock } from './helpers/clock.ts';
import { ticketRequestOf } from './helpers/ticket.ts';

const GS = '\x1d';
const STAMP = `0104600439931256215Kcz+sHv4vb_E${GS}91EE06${GS}92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;
const DEVICE = 1001;
const TOKEN = 5;

let dir: string;
let emu: OfdEmulator;
let db: Db;
let seq = 0;
const clock = testClock('2025-03-01T10:00:00.000Z');

function ticket(over: { offlineTicketNumber?: number } = {}): RequestMsg {
  const n = allocateOfdDocumentNumbers(db, DEVICE, clock.now().toISOString());
  return ticketRequestOf({
    dateTime: clock.now().toISOString(),
    items: [{ name: 'Cigarettes', sectionCode: '1', quantity: 1000, price: 120000, sum: 120000, exciseStamp: `${STAMP}${n.printedDocumentNumber}` }],
    shiftNumber: n.shiftNumber, shiftDocumentNumber: n.shiftDocumentNumber, printedDocumentNumber: n.printedDocumentNumber,
    ...over,
  }, { offline: over.offlineTicketNumber !== undefined });
}

function client(over: Partial<Parameters<typeof createOfdClient>[0]> = {}): OfdClient {
  return createOfdClient({ db, host: '127.0.0.1', port: emu.port, deviceId: DEVICE, clock, transactionTimeoutMs: 1500, retryDelayMs: 10, connectTimeoutMs: 500, ...over });
}

before(() => { dir = mkdtempSync(join(tmpdir(), 'tanba-ofd-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

beforeEach(async () => {
  if (emu) await emu.close();
  if (db) db.close();
  seq++;
  clock.set('2025-03-01T10:00:00.000Z');
  emu = await startOfdEmulator({ dbPath: join(dir, `emu-${seq}.db`), devices: [{ id: DEVICE, token: TOKEN }] });
  db = openDatabase(join(dir, `tanba-${seq}.db`));
  initOfdState(db, { deviceId: DEVICE, token: TOKEN, now: clock.now().toISOString() });
});

after(async () => {
  await emu.close();
  db.close();
});

describe('OFD client <-> emulator over TCP', () => {
  test('token rotation is persisted with the accepted document, SYSTEM keeps the token', async () => {
    const c = client();
    const r1 = await c.send(ticket(), { documentKey: 'sale:1' });
    assert.equal(r1.kind, 'ok');
    const s1 = getOfdState(db, DEVICE);
    assert.ok(s1);
    assert.notEqual(s1.token, TOKEN, 'TICKET rotated the token');
    assert.equal(s1.token, emu.device(DEVICE)?.token, 'the stored token is the one the OFD expects');
    assert.equal(s1.reqNum, 1);
    assert.equal(s1.pending, null);
    const doc = getOfdDocument(db, 'sale:1');
    assert.ok(doc?.ticketNumber);
    assert.match(doc.qrUrl ?? '', new RegExp(`^http://127\\.0\\.0\\.1:${emu.port}/t\\?i=${doc.ticketNumber}&f=${DEVICE}&s=1200\\.00&t=20250301T150000$`));
    // the receipt URL really answers (same port, plain HTTP GET)
    const page = (await (await fetch(doc.qrUrl ?? '')).json()) as { ticketNumber: string; exciseStamps: string[] };
    assert.equal(page.ticketNumber, doc.ticketNumber);
    assert.equal(page.exciseStamps[0], `${STAMP}1`);
    const r2 = await c.send(buildSystem());
    assert.equal(r2.kind, 'ok');
    assert.equal(getOfdState(db, DEVICE)?.token, s1.token, 'SYSTEM never rotates');
    assert.equal(getOfdState(db, DEVICE)?.reqNum, 2);
    const r3 = await c.send(ticket());
    assert.equal(r3.kind, 'ok');
    assert.notEqual(getOfdState(db, DEVICE)?.token, s1.token);
    assert.equal(emu.documents().length, 2);
    assert.deepEqual(emu.documents().map((d) => d.exciseStamps[0]), [`${STAMP}1`, `${STAMP}2`], 'marking codes exactly as scanned, GS included');
  });

  test('dropped before processing: resent with the same token and REQNUM, one document', async () => {
    emu.updateFaults({ dropBeforeNext: 2 });
    const r = await client().send(ticket());
    assert.equal(r.kind, 'ok');
    assert.equal(emu.documents().length, 1);
    const log = emu.requests();
    assert.equal(log.length, 1, 'dropped connections never reached processing');
    assert.equal(log[0]?.reqNum, 1);
    assert.equal(log[0]?.token, TOKEN);
  });

  test('lost response (dropped after processing): the resend is a retry, no duplicate document', async () => {
    emu.updateFaults({ dropAfterNext: 1 });
    let accepted = 0;
    const r = await client().send(ticket(), { onAccepted: () => { accepted++; } });
    assert.equal(r.kind, 'ok');
    assert.equal(accepted, 1);
    assert.equal(emu.documents().length, 1, 'exactly one document');
    const log = emu.requests();
    assert.deepEqual(log.map((l) => [l.reqNum, l.token, l.replay]), [[1, TOKEN, false], [1, TOKEN, true]]);
    assert.equal(getOfdState(db, DEVICE)?.token, emu.device(DEVICE)?.token);
  });

  test('lost responses until offline, then a restarted client resends the same REQNUM: still one document', async () => {
    emu.updateFaults({ dropAfter: 1 });
    const req = ticket();
    let accepted = 0;
    const r = await client({ transactionTimeoutMs: 200 }).send(req, { onAccepted: () => { accepted++; } });
    assert.equal(r.kind, 'transient');
    const s = getOfdState(db, DEVICE);
    assert.equal(s?.pending?.reqNum, 1, 'the request stays pending with its REQNUM');
    assert.equal(s?.pending?.token, TOKEN);
    assert.ok(s?.offlineSince);
    assert.equal(emu.documents().length, 1, 'the OFD processed it once');
    emu.setFaults({});
    clock.advance(61_000);
    // a new client object = a restarted process on the same database
    const r2 = await client().send(req, { onAccepted: () => { accepted++; } });
    assert.equal(r2.kind, 'ok');
    assert.equal(accepted, 1);
    assert.equal(emu.documents().length, 1, 'no duplicate after the resend');
    assert.ok(emu.requests().every((l) => l.reqNum === 1 && l.token === TOKEN));
    assert.equal(getOfdState(db, DEVICE)?.token, emu.device(DEVICE)?.token);
  });

  test('a malformed answer and 254 are retried within the transaction time', async () => {
    emu.updateFaults({ malformedNext: 1, fail: 254, failNext: 2 });
    const r = await client().send(ticket());
    assert.equal(r.kind, 'ok');
    assert.equal(emu.documents().length, 1);
    assert.deepEqual(emu.requests().map((l) => l.result), [254, 254, 0]);
  });

  test('254 for the whole transaction time: transient, offline, nothing recorded', async () => {
    emu.updateFaults({ fail: 254, failRate: 1 });
    const r = await client({ transactionTimeoutMs: 200 }).send(ticket());
    assert.equal(r.kind, 'transient');
    assert.match(r.kind === 'transient' ? r.reason : '', /254/);
    assert.ok(getOfdState(db, DEVICE)?.offlineSince);
    assert.equal(getOfdState(db, DEVICE)?.blocked, null, '254 never blocks');
    assert.equal(emu.documents().length, 0);
  });

  test('2 (invalid token): blocked until a person enters the right token', async () => {
    db.prepare('UPDATE ofd_state SET token = 999 WHERE device_id = ?').run(DEVICE);
    const c = client();
    const r = await c.send(ticket());
    assert.deepEqual(r.kind === 'permanent' ? r.code : r.kind, 2);
    const before = emu.requests().length;
    const again = await c.send(buildSystem());
    assert.equal(again.kind, 'permanent', 'still blocked');
    assert.equal(emu.requests().length, before, 'nothing sent while blocked');
    assert.match(getOfdState(db, DEVICE)?.blocked?.text ?? '', /invalid token/);
    c.resolveBlock({ token: TOKEN });
    const ok = await c.send(ticket());
    assert.equal(ok.kind, 'ok');
    assert.equal(emu.documents().length, 1);
  });

  test('8 and 9 at the wire: same REQNUM with another token, or another command', async () => {
    const frame = (token: number, reqNum: number, req: RequestMsg): Buffer => encodeFrame({ version: 203, deviceId: DEVICE, token, reqNum }, encodeRequest(req));
    const opts = { host: '127.0.0.1', port: emu.port, connectTimeoutMs: 500, responseTimeoutMs: 1000 };
    const t = ticket();
    const first = await exchange(frame(TOKEN, 10, t), opts);
    assert.equal(decodeResponse(first.payload).result.result_code, 0);
    const rotated = first.header.token;
    assert.notEqual(rotated, TOKEN);
    const r8 = await exchange(frame(rotated, 10, t), opts);
    assert.equal(decodeResponse(r8.payload).result.result_code, 8);
    const r9 = await exchange(frame(TOKEN, 10, buildSystem()), opts);
    assert.equal(decodeResponse(r9.payload).result.result_code, 9);
    const replay = await exchange(frame(TOKEN, 10, t), opts);
    assert.deepEqual(Buffer.from(replay.payload), Buffer.from(first.payload), 'the retry gets the stored answer');
    assert.equal(replay.header.token, rotated);
    const r2 = await exchange(frame(TOKEN, 11, buildSystem()), opts);
    assert.equal(decodeResponse(r2.payload).result.result_code, 2, 'the old token is no longer valid');
    const r1 = await exchange(encodeFrame({ version: 203, deviceId: 4242, token: 1, reqNum: 1 }, encodeRequest(buildSystem())), opts);
    assert.equal(decodeResponse(r1.payload).result.result_code, 1, 'unknown device');
    assert.equal(emu.documents().length, 1);
  });

  test('the client blocks on 8 and 9 and keeps the message', async () => {
    const c = client();
    assert.equal((await c.send(ticket())).kind, 'ok');
    const rotated = getOfdState(db, DEVICE)?.token;
    // a restored backup: REQNUM went back but the token is current -> 8
    db.prepare('UPDATE ofd_state SET reqnum = 0').run();
    const r8 = await c.send(buildSystem());
    assert.deepEqual(r8.kind === 'permanent' ? [r8.code, /REQNUM 1/.test(r8.text)] : r8, [8, true]);
    c.resolveBlock();
    // REQNUM and token both from before the ticket, another command -> 9
    db.prepare('UPDATE ofd_state SET reqnum = 0, token = ?').run(TOKEN);
    const r9 = await c.send(buildSystem());
    assert.deepEqual(r9.kind === 'permanent' ? r9.code : r9, 9);
    assert.equal(getOfdState(db, DEVICE)?.blocked?.code, 9);
    c.resolveBlock({ token: rotated ?? 0 });
    assert.equal((await c.send(buildSystem())).kind, 'ok');
  });

  test('15 (server block): only SYSTEM with reg_info is sent until the OFD answers OK; sales stop meanwhile', async () => {
    emu.updateFaults({ blocked: true });
    const c = client();
    const first = ticket();
    const r = await c.send(first);
    assert.equal(r.kind, 'blocked');
    const s = getOfdState(db, DEVICE);
    assert.equal(s?.blocked?.code, 15);
    assert.match(s?.infoMessage ?? '', /заблокирована/, 'the OFD message is kept for the manager');
    assert.throws(() => assertCanSell(s ?? { offlineSince: null, blocked: null }, clock.now()), (e: unknown) => e instanceof OfdSalesStoppedError && e.reason === 'blocked');
    const count = emu.requests().length;
    assert.equal((await c.send(ticket())).kind, 'blocked');
    assert.equal((await c.send(buildSystem())).kind, 'blocked', 'SYSTEM without reg_info is not an unblock attempt');
    assert.equal(emu.requests().length, count, 'nothing went out');
    const reg = buildSystem({ regInfo: { kkm: { serial_number: 'TANBA-1' } } });
    assert.equal((await c.send(reg)).kind, 'blocked', 'still blocked server-side');
    assert.equal(emu.requests().length, count + 1);
    emu.updateFaults({ blocked: false });
    assert.equal((await c.send(reg)).kind, 'ok');
    assert.equal(getOfdState(db, DEVICE)?.blocked, null);
    // The ticket that got 15 is no longer pending (after the SYSTEM its REQNUM is no retry): the
    // caller sends it anew under a new REQNUM and it is accepted.
    const firstReqNum = emu.requests()[0]?.reqNum;
    assert.equal(getOfdState(db, DEVICE)?.pending, null);
    assert.equal((await c.send(first)).kind, 'ok');
    assert.notEqual(emu.requests().at(-1)?.reqNum, firstReqNum);
    assert.equal((await c.send(ticket())).kind, 'ok');
    assert.equal(emu.documents().length, 2);
  });

  test('15 after a lost answer: the request is kept (same token + REQNUM) while blocked, dropped once lifted; INFO shows it accepted', async () => {
    emu.setFaults({ dropAfter: 1 });
    const c = client({ transactionTimeoutMs: 200, reconnectIntervalMs: 1_000 });
    const t = ticket();
    assert.equal((await c.send(t, { documentKey: 'sale:1' })).kind, 'transient');
    assert.equal(emu.documents().length, 1, 'processed, the answer lost');
    const pending = getOfdState(db, DEVICE)?.pending;
    assert.ok(pending);
    emu.setFaults({ blocked: true });
    clock.advance(2_000);
    assert.equal((await c.send(t, { documentKey: 'sale:1' })).kind, 'blocked');
    const kept = getOfdState(db, DEVICE)?.pending;
    assert.deepEqual([kept?.reqNum, kept?.token], [pending.reqNum, pending.token], 'kept across the 15');
    assert.throws(() => assertCanSell(getOfdState(db, DEVICE) ?? { offlineSince: null, blocked: null }, clock.now()), OfdSalesStoppedError);
    emu.setFaults({});
    const reg = buildSystem({ regInfo: { kkm: { serial_number: 'TANBA-1' } } });
    assert.equal((await c.send(reg)).kind, 'ok', 'the unblock SYSTEM goes out beside the pending ticket');
    assert.equal(getOfdState(db, DEVICE)?.pending, null, 'dropped once the block is lifted: its old REQNUM is no retry after the SYSTEM');
    const info = await c.send(buildInfo());
    assert.equal(info.kind, 'ok');
    const last = info.kind === 'ok' ? Number(info.response.service?.last_document_info?.printed_document_number) : NaN;
    assert.equal(last, t.ticket?.printed_document_number, 'the OFD holds it: the caller marks it delivered instead of sending it again');
    assert.equal(emu.documents().length, 1, 'no second document');
    assert.equal(getOfdDocument(db, 'sale:1'), undefined, 'its lost answer is not replayed');
    assert.equal(getOfdState(db, DEVICE)?.token, emu.device(DEVICE)?.token, 'the rotated token is stored (from the 15 answer)');
    assert.equal((await c.send(ticket())).kind, 'ok');
  });

  test('an unanswered INFO is never left pending: the document queue goes on; an old pending INFO is dropped', async () => {
    emu.setFaults({ dropBefore: 1 });
    const c = client({ transactionTimeoutMs: 150, reconnectIntervalMs: 1_000 });
    assert.equal((await c.send(buildInfo())).kind, 'transient');
    assert.equal(getOfdState(db, DEVICE)?.pending, null, 'a service request is not kept pending');
    emu.setFaults({});
    clock.advance(2_000);
    assert.equal((await c.send(ticket())).kind, 'ok', 'the ticket is not refused as out of order');
    // A database where an INFO was left pending (older versions): dropped on the next send.
    reserveOfdRequest(db, DEVICE, { command: Command.INFO, request: encodeRequest(buildInfo()), now: clock.now().toISOString() }, (n) => n + 1);
    assert.equal((await c.send(ticket())).kind, 'ok');
    assert.equal(emu.documents().length, 2);
    // While a document is pending, a service request (other than the unblock attempt) would break the order.
    emu.setFaults({ dropBefore: 1 });
    clock.advance(2_000);
    assert.equal((await c.send(ticket())).kind, 'transient');
    clock.advance(2_000);
    await assert.rejects(c.send(buildInfo()), (e: unknown) => e instanceof PendingRequestError);
  });

  test('offline -> reconnect: offline_period sent first, then the queue strictly in order', async () => {
    db.exec('CREATE TABLE test_queue (seq INTEGER PRIMARY KEY, request TEXT NOT NULL); CREATE TABLE test_delivered (seq INTEGER, ticket TEXT)');
    const enqueue = (req: RequestMsg): void => { db.prepare('INSERT INTO test_queue (request) VALUES (?)').run(JSON.stringify(req)); };
    const queue: OfdQueue = {
      head() {
        const row = db.prepare('SELECT seq, request FROM test_queue ORDER BY seq LIMIT 1').get() as { seq: number; request: string } | undefined;
        if (!row) return undefined;
        return {
          request: JSON.parse(row.request) as RequestMsg,
          onAccepted(d, response) {
            d.prepare('DELETE FROM test_queue WHERE seq = ?').run(row.seq);
            d.prepare('INSERT INTO test_delivered VALUES (?, ?)').run(row.seq, response.ticket?.ticket_number ?? null);
          },
        };
      },
    };
    const c = client({ transactionTimeoutMs: 150 });
    emu.updateFaults({ dropBefore: 1 });
    enqueue(ticket());
    const run1 = await deliverInOrder(c, queue);
    assert.equal(run1.delivered, 0);
    assert.equal(run1.stopped?.kind, 'transient');
    const offlineSince = getOfdState(db, DEVICE)?.offlineSince;
    assert.equal(offlineSince, '2025-03-01T10:00:00.000Z');
    // offline tickets join the end of the queue, with offline numbers
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      enqueue(ticket({ offlineTicketNumber: c.allocateOfflineTicketNumber() }));
    }
    assert.doesNotThrow(() => assertCanSell(getOfdState(db, DEVICE) ?? { offlineSince: null, blocked: null }, clock.now()));
    clock.advance(30_000);
    emu.setFaults({});
    const early = await deliverInOrder(c, queue);
    assert.match(early.stopped?.kind === 'transient' ? early.stopped.reason : '', /next reconnect attempt/, 'reconnect attempts at least 60 s apart');
    assert.equal(emu.requests().length, 0);
    clock.advance(31_000);
    const run2 = await deliverInOrder(c, queue);
    assert.deepEqual(run2, { delivered: 5 });
    const docs = emu.documents();
    assert.deepEqual(docs.map((d) => d.printedDocumentNumber), [1, 2, 3, 4, 5], 'strictly in order');
    assert.equal(docs[0]?.offlineTicketNumber, undefined, 'the failed online ticket keeps no offline number');
    assert.deepEqual(docs.slice(1).map((d) => d.offlineTicketNumber), [1740823201, 1740823202, 1740823203, 1740823204]);
    const log = emu.requests();
    assert.deepEqual(log[0]?.offlinePeriod?.begin, { date: { year: 2025, month: 3, day: 1 }, time: { hour: 15, minute: 0, second: 0 } }, 'offline_period begins at the first failure, local time');
    assert.deepEqual(log[0]?.offlinePeriod?.end.time, { hour: 15, minute: 1, second: 5 });
    assert.ok(log.slice(1).every((l) => l.offlinePeriod === null));
    assert.equal(getOfdState(db, DEVICE)?.offlineSince, null);
    assert.equal(db.prepare('SELECT count(*) FROM test_queue').pluck().get(), 0);
    assert.equal(db.prepare('SELECT count(*) FROM test_delivered WHERE ticket IS NOT NULL').pluck().get(), 5);
  });

  test('the 72-hour limit stops sales with a message naming the time offline', () => {
    const state = { offlineSince: '2025-03-01T10:00:00.000Z', blocked: null };
    assert.doesNotThrow(() => assertCanSell(state, new Date('2025-03-04T09:59:00.000Z')));
    assert.throws(() => assertCanSell(state, new Date('2025-03-04T10:05:00.000Z')),
      (e: unknown) => e instanceof OfdSalesStoppedError && e.reason === 'offline-limit' && /72 h 05 min/.test(e.message) && /limit is 72 h/.test(e.message));
    assert.throws(() => assertCanSell(state, new Date('2025-03-02T10:00:00.000Z'), { limitHours: 24 }), /limit is 24 h/);
    assert.throws(() => assertCanSell(state, new Date('2025-03-02T10:00:00.000Z'), { limitHours: 100 }), /only be lowered/);
    // reconnected but the queue still holds an old record: the limit still counts
    assert.throws(() => assertCanSell({ offlineSince: null, blocked: null }, new Date('2025-03-04T11:00:00.000Z'), { oldestUndeliveredAt: '2025-03-01T10:00:00.000Z' }), /Sales stopped/);
    assert.equal(Command.TICKET, 1);
  });
});

/** One queued message (the test's own queue; production delivers through the outbox sender). */
interface QueuedRequest {
  request: RequestMsg;
  /** Removes the item from the queue; runs inside the transaction that stores the new token. */
  onAccepted(db: Db, response: ResponseMsg): void;
  documentKey?: string;
}

/** A strictly ordered queue: `head()` is the oldest undelivered message. */
interface OfdQueue {
  head(): QueuedRequest | undefined;
}

/** Result of a delivery run. */
interface DeliveryRun {
  delivered: number;
  /** Why the run stopped before the queue was empty (transient: try again later; else blocked). */
  stopped?: Exclude<OfdOutcome, { kind: 'ok' }>;
}

/**
 * Delivers the queue strictly in order, each message waiting for OK before the next. Stops at the
 * first message that is not accepted; it stays at the head and nothing behind it is sent (5.2).
 */
async function deliverInOrder(client: OfdClient, queue: OfdQueue): Promise<DeliveryRun> {
  let delivered = 0;
  for (let item = queue.head(); item !== undefined; item = queue.head()) {
    const outcome = await client.send(item.request, { onAccepted: item.onAccepted, ...(item.documentKey !== undefined ? { documentKey: item.documentKey } : {}) });
    if (outcome.kind !== 'ok') return { delivered, stopped: outcome };
    delivered++;
  }
  return { delivered };
}
