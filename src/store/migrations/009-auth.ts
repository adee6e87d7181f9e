/**
 * Migration 9: who may sign in. (Never edit after it ships.)
 *
 * - `users.disabled_at`: an administrator can disable a user; a disabled user cannot sign in or
 *   approve, and their sessions end. NULL = active.
 * - `auth_failures`: wrong PINs counted per account, so a lockout holds across restarts and
 *   does not depend on the caller's address. `kind` 'pin' counts wrong PINs of the account
 *   itself (login and override approvals guess the same PIN, so they share it); 'approvals'
 *   counts failed approvals requested by the account (a cashier trying managers' PINs).
 *   `failures` are consecutive: a success or an administrator's unlock deletes the row.
 */
import type { Migration } from '../migrate.ts';

export const migration009: Migration = {
  version: 9,
  name: 'auth',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN disabled_at TEXT;

      CREATE TABLE auth_failures (
        user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL CHECK (kind IN ('pin', 'approvals')),
        failures     INTEGER NOT NULL CHECK (failures > 0),
        last_at      TEXT NOT NULL,     -- UTC ISO time of the last failure
        locked_until TEXT,              -- no attempt is checked before this UTC time
        PRIMARY KEY (user_id, kind)
      ) STRICT;
    `);
  },
};
