/**
 * Migration 11: the multi-machine layer (issue 19). (Never edit after it ships.)
 *
 * - hub_claims: every marked code a sale or return of this lane moved, written in the document's
 *   own transaction, until the store's shared KV bucket has it (`confirmed`). `unguarded` = no
 *   reservation answered in time when it was scanned (NATS down or slow): the sale went ahead and
 *   is reconciled later. Nothing is lost if the lane dies between COMMIT and the KV write.
 * - hub_conflicts: a code sold on two lanes (found by reconciliation): both sales, for the manager.
 * - hub_outbox: the documents (sale, return, shift close) waiting to reach head office, in
 *   commit order; msg_id is the document id, sent as Nats-Msg-Id (de-duplicated by JetStream).
 * - hub_applied: how far this lane applied a store stream (status deltas, head-office updates).
 */
import type { Migration } from '../migrate.ts';

export const migration011: Migration = {
  version: 11,
  name: 'hub',
  up(db) {
    db.exec(`
      CREATE TABLE hub_claims (
        id INTEGER PRIMARY KEY,
        op TEXT NOT NULL CHECK (op IN ('sold','returned')),
        cis TEXT NOT NULL,
        code TEXT NOT NULL,                 -- exactly as scanned
        sale_id TEXT NOT NULL,
        at TEXT NOT NULL,                   -- UTC ISO-8601
        unguarded INTEGER NOT NULL DEFAULT 0 CHECK (unguarded IN (0,1)),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','confirmed','conflict')),
        settled_at TEXT,
        UNIQUE (sale_id, cis, op)
      );
      CREATE INDEX hub_claims_pending ON hub_claims (id) WHERE state = 'pending';
      CREATE TABLE hub_conflicts (
        id INTEGER PRIMARY KEY,
        cis TEXT NOT NULL,
        code TEXT NOT NULL,
        store TEXT NOT NULL,
        first_register TEXT NOT NULL, first_sale_id TEXT NOT NULL, first_at TEXT NOT NULL,
        second_register TEXT NOT NULL, second_sale_id TEXT NOT NULL, second_at TEXT NOT NULL,
        found_at TEXT NOT NULL,
        UNIQUE (cis, first_sale_id, second_sale_id)
      );
      CREATE TABLE hub_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        msg_id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('sale','return','shift_close','conflict')),
        payload TEXT NOT NULL,              -- JSON
        created_at TEXT NOT NULL,
        published_at TEXT
      );
      CREATE INDEX hub_outbox_unpublished ON hub_outbox (seq) WHERE published_at IS NULL;
      CREATE TABLE hub_applied (
        stream TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        at TEXT NOT NULL
      );
    `);
  },
};
