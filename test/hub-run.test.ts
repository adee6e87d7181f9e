// `tanba hub run`: the generated nats-server configuration (store leaf node with its JetStream
// domain and leafnode remote; the hub with its leaf listener), and a real supervised run that a
// lane can use and that SIGTERM stops, with its nats-server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { freePort } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

test('hub run --print-config: a store leaf node (domain = store id, remote to the hub) and the hub (domain hub, leaf listener)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-hubrun-'));
  try {
    const store = spawnSync(process.execPath, [bin, '--data-dir', dir, 'hub', 'run', '--store', 'S7', '--port', '4333', '--hub-url', 'nats-leaf://hq.example:7422', '--print-config'], { encoding: 'utf8' });
    assert.equal(store.status, 0, store.stderr);
    assert.match(store.stdout, /domain: "S7"/);
    assert.match(store.stdout, /listen: "0\.0\.0\.0:4333"/);
    assert.match(store.stdout, /remotes: \[ \{ urls: \["nats-leaf:\/\/hq\.example:7422"\] \} \]/);
    const hub = spawnSync(process.execPath, [bin, '--data-dir', dir, 'hub', 'run', '--hub', '--leaf-port', '7999', '--print-config'], { encoding: 'utf8' });
    assert.equal(hub.status, 0, hub.stderr);
    assert.match(hub.stdout, /domain: "hub"/);
    assert.match(hub.stdout, /leafnodes \{ listen: "0\.0\.0\.0:7999" \}/);
    const none = spawnSync(process.execPath, [bin, '--data-dir', dir, 'hub', 'run', '--print-config'], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--store ID/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hub run starts a store leaf node with JetStream in its domain; SIGTERM stops it and its nats-server', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-hubrun-'));
  const port = await freePort();
  const child = spawn(process.execPath, [bin, '--data-dir', dir, 'hub', 'run', '--store', 'S8', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`hub run did not start: ${out}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (/nats-server running/.test(out)) { clearTimeout(timer); resolve(); } });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hub run exited ${code}`)); });
    });
    const nc = await connect({ servers: [`nats://127.0.0.1:${port}`] });
    try {
      const info = await (await jetstreamManager(nc)).getAccountInfo();
      assert.equal(info.domain, 'S8');
    } finally {
      await nc.close();
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    await assert.rejects(connect({ servers: [`nats://127.0.0.1:${port}`], timeout: 1_000, reconnect: false }), 'its nats-server stopped too');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
