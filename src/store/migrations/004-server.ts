/**
 * Migration 4: the local API's tables — login sessions and the audit log of privileged
 * actions — and the technician / admin roles for users. (Never edit after it ships.)
 *
 * Session tokens are stored only as SHA-256 hashes: a copied database file does not let anyone
 * log in. The audit log is append-only (triggers refuse UPDATE and DELETE).
 */
import type { Migration } from '../migrate.ts';

export const migration004: Migration = {
  version: 4,
  name: 'server',
  up(db) {
    db.exec(`
      -- Widen the role check: SQLite cannot alter a CHECK, so rebuild the table (nothing
      -- references users by foreign key; ids are kept).
      CREATE TABLE users_new (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'technician', 'admin')),
        pin_hash   TEXT NOT NULL,
        pin_salt   TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO users_new SELECT id, name, role, pin_hash, pin_salt, created_at FROM users;
      DROP TABLE users;
      ALTER TABLE users_new RENAME TO users;

      CREATE TABLE sessions (
        token_hash  TEXT PRIMARY KEY,        -- SHA-256 of the bearer token, hex
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_expiry ON sessions(expires_at);

      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        user_id   TEXT,
        user_name TEXT,
        role      TEXT,
        action    TEXT NOT NULL,     -- e.g. 'login', 'login_failed', 'config.update', 'override'
        outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
        details   TEXT NOT NULL DEFAULT '{}',   -- JSON, never secrets
        remote    TEXT
      ) STRICT;
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `);
  },
};
