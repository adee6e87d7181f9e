/**
 * The register's configuration as a service: read once, changed through `update` (validated
 * with the same zod schema as at start-up, written atomically), secrets masked for display.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files.ts';
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
