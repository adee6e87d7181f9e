// The CLI and the server build the register the same way (createRegister), so for the same code
// and configuration they make the same decision. Real SQLite file, the real `tanba` binary, a
// real core (no training: a configured OFD that does not answer, so nothing is checked online).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../src/clock.ts';
import { CheckoutError } from '../src/checkout/index.ts';
import { startCore } from '../src/server/main.ts';
import { G, NOW, cisOf, serial, tempRegister } from './helpers/checkout-fixtures.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const LATER = new Date(Date.parse(NOW) + 11 * 3_600_000).toISOString();

/** A code whose GS was typed as '~' by a keyboard-wedge setup (configured as an extra separator). */
const tildeCode = (i: number): string => `${cisOf(G.water, serial(i))}~93Ab1x`;

function cliSell(dir: string, now: string, code: string): { ok: boolean; decision: string | null; error: string | null } {
  const r = spawnSync(process.execPath, [bin, '--data-dir', dir, 'sell', '--json', code], { encoding: 'utf8', env: { ...process.env, TANBA_NOW: now, TANBA_CONFIG: '' } });
  const out = JSON.parse(r.stdout) as { ok: boolean; lines: { verdict: { decision: string } }[]; error?: { code: string } };
  return { ok: out.ok, decision: out.lines[0]?.verdict.decision ?? null, error: out.error?.code ?? null };
}

async function serverScan(dir: string, now: string, code: string): Promise<{ ok: boolean; decision: string | null; error: string | null }> {
  const core = await startCore({ dataDir: dir, port: 0, env: {}, uiDir: join(dir, 'no-ui'), logToStderr: false, clock: fixedClock(now), tuning: { ofdTransactionTimeoutMs: 300, ofdReconnectIntervalMs: 60_000 } });
  try {
    const r = await core.services.scan(code, 'parity');
    return { ok: r.verdict.decision !== 'refuse', decision: r.verdict.decision, error: null };
  } catch (err) {
    if (err instanceof CheckoutError) return { ok: false, decision: null, error: err.code };
    throw err;
  } finally {
    await core.stop();
  }
}

test('CLI and server decide alike: a configured extra separator, then a lowered offline limit', async () => {
  const reg = await tempRegister({ syncedAt: NOW });
  try {
    writeFileSync(join(reg.dir, 'config.json'), JSON.stringify({
      registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 9, token: 1 } },
      marking: { extraSeparators: ['~'] },
      cache: { offlineLimitHours: 10 },
    }));
    // '~' stands for GS: both read the code and allow it (the till used to refuse it).
    const cli = cliSell(reg.dir, NOW, tildeCode(1));
    const server = await serverScan(reg.dir, NOW, tildeCode(2));
    assert.deepEqual(cli, { ok: true, decision: 'allow', error: null });
    assert.deepEqual(server, { ok: true, decision: 'allow', error: null });
    // 11 h later the CLI's sale is still undelivered: past the configured 10 h, both stop selling
    // (the CLI used to apply the legal 72 h instead).
    const cliLate = cliSell(reg.dir, LATER, tildeCode(3));
    const serverLate = await serverScan(reg.dir, LATER, tildeCode(4));
    assert.equal(cliLate.error, 'OFFLINE_LIMIT');
    assert.deepEqual(serverLate, { ...cliLate, decision: null });
  } finally {
    reg.done();
  }
});
