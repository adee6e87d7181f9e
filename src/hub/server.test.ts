import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeServerConfig, writeServerConfig } from './server.ts';

test('writeServerConfig replaces a config whole through the atomic write: private mode, no temp file left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-nats-conf-'));
  try {
    const file = join(dir, 'store-S1.conf');
    // An older, longer file: a plain rewrite in place would be the one seen by a restart half-way.
    writeFileSync(file, `${'# old\n'.repeat(500)}`, { mode: 0o644 });
    const text = storeServerConfig('S1', { dir, host: '127.0.0.1', port: 4222 });
    assert.equal(writeServerConfig(dir, 'store-S1.conf', text), file);
    assert.equal(readFileSync(file, 'utf8'), text);
    // A new inode written by src/files.ts (mode 0600); writeFileSync over the old file keeps 0644.
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['store-S1.conf']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeServerConfig: a write that cannot land throws and leaves no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-nats-conf-'));
  try {
    // The target is a directory: the rename fails.
    const target = join(dir, 'hub.conf');
    writeServerConfig(join(target, 'inner'), 'x.conf', 'x');
    assert.throws(() => writeServerConfig(dir, 'hub.conf', 'listen: 1\n'), /EISDIR|directory|ENOTEMPTY|EEXIST/i);
    assert.deepEqual(readdirSync(dir), ['hub.conf']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
