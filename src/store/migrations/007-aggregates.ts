/**
 * Migration 7: group-pack (aggregation) contents from the status feed. (Never edit after it ships.)
 *
 * `aggregate_contents` lists, per aggregate code (an SSCC's 18 digits, or the CIS of a group pack
 * / tobacco block), the CIS of each unit inside. The checkout sells an aggregate's units when this
 * table knows them (src/cache/aggregates.ts). The index by CIS answers "which pack holds this
 * unit" without a scan.
 *
 * Like the other cache tables it is filled through staging twins, so an import stays all or
 * nothing: `stage_aggregates` holds the last operation per aggregate code in the import under way
 * (op 1 = set its contents, 0 = disaggregate, i.e. drop it) and `stage_aggregate_contents` the
 * contents of the op-1 rows. Only the commit transaction moves them into the live table.
 */
import type { Migration } from '../migrate.ts';

export const migration007: Migration = {
  version: 7,
  name: 'aggregates',
  up(db) {
    db.exec(`
      CREATE TABLE aggregate_contents (
        code TEXT NOT NULL,             -- SSCC (18 digits) or CIS of the group pack
        cis  TEXT NOT NULL,             -- CIS of one unit inside
        PRIMARY KEY (code, cis)
      ) WITHOUT ROWID;
      CREATE INDEX aggregate_contents_cis ON aggregate_contents (cis);

      -- op: 1 aggregate (contents replaced by the staged ones), 0 disaggregate (dropped); last record wins.
      CREATE TABLE stage_aggregates (
        code TEXT PRIMARY KEY NOT NULL,
        op INTEGER NOT NULL CHECK (op IN (0, 1))
      ) WITHOUT ROWID;
      CREATE TABLE stage_aggregate_contents (
        code TEXT NOT NULL,
        cis  TEXT NOT NULL,
        PRIMARY KEY (code, cis)
      ) WITHOUT ROWID;
    `);
  },
};
