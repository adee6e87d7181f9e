// Cash in and cash out print a slip on the receipt printer, as the X report does (issue 16,
// shift): over real HTTP against a training core, each movement's slip comes out of the emulated
// printer (ESC/POS over TCP, rendered to text and PNG) with the amount, the cashier, the time in
// local time (UTC+5) and in UTC, the shift, the reason and the drawer's cash after it. A register
// whose printer is gone (its serial device path does not exist) records the movement all the
// same and says in the answer, and in the audit, that the slip did not print.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from './server-harness.ts';
import { startCore } from '../src/server/main.ts';
import type { AuditResponse, CashResponse, ShiftReportResponse } from '../src/server/contract/index.ts';

/** The text of every slip the training printer rendered, oldest first. */
function printedTexts(dir: string): string[] {
  const out = join(dir, 'training-printer');
  return readdirSync(out).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(out, f), 'utf8'));
}

const local = (iso: string) => new Date(Date.parse(iso) + 5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const utc = (iso: string) => iso.slice(0, 19).replace('T', ' ');

describe('cash slips on the training printer', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness('srv-cash-slip');
    // Russian and English: every line of the slip prints as text (Kazakh letters print as pictures), so it can be read back.
    assert.equal((await h.call('PUT', '/api/config', h.tokens.admin, { languages: ['ru', 'en'] })).status, 200);
    assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, { float: 500_000 })).status, 201);
  });
  after(async () => {
    await h.stop();
  });

  test('cash in and cash out each print a slip: amount, cashier, local and UTC time, shift, reason, drawer after', async () => {
    const cashIn = await h.call<CashResponse>('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'deposit', amount: 1_234_567, reason: 'coins from the bank' });
    assert.equal(cashIn.status, 201, cashIn.text);
    assert.equal(cashIn.body.print.state, 'printed', JSON.stringify(cashIn.body.print));
    assert.equal(cashIn.body.report.cash.inDrawer, 1_734_567);
    const cashOut = await h.call<CashResponse>('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'withdrawal', amount: 700_000, reason: 'to the safe' });
    assert.equal(cashOut.status, 201, cashOut.text);
    assert.equal(cashOut.body.print.state, 'printed');
    const png = await h.call('GET', cashOut.body.print.pngUrl as string, h.tokens.cashier);
    assert.equal(png.headers.get('content-type'), 'image/png');

    const texts = printedTexts(h.dir);
    const slipIn = texts.find((t) => t.includes('CASH IN'));
    const slipOut = texts.find((t) => t.includes('CASH OUT'));
    assert.ok(slipIn && slipOut, texts.join('\n----\n'));
    const shift = String(cashOut.body.report.shiftNumber);
    for (const [slip, res, title, amount, after] of [[slipIn, cashIn.body, 'ВНЕСЕНИЕ НАЛИЧНЫХ / CASH IN', '12 345,67', '17 345,67'], [slipOut, cashOut.body, 'ИЗЪЯТИЕ НАЛИЧНЫХ / CASH OUT', '7 000,00', '10 345,67']] as const) {
      const m = res.movement;
      const line = (left: string, right: string) => assert.match(slip, new RegExp(`\\n${left.replace(/[()+/]/g, (c) => `\\${c}`)} +${right}\\n`), `${left} … ${right}`);
      assert.ok(slip.includes(title), title);
      line('Сумма / Amount', amount);
      line('В кассе после / In the drawer after', after);
      line('Кассир / Cashier:', 'cashier');
      line('Смена / Shift:', shift);
      line('Местное / Local UTC+05:00:', local(m.at));
      line('Время (UTC) / Time (UTC):', utc(m.at));
      line('Основание / Reason:', m.reason as string);
      line('Документ №', String(m.printedDocumentNumber));
    }
  });
});

describe('a register whose printer is gone', () => {
  test('the cash movement is recorded, the answer and the audit say the slip did not print', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tanba-cash-noprinter-'));
    mkdirSync(dir, { recursive: true });
    // Not training: an OFD that does not answer (the movement waits in the outbox) and a printer on a serial path that is not there.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 9, token: 1 } } }));
    writeFileSync(join(dir, 'devices.json'), JSON.stringify({ version: 1, devices: [{ id: 'slip-printer', role: 'printer', transport: 'serial', path: join(dir, 'no-such-tty') }] }));
    const core = await startCore({ dataDir: dir, port: 0, env: {}, uiDir: join(dir, 'no-ui'), logToStderr: false, tuning: { ofdTransactionTimeoutMs: 500, ofdReconnectIntervalMs: 200, senderIdleMs: 300 } });
    const base = `http://127.0.0.1:${core.port}`;
    const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T; text: string }> => {
      const res = await fetch(`${base}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as T, text };
    };
    try {
      assert.equal((await call('POST', '/api/setup', undefined, { storeName: 'Дүкен', registerId: 'R9', adminPin: '4826', languages: ['ru', 'kk'] })).status, 201);
      const admin = (await call<{ token: string }>('POST', '/api/login', undefined, { name: 'admin', pin: '4826' })).body.token;
      assert.equal((await call('POST', '/api/users', admin, { name: 'aigul', role: 'cashier', pin: '5173' })).status, 201);
      const cashier = (await call<{ token: string }>('POST', '/api/login', undefined, { name: 'aigul', pin: '5173' })).body.token;
      assert.equal((await call('POST', '/api/shifts/open', cashier, {})).status, 201);
      const res = await call<CashResponse>('POST', '/api/shifts/cash', cashier, { operation: 'deposit', amount: 250_000 });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.print.state, 'failed', JSON.stringify(res.body.print));
      assert.ok(res.body.print.error, 'the printer\'s failure is named');
      assert.equal(res.body.movement.sum, 250_000);
      const x = await call<ShiftReportResponse>('GET', '/api/shifts/x', cashier);
      assert.equal(x.body.report.cash.deposits, 250_000, 'the movement is recorded');
      const audit = await call<AuditResponse>('GET', '/api/audit?limit=50', admin);
      const entry = audit.body.entries.find((e) => e.action === 'cash.in');
      assert.equal(entry?.outcome, 'ok');
      assert.equal((entry?.details as { printed?: string }).printed, 'failed');
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
