/**
 * Numbered schema migrations checked by `PRAGMA user_version` (Signal-Desktop style). Each
 * migration runs in its own transaction together with the version bump, so a crash leaves the
 * database either before or after it, never half-way. A database written by a newer Tanba is
 * refused rather than guessed at.
 */
import type Database from 'better-sqlite3';

/** One schema step. `version` numbers are 1, 2, 3, ... without gaps. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** Thrown when the database was written by a newer schema than this program knows. */
export class NewerDatabaseError extends Error {
  override name = 'NewerDatabaseError';
  constructor(readonly found: number, readonly known: number) {
    super(`database schema version ${found} is newer than this Tanba understands (${known}); upgrade Tanba, do not downgrade the data`);
  }
}

/** The schema version stored in the file. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration above the stored version, one transaction each. */
export function migrate(db: Database.Database, migrations: readonly Migration[], options: { readonly?: boolean } = {}): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order: position ${i + 1} holds version ${m.version} (${m.name})`);
  });
  const known = migrations.length;
  const current = schemaVersion(db);
  if (current > known) throw new NewerDatabaseError(current, known);
  if (current === known) return current;
  if (options.readonly) throw new Error(`database schema version ${current} needs migrating to ${known}; open it writable once`);
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return known;
}
