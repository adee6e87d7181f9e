// End to end from the CLI against `tanba emulate ofd --catalog FILE` (a child process, real TCP,
// real SQLite files): catalogue lookups, a sale of marked and unmarked goods, a barcode with two
// NTINs (the pick is needed, then remembered), one with none (sold without NTIN under the default
// policy, refused under `catalog.notFound: refuse`), a return, an X report, the shift closed,
// `tanba sync now`; the emulator's --dump shows every line with its NTIN and exact codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { codeOf, G, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const NOW = new Date().toISOString();
const TWO = '4870001000011';
const NONE = '4870001000028';
const WATER_NTIN = '0200000000011';

interface Run { code: number | null; stdout: string; stderr: string }

function tanba(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const jsonLines = (s: string): Record<string, unknown>[] => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

let reg: TempRegister;
let child: ChildProcessWithoutNullStreams;
let env: NodeJS.ProcessEnv;
let emuDb: string;

before(async () => {
  reg = await tempRegister({ syncedAt: NOW });
  const catalog = join(reg.dir, 'catalog.ndjson');
  writeFileSync(catalog, [
    { barcode: G.water.slice(1), found: true, ntin: WATER_NTIN, title: 'Вода питьевая 0,5 л', titleKk: 'Ауыз су 0,5 л', measureUnitCode: '796', isMarked: true, isSocial: false },
    { barcode: TWO, found: true, candidates: [{ ntin: '0200000000028', title: 'Хлеб белый', titleKk: 'Ақ нан' }, { ntin: '0200000000035', title: 'Хлеб серый', titleKk: 'Сұр нан' }], measureUnitCode: '796', isMarked: false, isSocial: true },
  ].map((l) => JSON.stringify(l)).join('\n'));
  emuDb = join(reg.dir, 'ofd.db');
  child = spawn(process.execPath, [bin, '--data-dir', reg.dir, 'emulate', 'ofd', '--db', emuDb, '--device', '31:310', '--catalog', catalog], { stdio: 'pipe' });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const port = Number(/:(\d+)$/.exec(line)?.[1]);
  const cfg = join(reg.dir, 'config.json');
  writeFileSync(cfg, JSON.stringify({ registry: { ofd: { host: '127.0.0.1', port, deviceId: 31, token: 310, kgdKkmId: 'KGD-31', geo: { latitude: 43.25, longitude: 76.95 } } } }));
  env = { TANBA_CONFIG: cfg };
});

after(() => {
  child.kill('SIGTERM');
  reg.done();
});

test('catalog lookup prints the contract JSON: found (one NTIN), several candidates, not found (result 18); the second lookup comes from the table', async () => {
  const r = await tanba(reg.dir, ['catalog', 'lookup', '--json', G.water.slice(1), TWO, NONE], env);
  assert.equal(r.code, 0, r.stderr);
  const [water, two, none] = jsonLines(r.stdout);
  assert.deepEqual(water, {
    barcode: G.water.slice(1), found: true, ntin: WATER_NTIN, candidates: [{ ntin: WATER_NTIN, title: 'Вода питьевая 0,5 л', titleKk: 'Ауыз су 0,5 л' }],
    title: 'Вода питьевая 0,5 л', titleKk: 'Ауыз су 0,5 л', measureUnitCode: '796', isMarked: true, isSocial: false, source: 'ofd',
  });
  assert.equal((two?.candidates as unknown[]).length, 2);
  assert.equal(two?.ntin, null, 'two NTINs and no pick yet');
  assert.deepEqual([none?.found, none?.reason, none?.source], [false, 'not in the National Catalogue', 'ofd']);
  const again = jsonLines((await tanba(reg.dir, ['catalog', 'lookup', G.water.slice(1)], env)).stdout)[0];
  assert.equal(again?.source, 'cache');
});

test('sell, pick, return, X report, close shift, sync now: the dump shows every line with its NTIN and exact codes, the return its parent', async () => {
  const codes = [codeOf(G.water, serial(0)), codeOf(G.water, serial(1))];
  const sale = await tanba(reg.dir, ['sell', '--json', '--cashier', 'Асель', ...codes], env);
  assert.equal(sale.code, 0, sale.stdout + sale.stderr);
  const saleId = (JSON.parse(sale.stdout) as { saleId: string }).saleId;

  const pick = await tanba(reg.dir, ['sell', '--json', '--price', '30000', TWO], env);
  assert.equal(pick.code, 1);
  assert.match(pick.stdout, /NTIN_CHOICE/);
  assert.equal((await tanba(reg.dir, ['catalog', 'choose', TWO, '0200000000035'], env)).code, 0);
  const bread = await tanba(reg.dir, ['sell', '--json', '--price', '30000', TWO, NONE], env);
  assert.equal(bread.code, 0, bread.stdout + bread.stderr);

  const ret = await tanba(reg.dir, ['return', '--json', saleId, codes[1] as string], env);
  assert.equal(ret.code, 0, ret.stdout + ret.stderr);
  assert.equal((await tanba(reg.dir, ['shift', 'x'], env)).code, 0);
  assert.equal((await tanba(reg.dir, ['shift', 'close'], env)).code, 0);
  const sync = await tanba(reg.dir, ['sync', 'now'], env);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);

  const dump = await tanba(reg.dir, ['emulate', 'ofd', '--dump', '--db', emuDb]);
  const docs = jsonLines(dump.stdout) as { command: string; operation: string | null; lines?: { ntin: string | null; listExciseStamp: string[]; barcode: string | null }[]; parentTicket?: { number: string; kgdKkmId: string } | null; ticketNumber: string | null; operator?: { name?: string }; zReport?: boolean; zxReport?: boolean }[];
  assert.deepEqual(docs.map((d) => [d.command, d.operation]), [['TICKET', 'SELL'], ['TICKET', 'SELL'], ['TICKET', 'SELL_RETURN'], ['REPORT', 'X'], ['CLOSE_SHIFT', null]]);
  assert.deepEqual(docs[0]?.lines?.map((l) => [l.ntin, l.listExciseStamp, l.barcode]), codes.map((c) => [WATER_NTIN, [c], G.water]), 'codes byte-exact, GS kept');
  assert.deepEqual(docs[1]?.lines?.map((l) => l.ntin), ['0200000000035', null], 'the pick is used; no NTIN for a product not in the catalogue');
  assert.deepEqual(docs[2]?.lines?.map((l) => [l.ntin, l.listExciseStamp]), [[WATER_NTIN, [codes[1]]]]);
  assert.deepEqual([docs[2]?.parentTicket?.number, docs[2]?.parentTicket?.kgdKkmId], [docs[0]?.ticketNumber, 'KGD-31']);
  assert.equal(docs[3]?.zxReport, true);
  assert.deepEqual([docs[4]?.operator?.name, docs[4]?.zReport], ['Асель', true]);
  // The technician sees what the OFD says about the point of sale (2.0.3 address_kz and position).
  const status = await tanba(reg.dir, ['sync', 'status'], env);
  assert.match(status.stdout, /OFD point of sale: .*Абай к-сі, 1 \(43\.238949, 76\.889709\)/);
  assert.match(status.stdout, /OFD organisation: .*Абай көшесі, 1/);
});

test('catalog.notFound "refuse": a product not in the catalogue is refused with the reason', async () => {
  const cfg = join(reg.dir, 'config-refuse.json');
  const base = JSON.parse(JSON.stringify({ registry: { ofd: JSON.parse((await import('node:fs')).readFileSync(join(reg.dir, 'config.json'), 'utf8')).registry.ofd }, catalog: { notFound: 'refuse' } })) as object;
  writeFileSync(cfg, JSON.stringify(base));
  const r = await tanba(reg.dir, ['sell', '--json', '--price', '100', NONE], { TANBA_CONFIG: cfg });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Национальном каталоге|National Catalogue/);
});
