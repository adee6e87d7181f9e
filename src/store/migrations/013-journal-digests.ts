/**
 * Migration 13: the journal commits to each document's content. (Never edit after it ships.)
 *
 * From this version on, the journal entry of every sale and return carries the SHA-256 digest of
 * the document as recorded (src/store/document-digest.ts), and `journal verify` recomputes it.
 * Documents recorded before the upgrade have entries without a digest: this migration seals them
 * — it appends `digest-seal` entries (up to 500 documents each) to the hash chain, holding each
 * old document's digest as it is at the upgrade. A change made to an old document BEFORE the
 * upgrade cannot be detected any more (nothing recorded its content); any change after it can.
 * No schema change: the seal entries are ordinary journal entries.
 */
import type { Migration } from '../migrate.ts';
import { DIGEST_SEAL_KIND, DIGEST_VERSION, documentDigest } from '../document-digest.ts';
import { appendJournal } from '../journal.ts';

/** Documents per seal entry. */
const SEAL_SIZE = 500;

export const migration013: Migration = {
  version: 13,
  name: 'journal-digests',
  up(db) {
    const ids = db.prepare('SELECT id FROM sales ORDER BY printed_document_number').pluck().all() as string[];
    const at = new Date().toISOString();
    for (let i = 0; i < ids.length; i += SEAL_SIZE) {
      const documents = ids.slice(i, i + SEAL_SIZE).map((id) => ({ id, digest: documentDigest(db, id) as string }));
      appendJournal(db, { at, kind: DIGEST_SEAL_KIND, ref: null, payload: { version: DIGEST_VERSION, reason: 'upgrade: documents recorded before digests', documents } });
    }
  },
};
