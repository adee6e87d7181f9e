// Head office's updates to a store group (issue 19) with real nats-servers: a hub and two store
// leaf nodes in different groups. `tanba hq publish --group north` with a configuration update
// reaches only the north store's lane, which merges it into its config.json with a journal entry;
// an invalid message on the group's subject is journaled as rejected and skipped, never applied.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { configSchema } from '../src/config.ts';
import { createRegister, type Register } from '../src/register/index.ts';
import { sourceStores } from '../src/hub/index.ts';
import { openDatabase, type Db } from '../src/store/index.ts';
import { startHub, startStore, type TestNats } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

interface Lane { reg: Register; db: Db; dir: string }

async function until(what: string, fn: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('head-office updates to a store group', () => {
  let hub: TestNats;
  const stores: TestNats[] = [];
  const lanes = new Map<string, Lane>();

  before(async () => {
    hub = await startHub();
    for (const [store, group] of [['N1', 'north'], ['A1', 'all']] as const) {
      const nats = await startStore(store, hub);
      stores.push(nats);
      const dir = mkdtempSync(join(tmpdir(), `tanba-upd-${store}-`));
      const file = { store: { name: `Store ${store}`, id: store, nats: { servers: [nats.url], group } }, register: { id: 'L1' } };
      writeFileSync(join(dir, 'config.json'), JSON.stringify(file));
      const db = openDatabase(join(dir, 'tanba.db'));
      const reg = createRegister({ config: configSchema.parse(file), db, dataDir: dir });
      await reg.hub!.start();
      lanes.set(store, { reg, db, dir });
    }
    await sourceStores(hub.url, ['N1', 'A1']);
    await until('both lanes connected', () => [...lanes.values()].every((l) => l.reg.hub!.status().connected));
  });

  after(async () => {
    for (const l of lanes.values()) { await l.reg.hub!.stop(); l.db.close(); rmSync(l.dir, { recursive: true, force: true }); }
    for (const s of stores) await s.done();
    await hub.done();
  });

  const journal = (l: Lane, kind: string): { ref: string; payload: string }[] => l.db.prepare('SELECT ref, payload FROM journal WHERE kind = ? ORDER BY seq').all(kind) as { ref: string; payload: string }[];

  test('a configuration update to group north: merged into the north lane\'s config.json once, journaled; the other group\'s lane untouched', async () => {
    const north = lanes.get('N1')!;
    const other = lanes.get('A1')!;
    const upd = join(north.dir, 'upd.json');
    writeFileSync(upd, JSON.stringify({ kind: 'config', id: 'cfg-7', settings: { store: { name: 'Север 1' }, cache: { offlineLimitHours: 48 } } }));
    const r = spawnSync(process.execPath, [bin, 'hq', 'publish', '--servers', hub.url, '--group', 'north', upd], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /config update cfg-7 to group north/);
    await until('the north lane to apply it', () => journal(north, 'hq_update').length > 0, 60_000);
    const file = JSON.parse(readFileSync(join(north.dir, 'config.json'), 'utf8')) as { store: { name: string; id: string; nats: { group: string } }; cache: { offlineLimitHours: number } };
    assert.equal(file.store.name, 'Север 1');
    assert.equal(file.store.id, 'N1', 'the rest of the section is kept');
    assert.equal(file.store.nats.group, 'north');
    assert.equal(file.cache.offlineLimitHours, 48);
    const entries = journal(north, 'hq_update');
    assert.deepEqual(entries.map((e) => e.ref), ['cfg-7']);
    assert.match(entries[0]!.payload, /"kind":"config"/);
    await new Promise((res) => setTimeout(res, 1_000));
    assert.deepEqual(journal(other, 'hq_update'), [], 'group all did not get it');
    assert.equal((JSON.parse(readFileSync(join(other.dir, 'config.json'), 'utf8')) as { store: { name: string } }).store.name, 'Store A1');
  });

  test('an invalid message on the group\'s subject is journaled as rejected and skipped; the next update still applies', async () => {
    const north = lanes.get('N1')!;
    const nc = await connect({ servers: [hub.url] });
    try {
      await jetstream(nc).publish('tanba.cfg.north', JSON.stringify({ kind: 'config', id: 'bad-1', settings: { register: { id: 'X' } } }));
    } finally {
      await nc.close();
    }
    await until('the rejection to be journaled', () => journal(north, 'hq_update_rejected').length > 0, 60_000);
    assert.match(journal(north, 'hq_update_rejected')[0]!.payload, /register|Unrecognized/i);
    assert.equal((JSON.parse(readFileSync(join(north.dir, 'config.json'), 'utf8')) as { register: { id: string } }).register.id, 'L1');
    const upd = join(north.dir, 'upd2.json');
    writeFileSync(upd, JSON.stringify({ kind: 'catalogue', id: 'cat-9', products: [{ gtin: '04870000000019', name: 'Вода', group: 'water', price: 20000 }] }));
    const r = spawnSync(process.execPath, [bin, 'hq', 'publish', '--servers', hub.url, '--group', 'north', upd], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await until('the catalogue update after the rejected one', () => journal(north, 'hq_update').length === 2, 60_000);
    assert.equal((north.db.prepare('SELECT price FROM products WHERE gtin = ?').get('04870000000019') as { price: number } | undefined)?.price, 20000);
  });

  test('a catalogue update carries vat: validated by hq publish (a bad category is named), applied, and the audit entry lists each category it changed; a product sent without vat keeps its category', async () => {
    const north = lanes.get('N1')!;
    const vatOf = (gtin: string): string | null | undefined => (north.db.prepare('SELECT vat_category FROM products WHERE gtin = ?').get(gtin) as { vat_category: string | null } | undefined)?.vat_category;
    const bad = join(north.dir, 'vat-bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'catalogue', id: 'cat-bad', products: [{ gtin: '04870000000026', name: 'Аспирин', group: 'pharma', vat: 'reduced' }] }));
    const refused = spawnSync(process.execPath, [bin, 'hq', 'publish', '--servers', hub.url, '--group', 'north', bad], { encoding: 'utf8' });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /products\.0\.vat: vat: one of standard, medicines, periodicals, zero, none/);
    const before = journal(north, 'hq_update').length;
    const send = (id: string, products: unknown[]): void => {
      const f = join(north.dir, `${id}.json`);
      writeFileSync(f, JSON.stringify({ kind: 'catalogue', id, products }));
      const r = spawnSync(process.execPath, [bin, 'hq', 'publish', '--servers', hub.url, '--group', 'north', f], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    send('cat-vat-1', [
      { gtin: '04870000000026', name: 'Аспирин', group: 'pharma', price: 90000, vat: 'medicines' },
      { gtin: '04870000000033', name: 'Газета', group: 'press', price: 15000, vat: 'periodicals' },
    ]);
    await until('the vat update to apply', () => journal(north, 'hq_update').length === before + 1, 60_000);
    assert.equal(vatOf('04870000000026'), 'medicines');
    assert.equal(vatOf('04870000000033'), 'periodicals');
    const audit = JSON.parse(journal(north, 'hq_update').at(-1)!.payload) as { vat: { gtin: string; from: string | null; to: string | null }[] };
    assert.deepEqual(audit.vat, [{ gtin: '04870000000026', from: null, to: 'medicines' }, { gtin: '04870000000033', from: null, to: 'periodicals' }]);
    // A new price without vat keeps the category; an explicit null clears one.
    send('cat-vat-2', [
      { gtin: '04870000000026', name: 'Аспирин', group: 'pharma', price: 95000 },
      { gtin: '04870000000033', name: 'Газета', group: 'press', price: 15000, vat: null },
    ]);
    await until('the second vat update to apply', () => journal(north, 'hq_update').length === before + 2, 60_000);
    assert.equal((north.db.prepare('SELECT price FROM products WHERE gtin = ?').get('04870000000026') as { price: number }).price, 95000);
    assert.equal(vatOf('04870000000026'), 'medicines');
    assert.equal(vatOf('04870000000033'), null);
    const audit2 = JSON.parse(journal(north, 'hq_update').at(-1)!.payload) as { vat: unknown[] };
    assert.deepEqual(audit2.vat, [{ gtin: '04870000000033', from: 'periodicals', to: null }]);
    // A message with a bad vat that bypassed the CLI is journaled as rejected, never applied.
    const nc = await connect({ servers: [hub.url] });
    try {
      await jetstream(nc).publish('tanba.cfg.north', JSON.stringify({ kind: 'catalogue', id: 'cat-raw', products: [{ gtin: '04870000000026', name: 'Аспирин', group: 'pharma', vat: 12 }] }));
    } finally {
      await nc.close();
    }
    await until('the rejection', () => journal(north, 'hq_update_rejected').some((e) => /vat/.test(e.payload)), 60_000);
    assert.equal(vatOf('04870000000026'), 'medicines');
  });
});
