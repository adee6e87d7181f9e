/**
 * The register's configuration as a service: read once, changed through `update` (validated
 * with the same zod schema as at start-up, written atomically), secrets masked for display.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { configPath, configSchema, ensureDataDir, isTrainingMode, loadConfig, maskSecrets, ConfigError, type Config } from '../config.ts';

/** The one configuration masker (src/config.ts), re-exported for the server's callers. */
export { maskSecrets } from '../config.ts';
import { checkConfigPatch, MAX_CONFIG_BYTES } from './config-guard.ts';

/** Read and change the configuration. */
export interface Settings {
  get(): Config;
  trainingMode(): boolean;
  /** Deep-merges `patch` into the file's contents, validates, writes atomically. Throws ConfigError. */
  update(patch: Record<string, unknown>): Config;
  masked(): unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/**
 * Write-then-rename, durably: the temp file (0600) is written and fsync'd, renamed over the
 * file, and the directory fsync'd so the rename itself survives a power cut. A crash leaves the
 * old file or the new one, never half of one.
 */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
  if (process.platform === 'win32') return;
  const dir = openSync(dirname(file), 'r');
  try { fsyncSync(dir); } finally { closeSync(dir); }
}

/** Settings backed by the data directory's config file. */
export function fileSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): Settings {
  let current = loadConfig(dataDir, env);
  const file = configPath(dataDir, env);
  return {
    get: () => current,
    trainingMode: () => isTrainingMode(current),
    update(patch) {
      // A body that is not a plain JSON object (a stream from another content type's parser) is refused before it is read.
      const proto: unknown = isObject(patch) ? Object.getPrototypeOf(patch) : undefined;
      if (proto !== Object.prototype && proto !== null) throw new ConfigError('the change must be a JSON object sent as application/json');
      checkConfigPatch(configSchema, patch);
      const onDisk: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
      const next = merge(isObject(onDisk) ? onDisk : {}, patch);
      const checked = configSchema.safeParse(next);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new ConfigError(`${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      const text = `${JSON.stringify(next, null, 2)}\n`;
      if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) throw new ConfigError(`the configuration would be ${Buffer.byteLength(text)} bytes; at most ${MAX_CONFIG_BYTES}`);
      ensureDataDir(dataDir);
      writeFileAtomic(file, text);
      current = loadConfig(dataDir, env);
      return current;
    },
    masked: () => maskSecrets(current),
  };
}
