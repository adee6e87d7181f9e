/**
 * Head office's configuration and catalogue updates (issue 19): published once to the stream of
 * a store group (`TANBA_CFG_<group>` on the hub, `tanba hq publish`); every store's stream
 * sources it from the hub's domain, so a store whose WAN is down gets it when it returns; every
 * lane applies each update once, in order, with a journal (audit) entry, remembering how far it got.
 */
import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import * as z from 'zod';
import { appendJournal, hubAppliedSeq, setHubAppliedSeq, upsertCatalogue, type Db } from '../store/index.ts';
import { configSubject, storeStream } from './names.ts';

const product = z.object({
  gtin: z.string().regex(/^\d{14}$/, 'gtin: 14 digits'), name: z.string().min(1).max(500),
  group: z.string().min(1).max(32), ai: z.boolean().default(false), unit: z.string().min(1).max(32).nullish(),
  minPrice: z.number().int().nonnegative().nullish(), price: z.number().int().nonnegative().nullish(), partial: z.number().int().positive().nullish(),
  // As in the feed's product record and the price list (migration 014). Absent: the product keeps its category; null clears it.
  vat: z.enum(['standard', 'medicines', 'periodicals', 'zero', 'none'], { error: 'vat: one of standard, medicines, periodicals, zero, none' }).nullable().optional(),
});

/** One update from head office. */
export const hqUpdateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('catalogue'), id: z.string().min(1), products: z.array(product).min(1).max(100_000) }),
  /** Settings merged into the lane's config.json (applied at the next start); only the listed sections. */
  z.object({ kind: z.literal('config'), id: z.string().min(1), settings: z.object({
    store: z.object({ name: z.string().min(1).optional(), address: z.string().optional() }).strict().optional(),
    languages: z.array(z.enum(['ru', 'kk', 'en'])).min(1).optional(),
    cache: z.object({ offlineLimitHours: z.number().positive().max(72).optional() }).strict().optional(),
  }).strict() }),
]);
export type HqUpdate = z.infer<typeof hqUpdateSchema>;

/** Publishes an update to a store group's stream (the hub); its sequence there. */
export async function publishHqUpdate(js: JetStreamClient, group: string, update: HqUpdate): Promise<number> {
  const parsed = hqUpdateSchema.parse(update);
  return (await js.publish(configSubject(group), JSON.stringify(parsed), { msgID: `hq-${parsed.id}`, timeout: 10_000 })).seq;
}

/** Applies one update (inside a transaction with its journal entry and the applied sequence). */
export function applyHqUpdate(db: Db, update: HqUpdate, meta: { stream: string; seq: number; at: string; writeConfig: (settings: Record<string, unknown>) => void }): void {
  db.transaction(() => {
    if (update.kind === 'catalogue') {
      const vat = upsertCatalogue(db, update.products.map((p) => ({
        gtin: p.gtin, name: p.name, group: p.group, ai: p.ai, unit: p.unit ?? null, minPrice: p.minPrice ?? null, price: p.price ?? null, partial: p.partial ?? null, vat: p.vat,
      })));
      // The audit names every VAT category the update changed (what the receipts' tax follows).
      appendJournal(db, { at: meta.at, kind: 'hq_update', ref: update.id, payload: { kind: 'catalogue', products: update.products.length, seq: meta.seq, vat } });
    } else {
      meta.writeConfig(update.settings);
      appendJournal(db, { at: meta.at, kind: 'hq_update', ref: update.id, payload: { kind: 'config', settings: update.settings, seq: meta.seq } });
    }
    setHubAppliedSeq(db, `${meta.stream}:cfg`, meta.seq, meta.at);
  }).immediate();
}

/** Follows the group's updates in the store stream from where this lane stopped. */
export async function followUpdates(js: JetStreamClient, store: string, group: string, deps: { db: Db; now(): string; warn(m: string, e?: unknown): void; writeConfig: (settings: Record<string, unknown>) => void; signal: AbortSignal }): Promise<void> {
  const stream = storeStream(store);
  const consumer = await js.consumers.get(stream, {
    filter_subjects: configSubject(group), deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: hubAppliedSeq(deps.db, `${stream}:cfg`) + 1,
  });
  const messages = await consumer.consume();
  deps.signal.addEventListener('abort', () => { void messages.close(); }, { once: true });
  for await (const m of messages) {
    const parsed = hqUpdateSchema.safeParse((() => { try { return JSON.parse(m.string()) as unknown; } catch { return null; } })());
    if (!parsed.success) {
      deps.warn(`head-office update ${m.seq} is not valid (${parsed.error.issues[0]?.message ?? 'bad JSON'}); skipped and journaled`);
      // The rejection and the skip are one change (the journal refuses entries outside a transaction).
      deps.db.transaction(() => {
        appendJournal(deps.db, { at: deps.now(), kind: 'hq_update_rejected', ref: String(m.seq), payload: { error: parsed.error.issues[0]?.message ?? 'bad JSON' } });
        setHubAppliedSeq(deps.db, `${stream}:cfg`, m.seq, deps.now());
      }).immediate();
      continue;
    }
    applyHqUpdate(deps.db, parsed.data, { stream, seq: m.seq, at: deps.now(), writeConfig: deps.writeConfig });
  }
}
