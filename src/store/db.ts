/**
 * Opening the register's SQLite database: WAL, synchronous=FULL (a committed sale survives a
 * power cut), foreign keys on, busy timeout so two processes on one file wait rather than fail,
 * then migrations.
 */
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { makeExistingPrivate, makePrivateDir, makePrivateFile } from './private.ts';
import { migrate, type Migration } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type { Db } from './db-type.ts';
import type { Db } from './db-type.ts';

/** Options for {@link openDatabase}. */
export interface OpenOptions {
  /** Open without writing or migrating (a newer schema is still refused). */
  readonly?: boolean;
  /** Milliseconds to wait on a lock held by another process (default 5000). */
  busyTimeoutMs?: number;
  /** Override the migration list (tests). */
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) and migrates the database at `path`. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const onDisk = path !== ':memory:' && path !== '' && !options.readonly;
  if (onDisk) {
    // 0700 directory, 0600 file before SQLite opens it: its -wal and -shm then get 0600 too.
    makePrivateDir(dirname(path));
    makePrivateFile(path);
  }
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a transaction is durable once COMMIT returns, also in WAL mode (NORMAL is not).
      db.pragma('synchronous = FULL');
    }
    if (onDisk) makeExistingPrivate(`${path}-wal`, `${path}-shm`);
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS, { readonly: options.readonly ?? false });
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
