/**
 * Migration 6: the delivery lease. Only one process may deliver the outbox at a time (`tanba
 * serve` and a manager's `tanba sync now` share the register database): two senders could both
 * send the head row under different REQNUMs and the OFD would see it twice. The sender takes the
 * lease before a pass and renews it while it sends; another process that cannot take it does not
 * send. (Never edit after it ships.)
 *
 * One row per lease name ('ofd'). `expires_at` bounds how long a crashed holder blocks the others;
 * a holder on the same host whose pid no longer runs is taken over at once.
 */
import type { Migration } from '../migrate.ts';

export const migration006: Migration = {
  version: 6,
  name: 'sync-lease',
  up(db) {
    db.exec(`
      CREATE TABLE sync_lease (
        name        TEXT PRIMARY KEY,                 -- what is leased: 'ofd' (the outbox sender)
        owner       TEXT NOT NULL,                    -- unique id of the holding sender instance
        pid         INTEGER NOT NULL CHECK (pid > 0), -- the holder's process id, shown to the other process
        host        TEXT NOT NULL,                    -- the holder's host name (a pid means something only there)
        acquired_at TEXT NOT NULL,                    -- UTC ISO-8601
        expires_at  TEXT NOT NULL,                    -- UTC ISO-8601; renewed while sending
        CHECK (expires_at >= acquired_at)
      ) STRICT;
    `);
  },
};
