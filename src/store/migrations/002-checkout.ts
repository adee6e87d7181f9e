/**
 * Migration 2: checkout tables — shifts, document counters, sales (sales and returns), their
 * lines, the outbox to the fiscal data operator, the hash-chained journal, manager overrides,
 * users (manager PIN hashes) and e-receipt contacts with consent.
 * (Never edit after it ships — add a new migration.)
 *
 * Invariants the schema itself enforces, so that no bug in the code above can break them:
 * - at most one open shift per register (partial unique index);
 * - shift numbers, printed document numbers and (shift, shift document number) are unique;
 * - a sale line of a return points at the original line, and each original line is returned
 *   at most once (unique index);
 * - the journal is append-only (triggers refuse UPDATE and DELETE; the hash chain makes any
 *   change made around the triggers detectable anyway);
 * - outbox seq is the rowid, so it strictly increases in commit order.
 * A code is never sold twice: that is the sold_codes PRIMARY KEY of migration 1, written in
 * the same transaction as the sale.
 */
import type { Migration } from '../migrate.ts';

export const migration002: Migration = {
  version: 2,
  name: 'checkout',
  up(db) {
    db.exec(`
      CREATE TABLE shifts (
        number        INTEGER PRIMARY KEY,            -- fiscal shift number, rises by one
        id            TEXT NOT NULL UNIQUE,
        register_id   TEXT NOT NULL,
        cashier       TEXT NOT NULL,
        opened_at     TEXT NOT NULL,
        closed_at     TEXT,
        z_report      TEXT                            -- JSON totals, set on close
      ) STRICT;
      CREATE UNIQUE INDEX shifts_one_open ON shifts(register_id) WHERE closed_at IS NULL;

      -- Named monotonic counters (printed_document_number, offline_ticket_number).
      CREATE TABLE counters (
        name   TEXT PRIMARY KEY,
        value  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sales (
        id                      TEXT PRIMARY KEY,       -- UUID made locally = idempotency key
        kind                    TEXT NOT NULL CHECK (kind IN ('sale', 'return')),
        original_sale_id        TEXT REFERENCES sales(id),
        shift_number            INTEGER NOT NULL REFERENCES shifts(number),
        shift_document_number   INTEGER NOT NULL,
        printed_document_number INTEGER NOT NULL UNIQUE,
        register_id             TEXT NOT NULL,
        cashier                 TEXT NOT NULL,
        created_at              TEXT NOT NULL,
        total                   INTEGER NOT NULL,       -- minor units (tiyn), tax included
        tax_total               INTEGER NOT NULL,
        payments                TEXT NOT NULL,          -- JSON [{type, amount}]
        taken                   INTEGER NOT NULL,
        change                  INTEGER NOT NULL,
        CHECK ((kind = 'return') = (original_sale_id IS NOT NULL)),
        UNIQUE (shift_number, shift_document_number)
      ) STRICT;
      CREATE INDEX sales_original ON sales(original_sale_id) WHERE original_sale_id IS NOT NULL;

      CREATE TABLE sale_lines (
        id                TEXT PRIMARY KEY,
        sale_id           TEXT NOT NULL REFERENCES sales(id),
        position          INTEGER NOT NULL,
        code              TEXT,                 -- exactly as scanned (GS = 0x1D); NULL for typed-in items
        cis               TEXT,                 -- canonical identification code, NULL for unmarked goods
        gtin              TEXT,
        name              TEXT NOT NULL,
        product_group     TEXT,
        section_code      TEXT NOT NULL,
        unit              TEXT,
        quantity_milli    INTEGER NOT NULL CHECK (quantity_milli > 0),  -- thousandths, as the protocol
        units             INTEGER,              -- units of a package sold in parts, else NULL
        price             INTEGER NOT NULL CHECK (price >= 0),
        sum               INTEGER NOT NULL CHECK (sum >= 0),
        tax_percent_milli INTEGER NOT NULL,     -- thousandths of a percent, 16000 = 16 %
        tax_sum           INTEGER NOT NULL,
        ai                INTEGER NOT NULL DEFAULT 0,  -- product produced with AI (label it)
        decision          TEXT NOT NULL CHECK (decision IN ('allow', 'warn', 'refuse')),
        verdict           TEXT NOT NULL,        -- JSON of the rules' verdict
        check_source      TEXT NOT NULL CHECK (check_source IN ('online', 'cache', 'none')),
        request_id        TEXT,
        checked_at        TEXT NOT NULL,
        override_id       TEXT REFERENCES overrides(id),
        original_line_id  TEXT REFERENCES sale_lines(id),  -- set on return lines
        UNIQUE (sale_id, position)
      ) STRICT;
      CREATE INDEX sale_lines_sale ON sale_lines(sale_id);
      CREATE INDEX sale_lines_cis ON sale_lines(cis) WHERE cis IS NOT NULL;
      CREATE UNIQUE INDEX sale_lines_returned_once ON sale_lines(original_line_id) WHERE original_line_id IS NOT NULL;

      CREATE TABLE overrides (
        id          TEXT PRIMARY KEY,
        at          TEXT NOT NULL,
        manager     TEXT NOT NULL,
        cashier     TEXT NOT NULL,
        code        TEXT NOT NULL,   -- as scanned
        cis         TEXT,
        rule        TEXT NOT NULL,
        reason_code TEXT NOT NULL,   -- the verdict's reason
        reason      TEXT NOT NULL,   -- the manager's words
        sale_id     TEXT REFERENCES sales(id)  -- set when the sale commits; NULL = basket cancelled
      ) STRICT;

      CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        seq              INTEGER NOT NULL UNIQUE,   -- strict delivery order
        kind             TEXT NOT NULL CHECK (kind IN ('sell', 'sell_return', 'close_shift', 'x_report', 'money_placement')),
        document_id      TEXT NOT NULL UNIQUE,      -- idempotency key
        payload          TEXT NOT NULL,             -- self-contained JSON of the fiscal document
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'delivered', 'blocked')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  TEXT,
        last_error       TEXT,
        created_at       TEXT NOT NULL,
        delivered_at     TEXT,
        ticket_number    TEXT,
        qr_url           TEXT,
        offline          INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX outbox_state ON outbox(state, seq);

      CREATE TABLE journal (
        seq        INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        kind       TEXT NOT NULL,
        ref        TEXT,
        payload    TEXT NOT NULL,   -- canonical JSON
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
      CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
        BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

      CREATE TABLE users (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        role       TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
        pin_hash   TEXT NOT NULL,   -- scrypt, hex
        pin_salt   TEXT NOT NULL,   -- hex
        created_at TEXT NOT NULL
      ) STRICT;

      -- Customer contacts for e-receipts; personal data, kept only while consent lasts.
      CREATE TABLE contacts (
        id           TEXT PRIMARY KEY,
        sale_id      TEXT NOT NULL REFERENCES sales(id),
        phone        TEXT,
        email        TEXT,
        purpose      TEXT NOT NULL,
        consent_at   TEXT NOT NULL,
        expires_at   TEXT,            -- NULL: until delivered + retention (set on delivery)
        withdrawn_at TEXT,
        CHECK (phone IS NOT NULL OR email IS NOT NULL)
      ) STRICT;
      CREATE INDEX contacts_sale ON contacts(sale_id);
    `);
  },
};
