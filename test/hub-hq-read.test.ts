// Head office's reads at chain scale (issue 19), against a real nats-server hub: the status from
// one ordered LastPerSubject consumer over every register's heartbeats (more than one consumer
// batch of them, some beating twice, one foreign message), and the drill-down read a page at a
// time from the newest, from a stream where the register's documents are interleaved with others'.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { docSubject, heartbeatSubject, HQ_HB_STREAM, HQ_STREAM, hqDocuments, hqDocumentsPage, hqStatus, hqStatusFrom } from '../src/hub/index.ts';
import { startHub, type TestNats } from './helpers/nats.ts';

const STORES = 30;
const LANES = 40; // 1,200 registers: more than one batch (1,000) of the consumer

describe('head office reads at scale: heartbeats and a register\'s documents', () => {
  let hub: TestNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const sales: string[] = []; // S3/L2's documents, in order

  before(async () => {
    hub = await startHub();
    nc = await connect({ servers: [hub.url] });
    jsm = await jetstreamManager(nc);
    // The hub's streams as the stores' sourcing fills them (here published to directly).
    await jsm.streams.add({ name: HQ_STREAM, subjects: ['tanba.doc.>'] });
    await jsm.streams.add({ name: HQ_HB_STREAM, subjects: ['tanba.hb.>'], max_msgs_per_subject: 1 });
    const js = jetstream(nc);
    const beats: Promise<unknown>[] = [];
    for (let s = 1; s <= STORES; s++) {
      for (let l = 1; l <= LANES; l++) {
        const body = { store: `S${s}`, register: `L${l}`, at: '2026-03-01T10:00:00.000Z', queue: 1, unguarded: 0, conflicts: 0 };
        beats.push(js.publish(heartbeatSubject(`S${s}`, `L${l}`), JSON.stringify(body)));
      }
    }
    await Promise.all(beats);
    // A second heartbeat of one register: the last one wins.
    await js.publish(heartbeatSubject('S3', 'L2'), JSON.stringify({ store: 'S3', register: 'L2', at: '2026-03-01T10:00:30.000Z', queue: 7, unguarded: 2, conflicts: 1 }));
    await js.publish(heartbeatSubject('S3', 'X'), 'not json'); // another program's message: no register
    // 250 documents of S3/L2 among 750 of its neighbours (S3/L1 and S4/L2), of three kinds.
    let seq = 0;
    for (let i = 0; i < 250; i++) {
      for (const [store, lane] of [['S3', 'L1'], ['S3', 'L2'], ['S4', 'L2'], ['S3', 'L1']] as const) {
        const kind = i % 50 === 49 ? 'shift_close' : i % 7 === 3 ? 'return' : 'sale';
        const id = `${store}-${lane}-${i}-${seq}`;
        await js.publish(docSubject(store, lane, kind), JSON.stringify({ store, register: lane, kind, id, seq: seq++, at: '2026-03-01T10:00:00.000Z', doc: {} }));
        if (store === 'S3' && lane === 'L2') sales.push(id);
      }
    }
  });

  after(async () => {
    await nc.close();
    await hub.done();
  });

  test('every register\'s last heartbeat and its document count, in the status order', async () => {
    const s = await hqStatusFrom(jsm, new Date('2026-03-01T11:00:00.000Z'));
    assert.equal(s.stores.length, STORES);
    assert.equal(s.stores.reduce((n, st) => n + st.registers.length, 0), STORES * LANES);
    const ids = s.stores.map((st) => st.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a.localeCompare(b)));
    const s3 = s.stores.find((st) => st.id === 'S3')!;
    assert.equal(s3.registers.some((r) => r.id === 'X'), false, 'a foreign message is not a register');
    const l2 = s3.registers.find((r) => r.id === 'L2')!;
    assert.deepEqual({ queue: l2.queue, unguarded: l2.unguarded, conflicts: l2.conflicts, lastSeen: l2.lastSeen, documents: l2.documents }, { queue: 7, unguarded: 2, conflicts: 1, lastSeen: '2026-03-01T10:00:30.000Z', documents: 250 });
    assert.equal(s3.registers.find((r) => r.id === 'L1')!.documents, 500);
    assert.equal(s.stores.find((st) => st.id === 'S4')!.registers.find((r) => r.id === 'L2')!.documents, 250);
    assert.equal(s.stores.find((st) => st.id === 'S5')!.registers.find((r) => r.id === 'L7')!.lastSeen, '2026-03-01T10:00:00.000Z');
    const info = await jsm.consumers.list(HQ_HB_STREAM).next();
    assert.deepEqual(info, [], 'the read left no consumer on the hub');
  });

  test('the drill-down: the newest page, then older pages by `before`, together every document once, in order', async () => {
    const target = { servers: [hub.url] };
    assert.deepEqual((await hqDocuments(target, 'S3', 'L2')).map((d) => d.id), sales, 'under the default page: all of them');
    const pages: string[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await hqDocumentsPage(target, 'S3', 'L2', { limit: 60, ...(before === undefined ? {} : { before }) });
      assert.equal(page.total, 250);
      pages.unshift(page.documents.map((d) => d.id));
      if (page.older === null) break;
      before = page.older;
    }
    assert.deepEqual(pages.map((p) => p.length), [10, 60, 60, 60, 60]);
    assert.deepEqual(pages.flat(), sales);
    const newest = await hqDocuments(target, 'S3', 'L2', { limit: 1 });
    assert.deepEqual(newest.map((d) => d.id), [sales.at(-1)]);
    assert.deepEqual(await hqDocuments(target, 'S9', 'L1'), [], 'a register with no documents');
    await assert.rejects(hqDocumentsPage(target, 'S3', 'L2', { limit: 0 }), /limit 0/);
    assert.deepEqual(await jsm.consumers.list(HQ_STREAM).next(), [], 'the probes and the page left no consumer on the hub');
  });

  test('heartbeats arriving all the while the status is read: it still ends, with every register', async () => {
    const js = jetstream(nc);
    let beating = true;
    let sent = 0;
    const beater = (async () => {
      while (beating) {
        await Promise.all(Array.from({ length: 20 }, (_, k) => js.publish(heartbeatSubject('S1', `L${(k % LANES) + 1}`), JSON.stringify({ store: 'S1', register: `L${(k % LANES) + 1}`, at: `2026-03-01T10:01:${String(sent % 60).padStart(2, '0')}.000Z` }))));
        sent += 20;
      }
    })();
    try {
      for (let i = 0; i < 3; i++) {
        const s = await hqStatusFrom(jsm);
        assert.equal(s.stores.reduce((n, st) => n + st.registers.length, 0), STORES * LANES);
      }
    } finally {
      beating = false;
      await beater;
    }
    assert.equal(sent > 0, true, 'heartbeats were published during the reads');
  });

  test('hqStatus over a connection answers the same', async () => {
    const s = await hqStatus({ servers: [hub.url] });
    assert.equal(s.stores.find((st) => st.id === 'S3')!.registers.find((r) => r.id === 'L2')!.queue, 7);
  });
});
