import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultDataDir, isTrainingMode, loadConfig, resolveDataDir } from './config.ts';

test('default data directory follows each OS convention', () => {
  assert.equal(defaultDataDir({ HOME: '/home/k', XDG_DATA_HOME: '/xdg' }, 'linux'), '/xdg/tanba');
  assert.equal(defaultDataDir({ HOME: '/home/k' }, 'linux'), '/home/k/.local/share/tanba');
  // A relative XDG_DATA_HOME is invalid per the spec and ignored.
  assert.equal(defaultDataDir({ HOME: '/home/k', XDG_DATA_HOME: 'rel' }, 'linux'), '/home/k/.local/share/tanba');
  assert.match(defaultDataDir({ APPDATA: 'C:\\Users\\k\\AppData\\Roaming' }, 'win32'), /Roaming.Tanba$/);
  assert.equal(defaultDataDir({ HOME: '/Users/k' }, 'darwin'), '/Users/k/Library/Application Support/Tanba');
});

test('--data-dir wins over TANBA_DATA_DIR, which wins over the default', () => {
  assert.equal(resolveDataDir('/flag', { TANBA_DATA_DIR: '/env' }), '/flag');
  assert.equal(resolveDataDir(undefined, { TANBA_DATA_DIR: '/env' }), '/env');
  assert.equal(resolveDataDir(undefined, { HOME: '/h' }), defaultDataDir({ HOME: '/h' }));
});

test('config: defaults, file, environment overrides, and clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-config-'));
  try {
    const defaults = loadConfig(dir, {});
    assert.equal(defaults.cache.offlineLimitHours, 72);
    assert.deepEqual(defaults.languages, ['ru', 'kk']);
    assert.equal(isTrainingMode(defaults), true);

    writeFileSync(join(dir, 'config.json'), JSON.stringify({ store: { name: 'Дүкен' }, cache: { offlineLimitHours: 24 } }));
    const fromFile = loadConfig(dir, { TANBA_LANGUAGES: 'kk,en' });
    assert.equal(fromFile.store.name, 'Дүкен');
    assert.equal(fromFile.cache.offlineLimitHours, 24);
    assert.deepEqual(fromFile.languages, ['kk', 'en']);

    // The legal limit can only be lowered.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ cache: { offlineLimitHours: 100 } }));
    assert.throws(() => loadConfig(dir, {}), (e: unknown) => e instanceof ConfigError && /cache\.offlineLimitHours/.test(e.message));

    writeFileSync(join(dir, 'config.json'), '{not json');
    assert.throws(() => loadConfig(dir, {}), (e: unknown) => e instanceof ConfigError && /not valid JSON/.test(e.message));

    writeFileSync(join(dir, 'config.json'), '{}');
    assert.throws(() => loadConfig(dir, { TANBA_LOG_LEVEL: 'loud' }), (e: unknown) => e instanceof ConfigError && /log\.level/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
