/**
 * `tanba parse`: spawns the real command (node bin/tanba.mjs) with raw stdin bytes (GS as 0x1D)
 * and with arguments, and checks the JSON lines, their order and the exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gs1CheckDigit } from '../src/marking/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const GTIN = `0487000123456${gs1CheckDigit('0487000123456')}`;
const SERIAL = '3aBcDeFgHiJkL';
const CRYPTO = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE=';
const CODE = `01${GTIN}21${SERIAL}\x1d91EE07\x1d92${CRYPTO}`;
const PACK = '00000046209849Uon<TYfACyAJPHJ';

function run(args: string[], stdin: Buffer | string = '', config?: string): { code: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-parse-'));
  try {
    if (config !== undefined) writeFileSync(join(dir, 'config.json'), config);
    const env: NodeJS.ProcessEnv = { ...process.env, TANBA_DATA_DIR: dir, TANBA_CONFIG: '' };
    delete env.TANBA_LANGUAGES;
    const r = spawnSync(process.execPath, ['bin/tanba.mjs', 'parse', ...args], { cwd: root, input: Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8'), env, timeout: 60_000 });
    return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  assert.ok(stdout.endsWith('\n'), 'output ends with a newline');
  return stdout.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('stdin bytes: one JSON object per line, in order; GS byte kept, CRLF stripped, empty middle line -> EMPTY', () => {
  const bytes = Buffer.concat([
    Buffer.from(`]d2${CODE}\r\n`, 'latin1'),
    Buffer.from('\n'),
    Buffer.from(`${PACK}\n`),
    Buffer.from(`487000123456${(gs1CheckDigit('487000123456') + 1) % 10}\n`), // bad EAN-13 check digit
    Buffer.from(`${CODE.replaceAll('\x1d', '')}\n`),
  ]);
  const r = run(['--json'], bytes);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.length, 5);
  const [a, b, c, d, e] = lines as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  assert.equal(a.ok, true);
  assert.equal(a.kind, 'gs1');
  assert.equal(a.gtin, GTIN);
  assert.equal(a.serial, SERIAL);
  assert.equal(a.cis, `01${GTIN}21${SERIAL}`);
  assert.equal(a.verificationKey, 'EE07');
  assert.equal(a.cryptoCode, CRYPTO);
  assert.equal(a.cryptoTail, null);
  assert.equal(a.country, 'KZ');
  assert.equal(a.symbology, 'gs1-datamatrix');
  assert.deepEqual(a.repairs, []);
  assert.equal(a.normalized, CODE);
  assert.deepEqual(a.ais, { '01': GTIN, '21': SERIAL, '91': 'EE07', '92': CRYPTO });
  assert.deepEqual(b, { ok: false, error: { code: 'EMPTY', message: (b.error as { message: string }).message } });
  assert.equal(c.kind, 'tobacco-pack');
  assert.equal(c.maxRetailPrice, 16800);
  assert.equal((d.error as { code: string }).code, 'EAN_CHECK_DIGIT');
  assert.equal((e.repairs as { code: string }[])[0]?.code, 'SEPARATORS_RESTORED');
  assert.equal(e.normalized, CODE);
});

test('a final newline makes no extra line; no newline at the end reads the last line too', () => {
  assert.equal(jsonLines(run(['--json'], `${PACK}\n`).stdout).length, 1);
  assert.equal(jsonLines(run(['--json'], `${PACK}\n${PACK}`).stdout).length, 2);
  assert.equal(run(['--json'], '').stdout, '');
});

test('codes as arguments; messages in the configured language; --lang overrides', () => {
  const r = run(['--json', `01${GTIN}`, PACK]);
  assert.equal(r.code, 0);
  const [a, b] = jsonLines(r.stdout) as [Record<string, unknown>, Record<string, unknown>];
  assert.equal((a.error as { code: string }).code, 'MISSING_SERIAL');
  assert.match((a.error as { message: string }).message, /серийного номера/); // default languages: ru, kk
  assert.equal(b.kind, 'tobacco-pack');
  const en = jsonLines(run(['--json', '--lang', 'en', `01${GTIN}`]).stdout)[0] as { error: { message: string } };
  assert.match(en.error.message, /no serial number/);
  const kk = jsonLines(run(['--json', `01${GTIN}`], '', JSON.stringify({ languages: ['kk'] })).stdout)[0] as { error: { message: string } };
  assert.match(kk.error.message, /сериялық нөмір/);
});

test('GS1 pairing rules come as warnings (JSON and readable), never as a refusal; a lost GS after (8005) as a repair', () => {
  const paired = `${CODE}\x1d02${GTIN}`;
  const block = `01${GTIN}213Bk%"Ye\x1d8005012500` + '93x/9z';
  const r = run(['--json', '--lang', 'en'], `${paired}\n${CODE}\n${block}\n`);
  assert.equal(r.code, 0, r.stderr);
  const [a, b, c] = jsonLines(r.stdout) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  assert.equal(a.ok, true);
  assert.deepEqual((a.warnings as { code: string }[]).map((w) => w.code), ['INVALID_AI_PAIR', 'MISSING_REQUIRED_AI']);
  assert.match((a.warnings as { message: string }[])[0]?.message ?? '', /AI \(02\) and AI \(01\)/);
  assert.deepEqual(b.warnings, []);
  assert.deepEqual((c.repairs as { code: string }[]).map((x) => x.code), ['SEPARATOR_INSERTED']);
  assert.equal(c.normalized, `01${GTIN}213Bk%"Ye\x1d8005012500\x1d93x/9z`);
  const human = run(['--lang', 'en'], `${paired}\n`);
  assert.match(human.stdout, /warnings:\s+INVALID_AI_PAIR/);
});

test('configured extra separators are used', () => {
  const r = run(['--json'], `${CODE.replaceAll('\x1d', '|')}\n`, JSON.stringify({ marking: { extraSeparators: ['|'] } }));
  assert.equal(r.code, 0, r.stderr);
  const [a] = jsonLines(r.stdout) as [Record<string, unknown>];
  assert.equal(a.normalized, CODE);
  assert.equal((a.repairs as { code: string }[])[0]?.code, 'SEPARATOR_UNESCAPED');
});

test('a broken configuration fails the command with exit 1', () => {
  const r = run(['--json', PACK], '', '{ not json');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not valid JSON/);
  const bad = run(['--json', PACK], '', JSON.stringify({ marking: { extraSeparators: [''] } }));
  assert.equal(bad.code, 1);
});

test('bad usage exits 2', () => {
  assert.equal(run(['--nope']).code, 2);
  assert.equal(run(['--lang', 'de', PACK]).code, 2);
});

test('readable output shows GS as <GS>', () => {
  const r = run([], `${CODE}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /kind:\s+gs1/);
  assert.match(r.stdout, /CIS:\s+01/);
  assert.match(r.stdout, /country:\s+KZ/);
  assert.match(r.stdout, /normalized:\s+01\d{14}21\S+<GS>91EE07<GS>92/);
});
