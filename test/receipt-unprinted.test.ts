// A sale committed while the process died is never lost to the cashier: a real core in a child
// process commits a sale and is SIGKILLed while the receipt waits for the OFD (the training OFD
// stopped), before anything reached the printer. The next start lists the sale in
// GET /api/receipts/unprinted, and the cashier screen (headless Chromium) shows it in a banner;
// its Print button prints it on the emulated printer, the banner goes and the list is empty
// again. A sale that printed is never listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startCore, type Core } from '../src/server/main.ts';
import type { UnprintedReceiptsResponse } from '../src/server/contract/index.ts';
import { until } from './server-harness.ts';
import { ensureUiBuilt, launchBrowser, logIn, UI_DIST, type TestBrowser } from './e2e/browser.ts';

const root = new URL('..', import.meta.url).pathname;
const child = new URL('./helpers/core-child.ts', import.meta.url).pathname;
const PINS = { admin: '4826', cashier: '5173', technician: '3619' };

type Call = <T = Record<string, unknown>>(method: string, path: string, token?: string, body?: unknown) => Promise<{ status: number; body: T }>;
const client = (base: () => string): Call => async (method, path, token, body) => {
  const res = await fetch(`${base()}${path}`, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as never };
};

async function login(call: Call, name: string, pin: string): Promise<string> {
  const r = await call<{ token: string }>('POST', '/api/login', undefined, { name, pin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
}

/** Sells one training code (a sellable sample of the training registry) for cash; returns the pay call, not awaited. */
async function startSale(call: Call, cashier: string, technician: string, offset: number): Promise<{ paid: Promise<{ status: number; body: { saleId?: string; print?: { state: string } } }> }> {
  const t = await call<{ training: { registry: { url: string } } }>('GET', '/api/training', technician);
  assert.equal(t.status, 200);
  const sample = await (await fetch(`${t.body.training.registry.url}/admin/sample?kind=sellable&n=1&offset=${offset}`, { headers: { authorization: 'Bearer tanba-emulator' } })).json() as { code: string }[] | { codes: { code: string }[] };
  const code = (Array.isArray(sample) ? sample : sample.codes)[0]?.code as string;
  const scan = await call<{ basket: { total: number } }>('POST', '/api/checkout/scan', cashier, { code, source: 'manual', price: 50_000 });
  assert.equal(scan.status, 200, JSON.stringify(scan.body));
  // Wrapped: an async function would otherwise wait for the payment's answer.
  return { paid: call('POST', '/api/checkout/pay', cashier, { payments: [{ type: 'cash', amount: scan.body.basket.total }] }) };
}

test('a sale committed before a crash is listed at the next start, reprinted on the emulated printer, then gone', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-unprinted-'));
  let core: Core | null = null;
  let browser: TestBrowser | null = null;
  await ensureUiBuilt();
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, '120000'], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
    const port = await until('the child core to listen', () => /port (\d+)/.exec(out)?.[1], 60_000);
    let base = `http://127.0.0.1:${port}`;
    const call = client(() => base);
    assert.equal((await call('POST', '/api/setup', undefined, { storeName: 'Дүкен', registerId: 'KZ-R1', adminPin: PINS.admin, languages: ['ru', 'kk', 'en'] })).status, 201);
    const admin = await login(call, 'admin', PINS.admin);
    for (const role of ['cashier', 'technician'] as const) assert.equal((await call('POST', '/api/users', admin, { name: role, role, pin: PINS[role] })).status, 201);
    let cashier = await login(call, 'cashier', PINS.cashier);
    let technician = await login(call, 'technician', PINS.technician);
    assert.equal((await call('POST', '/api/shifts/open', cashier, {})).status, 201);
    // The OFD is down: the receipt waits for its ticket (up to 2 minutes here) after COMMIT.
    assert.equal((await call('POST', '/api/training/emulators', technician, { ofd: 'stopped' })).status, 200);
    const paying = (await startSale(call, cashier, technician, 0)).paid.catch(() => null); // the process dies under it

    const db = new Database(join(dir, 'tanba.db'), { readonly: true });
    let saleId: string;
    try {
      saleId = await until('the sale to commit', () => db.prepare("SELECT id FROM sales WHERE kind = 'sale'").pluck().get() as string | undefined, 30_000, 10);
      assert.equal(db.prepare('SELECT count(*) FROM unprinted_receipts WHERE document_id = ?').pluck().get(saleId), 1, 'the owed receipt committed with the sale');
      proc.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      assert.equal(db.prepare("SELECT count(*) FROM print_jobs WHERE state = 'printed'").pluck().get(), 0, 'nothing printed before the crash');
    } finally {
      db.close();
    }
    assert.equal(await paying, null, 'the pay call never answered');

    // The next start: the same data directory, the OFD running again.
    core = await startCore({
      dataDir: dir, port: 0, env: {}, uiDir: UI_DIST, logToStderr: false,
      tuning: { ofdTransactionTimeoutMs: 1_000, ofdReconnectIntervalMs: 200, senderBackoff: { baseMs: 100, maxMs: 400 }, senderIdleMs: 300, statusPushMs: 250, trainingCodes: 2_000, printWaitForTicketMs: 1_000 },
    });
    base = `http://127.0.0.1:${core.port}`;
    cashier = await login(call, 'cashier', PINS.cashier);
    technician = await login(call, 'technician', PINS.technician);
    const listed = await call<UnprintedReceiptsResponse>('GET', '/api/receipts/unprinted', cashier);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.unprinted.map((u) => [u.documentId, u.kind, u.total, u.cashier]), [[saleId, 'sale', 50_000, 'cashier']]);
    assert.equal(typeof listed.body.unprinted[0]?.printedDocumentNumber, 'number');

    // The cashier screen: a banner names the document and prints it on request.
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(base);
    await logIn(page, 'cashier', PINS.cashier);
    await page.locator('#cashier').waitFor();
    const banner = page.getByTestId('unprinted-banner');
    await banner.waitFor();
    const number = listed.body.unprinted[0]?.printedDocumentNumber as number;
    assert.match(await banner.innerText(), new RegExp(`№ ${number}\\b|No\\. ${number}\\b`));
    await banner.locator(`li[data-document="${saleId}"] button`).click();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });

    const receipt = await call<{ print: { state: string; pngUrl: string | null } }>('GET', `/api/receipts/${saleId}`, cashier);
    assert.equal(receipt.body.print.state, 'printed', 'the emulated printer printed it');
    assert.ok(receipt.body.print.pngUrl, 'the training printer rendered it');
    assert.deepEqual((await call<UnprintedReceiptsResponse>('GET', '/api/receipts/unprinted', cashier)).body.unprinted, [], 'printed: no longer owed');

    // A sale whose receipt prints is never listed.
    const next = await (await startSale(call, cashier, technician, 1)).paid;
    assert.equal(next.status, 201, JSON.stringify(next.body));
    assert.equal(next.body.print?.state, 'printed');
    assert.deepEqual((await call<UnprintedReceiptsResponse>('GET', '/api/receipts/unprinted', cashier)).body.unprinted, []);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await browser?.close();
    await core?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
