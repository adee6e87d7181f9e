/**
 * The outbox sender over real TCP against the OFD emulator in-process, on real SQLite files:
 * strict order, exactly once through lost responses and restarts, backoff after transient
 * failures, permanent failures blocking the queue until a manager retries, the server block,
 * offline tickets, the background loop waking on notify(), and the sync status fields.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getOutbox, getOfdDocument, outboxStats, type OutboxEntry } from '../src/store/index.ts';
import { SyncRetryError, syncStatus } from '../src/sync/index.ts';
import { GS } from './helpers/checkout-fixtures.ts';
import { DEVICE, RECONNECT_MS, TOKEN, syncRig, type SyncRig } from './helpers/sync-fixtures.ts';

let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function tickets(r: SyncRig): ReturnType<SyncRig['emu']['documents']> {
  return r.emu.documents().filter((d) => d.command === 'TICKET');
}

describe('outbox sender', () => {
  test('delivers N sales strictly in seq order, each exactly once, codes byte-exact, ticket number and URL stored', async () => {
    rig = await syncRig();
    const docs = Array.from({ length: 12 }, (_, i) => rig!.sell(i));
    const pass = await rig.sender.deliverOnce();
    assert.deepEqual(pass, { delivered: 12, remaining: 0, stopped: null });
    const got = tickets(rig);
    assert.equal(got.length, 12);
    got.forEach((d, i) => {
      const sale = docs[i]!;
      assert.equal(d.printedDocumentNumber, sale.sale.printedDocumentNumber);
      assert.equal(d.documentNumber, sale.sale.shiftDocumentNumber);
      assert.deepEqual(d.exciseStamps, sale.lines.map((l) => l.code));
      assert.ok(d.exciseStamps[0]!.includes(GS), 'GS kept in the code as sent');
      assert.equal(d.total, 25000);
    });
    for (const [i, sale] of docs.entries()) {
      const row = rig.db.prepare('SELECT id FROM outbox WHERE document_id = ?').pluck().get(sale.sale.id) as number;
      const o: OutboxEntry = getOutbox(rig.db, row)!;
      assert.equal(o.state, 'delivered');
      assert.equal(o.ticketNumber, got[i]!.ticketNumber);
      assert.match(o.qrUrl ?? '', new RegExp(`^http://127\\.0\\.0\\.1:${rig.emu.port}/t\\?i=`));
      assert.equal(o.attempts, 1);
      assert.equal(getOfdDocument(rig.db, `sell:${sale.sale.id}`)?.ticketNumber, o.ticketNumber);
    }
    // Nothing is ever resent: a second pass finds nothing to do.
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 0, remaining: 0, stopped: null });
    assert.equal(tickets(rig).length, 12);
    const st = syncStatus(rig.db, rig.clock, { deviceId: DEVICE });
    assert.equal(st.mode, 'online');
    assert.equal(st.queue.depth, 0);
    assert.equal(st.queue.delivered, 12);
    assert.equal(st.timeLeftMs, null);
    assert.equal(st.salesAllowed, true);
    assert.ok(st.channels.ofd.lastSuccessAt !== null);
  });

  test('rows queued by an older Tanba (the payload without its version field) still deliver, byte-exact, beside new ones', async () => {
    rig = await syncRig();
    const old = rig.sell(0);
    const current = rig.sell(1);
    // Exactly what a database written before the versioned schema holds: the version-1 shape (one
    // `exciseStamp` per line, no NTIN, no code list), no `version`.
    const v2 = JSON.parse(rig.db.prepare('SELECT payload FROM outbox WHERE document_id = ?').pluck().get(old.sale.id) as string) as { version?: number; items: { markingCodes?: string[]; ntin?: unknown; exciseStamp?: string | null }[] };
    delete v2.version;
    for (const i of v2.items) { i.exciseStamp = i.markingCodes?.[0] ?? null; delete i.markingCodes; delete i.ntin; }
    rig.db.prepare('UPDATE outbox SET payload = ? WHERE document_id = ?').run(JSON.stringify(v2), old.sale.id);
    const stored = rig.db.prepare('SELECT payload FROM outbox WHERE document_id = ?').pluck().get(old.sale.id) as string;
    assert.equal('version' in (JSON.parse(stored) as object), false);
    assert.equal((JSON.parse(rig.db.prepare('SELECT payload FROM outbox WHERE document_id = ?').pluck().get(current.sale.id) as string) as { version: number }).version, 2);
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 2, remaining: 0, stopped: null });
    const got = tickets(rig);
    assert.deepEqual(got.map((d) => d.printedDocumentNumber), [old.sale.printedDocumentNumber, current.sale.printedDocumentNumber]);
    assert.deepEqual(got[0]?.exciseStamps, old.lines.map((l) => l.code));
    assert.equal(got[0]?.total, old.sale.total);
  });

  test('a lost response is resent with the same REQNUM and recorded once (within one send)', async () => {
    rig = await syncRig({ faults: { dropAfterNext: 2 } });
    rig.sell(0);
    const pass = await rig.sender.deliverOnce();
    assert.equal(pass.delivered, 1);
    assert.equal(tickets(rig).length, 1);
    const reqs = rig.emu.requests().filter((r) => r.command === 'TICKET');
    assert.equal(reqs.length, 3, 'processed, then two resends of the same request');
    assert.equal(new Set(reqs.map((r) => r.reqNum)).size, 1);
    assert.deepEqual(reqs.map((r) => r.replay), [false, true, true]);
  });

  test('a lost response followed by a restart: the restarted sender resends, the OFD replays, still one document', async () => {
    rig = await syncRig({ faults: { dropAfter: 1 } });
    rig.sell(0);
    rig.sell(1);
    const first = await rig.sender.deliverOnce();
    assert.equal(first.stopped?.kind, 'transient');
    assert.equal(tickets(rig).length, 1, 'the OFD recorded the first ticket although no answer arrived');
    assert.equal(outboxStats(rig.db).delivered, 0);
    rig.restart();
    rig.emu.setFaults({});
    rig.now.ms += RECONNECT_MS * 100;
    const second = await rig.sender.deliverOnce();
    assert.deepEqual(second, { delivered: 2, remaining: 0, stopped: null });
    const got = tickets(rig);
    assert.equal(got.length, 2);
    assert.deepEqual(got.map((d) => d.printedDocumentNumber), [1, 2]);
    assert.ok(rig.emu.requests().some((r) => r.replay && r.result === 0), 'the resend was answered from the OFD memory');
  });

  test('transient failures: stays pending, attempts and next_attempt_at move, backoff grows, offline mode, then delivers', async () => {
    rig = await syncRig({ faults: { fail: 254, failRate: 1 } });
    rig.sell(0);
    const t0 = rig.now.ms;
    const p1 = await rig.sender.deliverOnce();
    assert.equal(p1.stopped?.kind, 'transient');
    const id = p1.stopped && 'id' in p1.stopped ? p1.stopped.id : -1;
    const r1 = getOutbox(rig.db, id)!;
    assert.equal(r1.state, 'pending');
    assert.equal(r1.attempts, 1);
    assert.match(r1.lastError ?? '', /no answer within 400 ms/);
    assert.ok(r1.nextAttemptAt !== null && Date.parse(r1.nextAttemptAt) > t0);
    const gap1 = Date.parse(r1.nextAttemptAt!) - t0;

    const st = syncStatus(rig.db, rig.clock, { deviceId: DEVICE });
    assert.equal(st.mode, 'offline');
    assert.ok(st.offlineSince !== null);
    assert.equal(st.queue.depth, 1);
    assert.equal(st.queue.head?.attempts, 1);
    assert.ok(st.timeLeftMs !== null && st.timeLeftMs > 71 * 3_600_000 && st.timeLeftMs <= 72 * 3_600_000);
    assert.equal(st.salesAllowed, true);
    assert.match(st.channels.ofd.lastError ?? '', /no answer within 400 ms/);

    // Not due yet: a normal pass does not even try.
    const p2 = await rig.sender.deliverOnce();
    assert.equal(p2.stopped?.kind, 'waiting');
    assert.equal(getOutbox(rig.db, id)!.attempts, 1);

    rig.now.ms = Date.parse(r1.nextAttemptAt!);
    const t1 = rig.now.ms;
    const p3 = await rig.sender.deliverOnce();
    assert.equal(p3.stopped?.kind, 'transient');
    const r2 = getOutbox(rig.db, id)!;
    assert.equal(r2.attempts, 2);
    assert.ok(Date.parse(r2.nextAttemptAt!) - t1 > gap1, 'the delay doubled');

    rig.emu.setFaults({});
    rig.now.ms = Date.parse(r2.nextAttemptAt!);
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 1, remaining: 0, stopped: null });
    assert.equal(tickets(rig).length, 1);
    assert.equal(syncStatus(rig.db, rig.clock, { deviceId: DEVICE }).mode, 'online');
  });

  test('offline tickets carry the offline_ticket_number fixed at commit; the failed one goes as it was', async () => {
    rig = await syncRig({ faults: { dropBefore: 1 } });
    rig.sell(0);
    await rig.sender.deliverOnce();
    const second = rig.sell(1);
    rig.emu.setFaults({});
    rig.now.ms += 10 * RECONNECT_MS;
    assert.equal((await rig.sender.deliverOnce()).delivered, 2);
    const got = tickets(rig);
    assert.equal(got[0]!.offlineTicketNumber, undefined, 'the first ticket was made online and is resent unchanged');
    const payload = (getOutbox(rig.db, rig.db.prepare('SELECT id FROM outbox WHERE document_id = ?').pluck().get(second.sale.id) as number)!.payload) as { offlineTicketNumber: number };
    assert.equal(got[1]!.offlineTicketNumber, payload.offlineTicketNumber);
    const offlinePeriods = rig.emu.requests().filter((r) => r.offlinePeriod !== null);
    assert.ok(offlinePeriods.length >= 1, 'the first request after reconnecting carried offline_period');
  });

  test('a permanent failure blocks the row, the queue stops behind it, retry() un-blocks after the cause is fixed', async () => {
    rig = await syncRig({ registerToken: TOKEN + 1 }); // wrong token: result 2
    rig.sell(0);
    rig.sell(1);
    const p = await rig.sender.deliverOnce();
    assert.equal(p.stopped?.kind, 'permanent');
    assert.equal(p.remaining, 2);
    const id = p.stopped && 'id' in p.stopped ? p.stopped.id : -1;
    const row = getOutbox(rig.db, id)!;
    assert.equal(row.state, 'blocked');
    assert.match(row.lastError ?? '', /OFD result 2/);
    const before = rig.emu.requests().length;
    // The queue stops: another pass sends nothing.
    const again = await rig.sender.deliverOnce({ force: true });
    assert.equal(again.stopped?.kind, 'permanent');
    assert.equal(rig.emu.requests().length, before);

    const st = syncStatus(rig.db, rig.clock, { deviceId: DEVICE });
    assert.equal(st.mode, 'blocked');
    assert.equal(st.salesAllowed, false);
    assert.match(st.blockedReason ?? '', /result 2/);
    assert.deepEqual(st.queue.blocked.map((b) => b.id), [id]);
    assert.equal(st.queue.blocked[0]!.seq, row.seq);
    assert.match(st.queue.blocked[0]!.error ?? '', /invalid token/);

    // The manager enters the right token (fixes the cause), then retries the row.
    rig.client.resolveBlock({ token: TOKEN });
    const retried = rig.sender.retry(id);
    assert.equal(retried.state, 'pending');
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 2, remaining: 0, stopped: null });
    assert.deepEqual(tickets(rig).map((d) => d.printedDocumentNumber), [1, 2]);
    assert.equal(syncStatus(rig.db, rig.clock, { deviceId: DEVICE }).mode, 'online');
  });

  test('retry() of a row that is not blocked or does not exist names the id', async () => {
    rig = await syncRig();
    rig.sell(0);
    const id = rig.db.prepare('SELECT id FROM outbox').pluck().get() as number;
    assert.throws(() => rig!.sender.retry(id), (e: unknown) => e instanceof SyncRetryError && e.reason === 'not-blocked' && e.message.includes(`outbox row ${id}`));
    assert.throws(() => rig!.sender.retry(9999), (e: unknown) => e instanceof SyncRetryError && e.reason === 'not-found' && e.message.includes('9999'));
    assert.equal(getOutbox(rig.db, id)!.state, 'pending');
  });

  test('a bad payload is blocked with the field named and never sent', async () => {
    rig = await syncRig();
    rig.sell(0);
    // Simulate a document written by a broken older version (the outbox payload is the only input).
    rig.db.prepare("UPDATE outbox SET payload = json_set(payload, '$.items', json('[]'))").run();
    const p = await rig.sender.deliverOnce();
    assert.equal(p.stopped?.kind, 'permanent');
    assert.match(p.stopped && 'reason' in p.stopped ? p.stopped.reason : '', /items/);
    assert.equal(rig.emu.requests().length, 0);
  });

  test('server block (15): the row stays pending, only SYSTEM with reg_info goes out, delivery resumes once lifted', async () => {
    rig = await syncRig({ faults: { blocked: true } });
    rig.sell(0);
    const p = await rig.sender.deliverOnce();
    assert.equal(p.stopped?.kind, 'blocked');
    const id = p.stopped && 'id' in p.stopped ? p.stopped.id : -1;
    assert.equal(getOutbox(rig.db, id)!.state, 'pending');
    const st = syncStatus(rig.db, rig.clock, { deviceId: DEVICE });
    assert.equal(st.mode, 'blocked');
    assert.match(st.blockedReason ?? '', /15/);
    assert.match(st.blockedReason ?? '', /Касса заблокирована/);

    rig.now.ms += 60_000;
    const p2 = await rig.sender.deliverOnce();
    assert.equal(p2.stopped?.kind, 'blocked');
    assert.deepEqual(rig.emu.requests().slice(1).map((r) => r.command), ['SYSTEM']);

    rig.emu.updateFaults({ blocked: false });
    rig.now.ms += 600_000;
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 1, remaining: 0, stopped: null });
    // 5.4.1: after the block the OFD is asked what it holds (INFO), then the ticket goes out anew
    // under a NEW REQNUM (after the SYSTEM an old-REQNUM resend is no longer a retry).
    const reqs = rig.emu.requests();
    assert.deepEqual(reqs.slice(2).map((r) => `${r.command}:${r.result}`), ['SYSTEM:0', 'INFO:0', 'TICKET:0']);
    assert.notEqual(reqs.at(-1)!.reqNum, reqs[0]!.reqNum, 'a new REQNUM, not the one that got 15');
    assert.equal(reqs.at(-1)!.replay, false);
    assert.equal(tickets(rig).length, 1);
    assert.match(getOutbox(rig.db, id)!.ticketNumber ?? '', /^\d+$/, 'the fresh answer carries the ticket number');
  });

  test('a lost response, then a server block: the request stays pending across the 15, then INFO shows it accepted: delivered, never sent twice', async () => {
    rig = await syncRig({ faults: { dropAfter: 1 } });
    rig.sell(0);
    assert.equal((await rig.sender.deliverOnce()).stopped?.kind, 'transient');
    assert.equal(tickets(rig).length, 1, 'accepted, answer lost');
    const pending = rig.client.state().pending;
    assert.ok(pending);
    rig.emu.setFaults({ blocked: true });
    rig.now.ms += 60_000;
    assert.equal((await rig.sender.deliverOnce()).stopped?.kind, 'blocked');
    assert.deepEqual(
      { reqNum: rig.client.state().pending?.reqNum, token: rig.client.state().pending?.token },
      { reqNum: pending.reqNum, token: pending.token }, 'the request that got 15 is kept with its REQNUM and token',
    );
    rig.emu.setFaults({});
    rig.now.ms += 600_000;
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 1, remaining: 0, stopped: null });
    assert.equal(tickets(rig).length, 1, 'not sent a second time');
    const row = getOutbox(rig.db, 1)!;
    assert.equal(row.state, 'delivered');
    assert.equal(row.ticketNumber, null, 'known accepted from last_document_info; its lost answer (ticket number) is not replayed');
    assert.deepEqual(rig.emu.requests().slice(-2).map((r) => `${r.command}:${r.result}`), ['SYSTEM:0', 'INFO:0'], 'no TICKET after the block');
    rig.sell(1);
    assert.equal((await rig.sender.deliverOnce()).delivered, 1);
    assert.deepEqual(tickets(rig).map((d) => d.printedDocumentNumber), [1, 2]);
  });

  test('start(): the loop delivers a new sale as soon as notify() is called, and stop() ends it', async () => {
    rig = await syncRig({ sender: { idleMs: 3_600_000 } });
    rig.sender.start();
    const delivered = (n: number): Promise<void> => new Promise((resolve) => {
      const check = (): void => { if (rig!.events.filter((e) => e.ok).length >= n) resolve(); else setTimeout(check, 5); };
      check();
    });
    rig.sell(0);
    rig.sender.notify();
    await delivered(1);
    rig.sell(1);
    rig.sell(2);
    rig.sender.notify();
    await delivered(3);
    await rig.sender.stop();
    assert.deepEqual(tickets(rig).map((d) => d.printedDocumentNumber), [1, 2, 3]);
    assert.equal(outboxStats(rig.db).delivered, 3);
  });

  test('status: time left shrinks with the oldest undelivered record; sales stop at the limit', async () => {
    rig = await syncRig({ faults: { dropBefore: 1 } });
    rig.sell(0);
    await rig.sender.deliverOnce();
    const created = Date.parse(getOutbox(rig.db, 1)!.createdAt);
    rig.now.ms = created + 10 * 3_600_000;
    const st = syncStatus(rig.db, rig.clock, { deviceId: DEVICE });
    assert.equal(st.mode, 'offline');
    assert.equal(st.queue.oldestAgeMs, 10 * 3_600_000);
    assert.equal(st.timeLeftMs, 62 * 3_600_000);
    assert.equal(st.offlineLimitHours, 72);
    const short = syncStatus(rig.db, rig.clock, { deviceId: DEVICE, offlineLimitHours: 8 });
    assert.equal(short.timeLeftMs, 0);
    assert.equal(short.salesAllowed, false);
    assert.match(short.salesStoppedReason ?? '', /8 h/);
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(st)));
  });
});
