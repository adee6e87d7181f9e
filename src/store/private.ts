/**
 * Data at rest: the register's files hold PIN hashes, customer contacts and sales, so the data
 * directory is 0700 and every file in it 0600 — whatever the umask and whoever made the
 * directory. A mode that is too open is fixed; when it cannot be fixed (the directory or file
 * belongs to another user) the register refuses to start with a message saying what to do.
 * SQLite creates its -wal and -shm files with the mode of the database file, so creating that
 * file 0600 before SQLite opens it covers them too. (POSIX only: Windows has no such modes and
 * the per-user profile directory protects the files there.)
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Thrown when a data file or directory is open to other users and its mode cannot be fixed. */
export class DataModeError extends Error {
  override name = 'DataModeError';
}

const POSIX = process.platform !== 'win32';

function fixMode(path: string, want: number, what: string): void {
  const st = statSync(path);
  if ((st.mode & 0o777) === want) return;
  try {
    chmodSync(path, want);
  } catch (err) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new DataModeError(`${what} ${path} has mode ${mode} (other users may read it) and its mode cannot be changed to ${want.toString(8).padStart(4, '0')} (${(err as Error).message}); its owner (uid ${st.uid}) must run: chmod ${want.toString(8)} '${path}'`);
  }
}

/** Creates `dir` (and its parents) if needed and makes it 0700. */
export function makePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) fixMode(dir, 0o700, 'the data directory');
  return dir;
}

/** Makes `path` 0600, creating it empty (already 0600) when it does not exist. */
export function makePrivateFile(path: string): void {
  if (!POSIX) return;
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  fixMode(path, 0o600, 'the data file');
}

/** Makes 0600 the files `path` names that exist (e.g. a database's -wal and -shm). */
export function makeExistingPrivate(...paths: string[]): void {
  if (!POSIX) return;
  for (const p of paths) if (existsSync(p)) fixMode(p, 0o600, 'the data file');
}

/**
 * The data directory 0700, its sub-directories 0700 and every file below 0600 (two levels: the
 * database, config.json, devices.json, receipts/ ...). Called when a register opens its data.
 */
export function securePrivateTree(dir: string, depth = 2): void {
  makePrivateDir(dir);
  if (!POSIX) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory() && depth > 1) securePrivateTree(p, depth - 1);
    else if (entry.isFile()) fixMode(p, 0o600, 'the data file');
  }
}
