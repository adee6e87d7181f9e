/**
 * Head office's web view (`tanba hq serve`, src/hub/hq-web.ts): what its JSON routes answer.
 * The view runs beside the hub, not in a register, but it is built with the register's UI, so
 * its answers are typed here like every other route the UI calls (docs/hub.md lists them).
 */

/** One register as head office sees it (its last heartbeat and the documents that reached the hub). */
export interface HqRegisterView {
  id: string;
  /** Documents waiting for the registry (OFD) at the last heartbeat; null before the first heartbeat. */
  queue: number | null;
  /** UTC time of the oldest document not yet delivered to the registry. */
  oldestUndelivered: string | null;
  /** Hours left before the register reaches the offline limit. */
  hoursLeft: number | null;
  mode: string | null;
  /** Refused scans in the last hour, by reason code. */
  refusalsLastHour: Record<string, number>;
  unguarded: number;
  conflicts: number;
  hubQueue: number | null;
  documents: number;
  /** UTC time of the last heartbeat (the register's clock). */
  lastSeen: string | null;
}

/** `GET /api/hq/status[?store=&problems=1&silent=H]`. */
export interface HqStatusView { at: string; stores: { id: string; registers: HqRegisterView[] }[] }

/** The filters of `GET /api/hq/status` and `GET /api/hq/status.csv`. */
export interface HqStatusQuery {
  /** Store id prefix. */
  store?: string;
  /** `1`: only registers with something to look at (queue, unguarded, conflicts, under 24 h left). */
  problems?: '1';
  /** Only registers not seen for this many hours. */
  silent?: number;
}

/** A document that reached head office, in the register's order. */
export interface HqDocumentView { id: string; kind: string; seq: number; at: string }

/** `GET /api/hq/registers/:store/:register`. */
export interface HqRegisterDocuments {
  store: string;
  register: string;
  /** A page of the register's documents, oldest first (the newest page unless `before` was given). */
  documents: HqDocumentView[];
  /** How many of the register's documents the hub holds. */
  total: number;
  /** Pass as `before` for the next older page; null when this page reaches the oldest. */
  older: number | null;
}

/** `GET /api/hq/session`: who the caller is at head office (the one role, viewer). */
export interface HqSessionView { role: 'viewer'; tokenRequired: boolean }
