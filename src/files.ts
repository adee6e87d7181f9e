/**
 * Durable file replacement, the one write-then-rename of the code base (config.json through the
 * settings service and head office, devices.json): a crash or a full disk leaves the old file or
 * the new one, never half of one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of a newly written file (default 0600: config files may hold secrets). */
  mode?: number;
}

/**
 * Writes `text` to a temp file beside `file`, fsyncs it, renames it over `file` and fsyncs the
 * directory so the rename itself survives a power cut. On any failure the temp is removed and
 * `file` keeps its old contents; the error is rethrown.
 */
export function writeFileAtomic(file: string, text: string, options: AtomicWriteOptions = {}): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', options.mode ?? 0o600);
    try {
      // writeFileSync on a descriptor loops until every byte is written (a bare writeSync may
      // write part of the text and report no error, e.g. at a file-size limit).
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectory(dirname(file));
}

/** Makes a directory's entries (a rename into it) durable; Windows cannot open a directory. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}
