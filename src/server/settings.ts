/**
 * The register's configuration as a service: read once, changed through `update` (validated
 * with the same zod schema as at start-up, written atomically), secrets masked for display.
 */
import { renameSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { configPath, configSchema, ensureDataDir, isTrainingMode, loadConfig, ConfigError, type Config } from '../config.ts';

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

/** Replaces secret values (tokens, passwords, PINs) with "***". */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = /token|password|secret|pin|api_?key/i.test(k) && v !== undefined ? '***' : maskSecrets(v);
    return out;
  }
  return value;
}

/** Settings backed by the data directory's config file. */
export function fileSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): Settings {
  let current = loadConfig(dataDir, env);
  const file = configPath(dataDir, env);
  return {
    get: () => current,
    trainingMode: () => isTrainingMode(current),
    update(patch) {
      const onDisk: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
      const next = merge(isObject(onDisk) ? onDisk : {}, patch);
      const checked = configSchema.safeParse(next);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new ConfigError(`${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      ensureDataDir(dataDir);
      // Write-then-rename: a crash leaves the old file or the new one, never half of one.
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, file);
      current = loadConfig(dataDir, env);
      return current;
    },
    masked: () => maskSecrets(current),
  };
}
