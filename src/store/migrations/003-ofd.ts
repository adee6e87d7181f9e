/**
 * Migration 3: the fiscal data operator (OFD) client's state. (Never edit after it ships — add a
 * new migration.)
 *
 * `ofd_state` holds, per device id, everything protocol 2.0.2 makes the register remember:
 * the exchange TOKEN and last REQNUM, the request in flight (so a crash or a dropped connection
 * resends it with the SAME token and REQNUM), the shift / document counters the device keeps,
 * the offline and blocked modes. `ofd_documents` keeps what the OFD answered for each accepted
 * document (ticket number, receipt URL), keyed by the caller's own key (e.g. 'sale:42').
 *
 * Invariant: a new token and the state change it belongs to are written in one transaction, so
 * the database never holds a token the OFD has already replaced, nor a replaced one next to an
 * accepted document.
 */
import type { Migration } from '../migrate.ts';

export const migration003: Migration = {
  version: 3,
  name: 'ofd',
  up(db) {
    db.exec(`
      CREATE TABLE ofd_state (
        device_id INTEGER PRIMARY KEY CHECK (device_id BETWEEN 0 AND 4294967295),
        token INTEGER NOT NULL CHECK (token BETWEEN 0 AND 4294967295),
        -- the last REQNUM used (0 = none yet); the next request uses nextReqNum(reqnum)
        reqnum INTEGER NOT NULL DEFAULT 0 CHECK (reqnum BETWEEN 0 AND 65535),
        -- the request in flight: reserved and stored BEFORE it is sent
        pending_reqnum INTEGER CHECK (pending_reqnum BETWEEN 1 AND 65535),
        pending_token INTEGER,
        pending_command INTEGER,
        pending_request BLOB,
        pending_since TEXT,
        -- counters the device keeps (protocol 2.0.0+: the server only checks them)
        shift_number INTEGER NOT NULL DEFAULT 1 CHECK (shift_number >= 1),
        shift_document_number INTEGER NOT NULL DEFAULT 0 CHECK (shift_document_number >= 0),
        printed_document_number INTEGER NOT NULL DEFAULT 0 CHECK (printed_document_number >= 0),
        -- offline mode: since the first failed attempt, until a response arrives
        offline_since TEXT,
        last_offline_begin TEXT,
        last_offline_end TEXT,
        last_attempt_at TEXT,
        last_contact_at TEXT,
        last_offline_ticket_number INTEGER,
        -- blocked mode: a non-retryable result, kept until a person resolves it
        blocked_code INTEGER,
        blocked_text TEXT,
        blocked_command INTEGER,
        blocked_at TEXT,
        -- the last TICKET_AD_INFO text the OFD sent (shown in server-blocked mode, 5.4)
        info_message TEXT,
        updated_at TEXT NOT NULL,
        CHECK ((pending_reqnum IS NULL) = (pending_request IS NULL))
      ) STRICT;

      CREATE TABLE ofd_documents (
        key TEXT PRIMARY KEY,
        device_id INTEGER NOT NULL REFERENCES ofd_state(device_id),
        command INTEGER NOT NULL,
        reqnum INTEGER NOT NULL,
        ticket_number TEXT,
        qr_url TEXT,
        offline_ticket_number INTEGER,
        accepted_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ofd_documents_ticket ON ofd_documents(ticket_number);
    `);
  },
};
