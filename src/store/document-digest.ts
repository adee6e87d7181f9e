/**
 * The content digest of a fiscal document (sale or return) as recorded: SHA-256 over a canonical
 * serialisation of its `sales` row and its `sale_lines` rows (codes exactly as scanned, CIS,
 * prices, sums, tax, verdicts), with a fixed column list — version 1 — so a column a later
 * migration adds does not change the digest of an old document. The journal entry of each
 * document carries this digest (`payload.digest`), so the hash chain commits to the content:
 * editing `sales.total` or a line's price breaks `journal verify`.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db-type.ts';
import { canonicalJson } from './journal.ts';
import { prepared } from './cache-codes.ts';

/** Version of the serialisation (stored beside each digest). */
export const DIGEST_VERSION = 1;

const SALE_COLUMNS = ['id', 'kind', 'original_sale_id', 'shift_number', 'shift_document_number', 'printed_document_number', 'register_id', 'cashier', 'created_at', 'total', 'tax_total', 'payments', 'taken', 'change'];
const LINE_COLUMNS = [
  'id', 'sale_id', 'position', 'code', 'cis', 'gtin', 'name', 'product_group', 'section_code', 'unit', 'quantity_milli', 'units', 'price', 'sum',
  'tax_percent_milli', 'tax_sum', 'ai', 'decision', 'verdict', 'check_source', 'request_id', 'checked_at', 'check_provider', 'request_time', 'override_id',
  'original_line_id',
];

/** The digest of document `id` as it is recorded now, or null when there is no such document. */
export function documentDigest(db: Db, id: string): string | null {
  const sale = prepared(db, `SELECT ${SALE_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM sales WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  if (sale === undefined) return null;
  const lines = prepared(db, `SELECT ${LINE_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM sale_lines WHERE sale_id = ? ORDER BY position, id`).all(id) as Record<string, unknown>[];
  return createHash('sha256').update(canonicalJson({ v: DIGEST_VERSION, sale, lines })).digest('hex');
}

/** Documents in the order they were recorded (printed document number). */
export function documentIds(db: Db): string[] {
  return prepared(db, 'SELECT id FROM sales ORDER BY printed_document_number').pluck().all() as string[];
}

/** Journal kind of an entry that seals the digests of documents recorded before digests existed (migration 13). */
export const DIGEST_SEAL_KIND = 'digest-seal';

/** The digest each document's journal entries commit to (a document's own entry, or a seal). */
export function journaledDigests(db: Db): Map<string, string> {
  const out = new Map<string, string>();
  const rows = prepared(db, `SELECT kind, ref, payload FROM journal WHERE kind IN ('sale', 'return', '${DIGEST_SEAL_KIND}') ORDER BY seq`).all() as { kind: string; ref: string | null; payload: string }[];
  for (const r of rows) {
    let payload: unknown;
    try { payload = JSON.parse(r.payload); } catch { continue; }
    if (payload === null || typeof payload !== 'object') continue;
    const p = payload as { digest?: unknown; documents?: unknown };
    if (r.kind === DIGEST_SEAL_KIND && Array.isArray(p.documents)) {
      for (const d of p.documents as { id?: unknown; digest?: unknown }[]) if (typeof d.id === 'string' && typeof d.digest === 'string' && !out.has(d.id)) out.set(d.id, d.digest);
    } else if (r.ref !== null && typeof p.digest === 'string') out.set(r.ref, p.digest);
  }
  return out;
}

/**
 * The first document whose recorded content no longer matches the digest its journal entry
 * committed to, or that no entry covers; undefined when every document matches.
 */
export function firstDigestMismatch(db: Db): { id: string; seq: number | null; reason: string } | undefined {
  const committed = journaledDigests(db);
  const seqOf = (id: string): number | null =>
    (prepared(db, "SELECT seq FROM journal WHERE ref = ? AND kind IN ('sale', 'return') ORDER BY seq LIMIT 1").pluck().get(id) as number | undefined) ?? null;
  for (const id of documentIds(db)) {
    const want = committed.get(id);
    if (want === undefined) return { id, seq: seqOf(id), reason: 'no journal entry commits to its content' };
    if (documentDigest(db, id) !== want) return { id, seq: seqOf(id), reason: 'its sale or line rows were changed after it was recorded (content does not match the journal)' };
  }
  return undefined;
}
