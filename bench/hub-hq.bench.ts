/**
 * `npm run bench -- hq` (issue 19): head office's reads at chain scale, on a real nats-server hub.
 * - `hq status` over N registers' heartbeats (and their documents' counts): the way main read it
 *   before (one `getMessage(last_by_subj)` per heartbeat subject, after a stream info listing
 *   every subject) against the ordered LastPerSubject consumer of src/hub/hq.ts;
 * - the drill-down of one register in a stream holding 50,000 documents: the old walk (one
 *   `getMessage` per sequence of the whole stream) against the filtered ordered consumer (its
 *   default page, and a 10-document page that needs the binary search for its start).
 * Every figure is a ratio against a bare JetStream read in the same run: one `getMessage` by
 * sequence (a single round trip to the hub), median of 200. The old status is the median of 3
 * runs, the new reads of 5 (after one warm-up each); the old drill-down runs once (~20 s).
 */
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { docSubject, heartbeatSubject, HQ_HB_STREAM, HQ_STREAM, hqDocumentsPageFrom, hqStatusFrom } from '../src/hub/index.ts';
import { startHub } from '../test/helpers/nats.ts';
import { percentile, report, type Bench } from './lib.ts';

/** The status as main read it before issue 19's rewrite (kept here to measure against). */
async function oldStatus(jsm: JetStreamManager): Promise<number> {
  const docs = (await jsm.streams.info(HQ_STREAM, { subjects_filter: 'tanba.doc.>' })).state.subjects ?? {};
  const counts = new Map<string, number>();
  for (const [subject, n] of Object.entries(docs)) {
    const [, , store, id] = subject.split('.');
    counts.set(`${store}.${id}`, (counts.get(`${store}.${id}`) ?? 0) + n);
  }
  let registers = 0;
  const beats = (await jsm.streams.info(HQ_HB_STREAM, { subjects_filter: 'tanba.hb.>' })).state.subjects ?? {};
  for (const subject of Object.keys(beats)) {
    const m = await jsm.streams.getMessage(HQ_HB_STREAM, { last_by_subj: subject });
    if (m !== null) { m.json(); registers++; }
  }
  return registers;
}

/** The drill-down as main read it before: every message of the hub stream, one request each. */
async function oldDocuments(jsm: JetStreamManager, store: string, register: string): Promise<number> {
  const info = await jsm.streams.info(HQ_STREAM);
  let n = 0;
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(HQ_STREAM, { seq }).catch(() => null);
    if (m === null || !m.subject.startsWith(`tanba.doc.${store}.${register}.`)) continue;
    m.json();
    n++;
  }
  return n;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Median of `runs` timings (after the first read warmed the hub's caches). */
async function median<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const all: { ms: number; value: T }[] = [];
  for (let i = 0; i < runs; i++) all.push(await timed(fn));
  const ms = percentile(all.map((r) => r.ms), 50);
  return all.find((r) => r.ms === ms) ?? (all[0] as { ms: number; value: T });
}

async function publishAll(subjects: (i: number) => [string, string], total: number, js: ReturnType<typeof jetstream>): Promise<void> {
  for (let i = 0; i < total; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, total - i) }, (_, k) => { const [s, b] = subjects(i + k); return js.publish(s, b); }));
  }
}

const bench: Bench = async ({ quick }) => {
  // TANBA_BENCH_HQ_REGISTERS=20000 for a bigger chain (docs/scale.md).
  const registers = Number(process.env.TANBA_BENCH_HQ_REGISTERS ?? '') || (quick ? 200 : 2_000);
  const documents = quick ? 5_000 : 50_000;
  const lanes = 10;
  const hub = await startHub();
  const nc = await connect({ servers: [hub.url] });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await jsm.streams.add({ name: HQ_STREAM, subjects: ['tanba.doc.>'] });
    await jsm.streams.add({ name: HQ_HB_STREAM, subjects: ['tanba.hb.>'], max_msgs_per_subject: 1 });
    const place = (r: number): [string, string] => [`S${Math.floor(r / lanes) + 1}`, `L${(r % lanes) + 1}`];
    await publishAll((r) => {
      const [store, lane] = place(r);
      return [heartbeatSubject(store, lane), JSON.stringify({ store, register: lane, at: '2026-03-01T10:00:00.000Z', queue: 0, hoursLeft: 70, mode: 'online', refusalsLastHour: { BLOCKED: 1 }, hubQueue: 0, unguarded: 0, conflicts: 0 })];
    }, registers, js);
    // The documents, round-robin over the registers, three kinds each (a sale document ~1.5 KB, docs/scale.md).
    const doc = 'x'.repeat(1_400);
    await publishAll((i) => {
      const [store, lane] = place(i % registers);
      const kind = (['sale', 'return', 'shift_close'] as const)[Math.floor(i / registers) % 3] ?? 'sale';
      return [docSubject(store, lane, kind), JSON.stringify({ store, register: lane, kind, id: `d${i}`, seq: i, at: '2026-03-01T10:00:00.000Z', doc })];
    }, documents, js);

    // Baseline: a bare JetStream read, one getMessage by sequence.
    const bare: number[] = [];
    for (let i = 0; i < 200; i++) bare.push((await timed(() => jsm.streams.getMessage(HQ_STREAM, { seq: 1 + ((i * 97) % documents) }))).ms);
    const bareMs = percentile(bare, 50);
    report('bare JetStream read', { p50_ms: bareMs, what: 'getMessage(seq)' });

    await hqStatusFrom(jsm); // warm both paths once
    const oldS = await median(3, () => oldStatus(jsm));
    const newS = await median(5, () => hqStatusFrom(jsm));
    const seen = newS.value.stores.reduce((n, s) => n + s.registers.filter((r) => r.lastSeen !== null).length, 0);
    if (oldS.value !== registers || seen !== registers) throw new Error(`status read ${oldS.value} / ${seen} registers of ${registers}`);
    report(`hq status old (${registers} reg)`, { ms: oldS.ms, ratio: oldS.ms / bareMs });
    report(`hq status new (${registers} reg)`, { ms: newS.ms, ratio: newS.ms / bareMs, speedup: oldS.ms / newS.ms });
    const counts = await timed(() => jsm.streams.info(HQ_STREAM, { subjects_filter: 'tanba.doc.>' }));
    report('of which document counts', { ms: counts.ms, ratio: counts.ms / bareMs, subjects: Object.keys(counts.value.state.subjects ?? {}).length });

    const [store, lane] = place(7);
    const oldD = await timed(() => oldDocuments(jsm, store, lane));
    await hqDocumentsPageFrom(jsm, store, lane); // the hub builds its per-subject index of the blocks on the first filtered read
    const newD = await median(5, () => hqDocumentsPageFrom(jsm, store, lane));
    const pageD = await median(5, () => hqDocumentsPageFrom(jsm, store, lane, { limit: 10 }));
    if (oldD.value !== newD.value.documents.length || newD.value.total !== oldD.value || pageD.value.documents.length !== Math.min(10, oldD.value)) throw new Error('the drill-down reads disagree');
    report(`drill-down old (${documents} docs)`, { ms: oldD.ms, ratio: oldD.ms / bareMs, docs: oldD.value });
    report(`drill-down new (${documents} docs)`, { ms: newD.ms, ratio: newD.ms / bareMs, speedup: oldD.ms / newD.ms, docs: newD.value.documents.length });
    report('drill-down new, page of 10', { ms: pageD.ms, ratio: pageD.ms / bareMs, speedup: oldD.ms / pageD.ms });
  } finally {
    await nc.close();
    await hub.done();
  }
};

export default bench;
