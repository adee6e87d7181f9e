/**
 * The checkout's view of the journal: verification with a message that names the first broken
 * link. Writing happens in src/store/journal.ts, always inside the transaction of the change.
 */
import { documentWithoutJournal, firstDigestMismatch, verifyJournal, type Db, type JournalVerification } from '../store/index.ts';

export { verifyJournal, type JournalVerification };

/**
 * Checks the chain and, beyond it, that every sale and return has its journal entry (a sale
 * written around the journal writer is as much a tampering as a changed entry) and is still the
 * document that entry committed to (its digest: a changed total or line is named).
 */
export function verifyRegister(db: Db): JournalVerification {
  const chain = verifyJournal(db);
  if (!chain.ok) return chain;
  const missing = documentWithoutJournal(db);
  if (missing !== undefined) return { ok: false, count: chain.count, brokenAt: chain.count + 1, reason: `document ${missing} has no journal entry` };
  // Every document against the digest its entry committed to: the first changed one is named.
  const changed = firstDigestMismatch(db);
  if (changed !== undefined) {
    return { ok: false, count: chain.count, brokenAt: changed.seq ?? chain.count, reason: `document ${changed.id}: ${changed.reason}` };
  }
  return chain;
}

/** One line for people: "journal OK: 12 entries" or "journal BROKEN at entry 7: ...". */
export function describeVerification(v: JournalVerification): string {
  return v.ok ? `journal OK: ${v.count} entries, chain intact` : `journal BROKEN at entry ${v.brokenAt}: ${v.reason}`;
}
