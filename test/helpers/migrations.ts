/**
 * Migration tests in the manner of Signal-Desktop (ts/test-node/sql/helpers.ts): a real database
 * file is brought to version N−1, rows are inserted in that version's shape, the file is migrated
 * to N, and the test asserts the rows and the query plans of the statements that read them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { migrate, schemaVersion } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

/** The newest schema version this program knows. */
export const LATEST = MIGRATIONS.length;

/** A database file in a fresh temporary directory, at `version` (default: none applied). */
export function tempDatabase(version = 0): { db: Db; file: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-migrations-'));
  const file = join(dir, 'tanba.db');
  const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, version) });
  return {
    db, file,
    done() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Applies the migrations up to and including `version`, each in its own transaction as
 * openDatabase does. Going back is not possible: a newer file is refused (NewerDatabaseError).
 */
export function migrateTo(db: Db, version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > LATEST) throw new RangeError(`no schema version ${version} (latest is ${LATEST})`);
  migrate(db, MIGRATIONS.slice(0, version));
  if (schemaVersion(db) !== version) throw new Error(`database is at ${schemaVersion(db)}, not ${version}`);
}

/** A column value as SQLite stores it. */
export type SqlValue = string | number | bigint | Buffer | null;
/** One row: column name to value. */
export type Row = Record<string, SqlValue>;

/**
 * Inserts rows written out column by column (the shape of the table at the current version, not
 * through today's store functions, which may already expect a newer shape). One transaction.
 */
export function insertRows(db: Db, table: string, rows: readonly Row[]): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  db.transaction(() => {
    for (const row of rows) {
      const columns = Object.keys(row);
      if (columns.length === 0 || !columns.every((c) => /^[a-z_][a-z0-9_]*$/.test(c))) throw new Error(`bad columns for ${table}: ${columns.join(', ')}`);
      db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => row[c]));
    }
  })();
}

/** Every row of a table in rowid / primary-key order, as plain objects. */
export function tableRows(db: Db, table: string): Row[] {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  return db.prepare(`SELECT * FROM ${table}`).all() as Row[];
}

/** The user tables of the database (SQLite's own and FTS shadow tables left out). */
export function tableNames(db: Db): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

/** SQLite's plan for a statement, one `detail` line per step (e.g. `SEARCH c USING PRIMARY KEY (cis=?)`). */
export function queryPlan(db: Db, sql: string, params: readonly unknown[] = []): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** A statement a piece of code prepared, with the parameters of its last run. */
export interface RecordedStatement { sql: string; params: unknown[] }

/**
 * Runs `fn` and returns every statement it prepared on `db` with the parameters it ran them with,
 * so a test can ask for the plan of the very SQL the store runs. Use a fresh connection: the
 * store caches prepared statements per connection, and a cached one is not prepared again.
 */
export function recordStatements(db: Db, fn: () => void): RecordedStatement[] {
  const seen: RecordedStatement[] = [];
  const original = db.prepare;
  const prepare = (sql: string): Statement => {
    const statement = original.call(db, sql) as Statement;
    const entry: RecordedStatement = { sql, params: [] };
    seen.push(entry);
    for (const method of ['get', 'all', 'run', 'iterate'] as const) {
      const run = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      Object.defineProperty(statement, method, { value: (...args: unknown[]) => { entry.params = args; return run(...args); } });
    }
    return statement;
  };
  const own = Object.getOwnPropertyDescriptor(db, 'prepare');
  Object.defineProperty(db, 'prepare', { value: prepare, configurable: true, writable: true });
  try {
    fn();
  } finally {
    if (own) Object.defineProperty(db, 'prepare', own);
    else delete (db as { prepare?: unknown }).prepare;
  }
  return seen;
}
