/**
 * Migration 1: the code-status cache. (Never edit after it ships — add a new migration.)
 *
 * Compact for ~10M codes: `codes` is WITHOUT ROWID keyed by the CIS (the row lives in the primary
 * key B-tree, no second index), status is a small integer, the expiry is a day number (days since
 * 1970-01-01, 2 bytes on disk), the MRP is minor units. The GTIN is not stored per code: it is part
 * of the CIS (characters 3-16 of a GS1 CIS, 1-14 of a tobacco pack CIS).
 *
 * `stage_*` tables have the same columns as the live ones: an import writes there in batches
 * (resumable), and only the final transaction moves the data into the live tables (a full
 * snapshot swaps the `codes` tables by renaming), so readers never see a half-imported feed.
 */
import type { Migration } from '../migrate.ts';

export const migration001: Migration = {
  version: 1,
  name: 'cache',
  up(db) {
    db.exec(`
      -- status: 1 in_circulation, 2 sold, 3 withdrawn, 4 not_introduced (src/store/cache-codes.ts)
      CREATE TABLE codes (
        cis TEXT PRIMARY KEY NOT NULL,
        status INTEGER NOT NULL,
        expires INTEGER,
        mrp INTEGER
      ) WITHOUT ROWID;
      CREATE TABLE stage_codes (
        cis TEXT PRIMARY KEY NOT NULL,
        status INTEGER NOT NULL,
        expires INTEGER,
        mrp INTEGER
      ) WITHOUT ROWID;

      -- kind: 1 by code (key = CIS), 2 by GTIN (key = GTIN), 3 by GTIN + batch (key = GTIN, batch).
      CREATE TABLE blocks (
        kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
        key TEXT NOT NULL,
        batch TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (kind, key, batch)
      ) WITHOUT ROWID;
      -- op: 1 block, 0 unblock (last record of an import wins)
      CREATE TABLE stage_blocks (
        kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
        key TEXT NOT NULL,
        batch TEXT NOT NULL DEFAULT '',
        op INTEGER NOT NULL CHECK (op IN (0, 1)),
        PRIMARY KEY (kind, key, batch)
      ) WITHOUT ROWID;

      -- Product catalogue: prices in minor units; partial = units per package when sold by units.
      CREATE TABLE products (
        gtin TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        grp TEXT NOT NULL,
        ai INTEGER NOT NULL CHECK (ai IN (0, 1)),
        unit TEXT,
        min_price INTEGER,
        price INTEGER,
        partial INTEGER CHECK (partial IS NULL OR partial > 0)
      ) WITHOUT ROWID;
      CREATE TABLE stage_products (
        gtin TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        grp TEXT NOT NULL,
        ai INTEGER NOT NULL CHECK (ai IN (0, 1)),
        unit TEXT,
        min_price INTEGER,
        price INTEGER,
        partial INTEGER CHECK (partial IS NULL OR partial > 0)
      ) WITHOUT ROWID;

      -- Codes this store sold, written by the checkout inside its sale transaction. The primary key
      -- is what makes a double sale impossible, also across two processes on one file.
      CREATE TABLE sold_codes (
        cis TEXT PRIMARY KEY NOT NULL,
        sale_id TEXT NOT NULL,
        sold_at TEXT NOT NULL,
        units_sold INTEGER NOT NULL CHECK (units_sold > 0),
        units_total INTEGER NOT NULL CHECK (units_total > 0 AND units_sold <= units_total),
        returns_until TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sold_codes_returns_until ON sold_codes (returns_until);

      -- Last successful sync per channel ('feed'): drives the freshness state machine.
      CREATE TABLE cache_sync (
        channel TEXT PRIMARY KEY NOT NULL,
        last_sync_at TEXT,
        cursor TEXT,
        last_full_at TEXT,
        last_kind TEXT
      );

      -- The import under way (at most one). Updated in the same transaction as each staged batch,
      -- so a killed import resumes after its last committed batch. The row is also the import's
      -- lease: holder pid + random token + expiry (UTC ISO), renewed with every batch; every write
      -- of an import checks the token, so two importers never share the staging tables. A lease
      -- whose expiry passed (or whose holder process is gone) may be taken over (NULL = free).
      CREATE TABLE cache_import (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        kind TEXT NOT NULL CHECK (kind IN ('full', 'delta')),
        source TEXT NOT NULL,
        file_size INTEGER,
        file_mtime_ms INTEGER,
        file_head TEXT,
        byte_offset INTEGER NOT NULL,
        line INTEGER NOT NULL,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        holder_pid INTEGER,
        lease_token TEXT,
        lease_until TEXT
      );
    `);
  },
};
