/**
 * Shared parts of scripts/screenshots.ts: where the PNGs go, the photographer, the users, the
 * emulated scanner and the login, and the store's price list the selling screens sell from.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialScannerEmulator } from '../emulators/scanner/index.ts';
import type { DevicesResponse } from '../src/server/contract/index.ts';
import type { Page } from 'playwright-core';
import { apiCall, logIn, type TestBrowser, type TestCore } from '../test/e2e/browser.ts';
import { openDatabase } from '../src/store/db.ts';
import { upsertStoreProducts } from '../src/store/selling.ts';
import { storeCatalogAnswer } from '../src/store/index.ts';

/** One user per role; the administrator comes from the first-run wizard. */
export const USERS = {
  cashier: { name: 'Dana', role: 'cashier', pin: '5173' },
  manager: { name: 'Marat', role: 'manager', pin: '2968' },
  technician: { name: 'Timur', role: 'technician', pin: '3619' },
} as const;

/** The kinds of code the training dataset holds. */
export type CodeKind = 'sellable' | 'withdrawn' | 'unknown' | 'expired';

/** What every part of the walk-through shares. */
export interface ShotContext {
  core: TestCore;
  browser: TestBrowser;
  outDir: string;
  /** Sends the next code of that kind through the emulated scanner's pty; returns it. */
  send(kind: CodeKind): Promise<string>;
  /** Starts or stops the training emulators (technician's call). */
  training(body: Record<string, string>): Promise<unknown>;
}

/** Saves a PNG of the page as `<name>.png` in the output directory. */
export async function shot(ctx: Pick<ShotContext, 'outDir'>, page: Page, name: string): Promise<void> {
  // Let fonts, transitions and the live connection settle so the picture is what people see.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const file = join(ctx.outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(file);
}

/**
 * Sends codes of the training dataset through a serial scanner on a pty, assigned as a technician
 * assigns a real one (the technician's Test scan goes into no basket). `stop` closes the pty.
 */
export async function scanner(core: TestCore, token: string): Promise<{ send: ShotContext['send']; stop(): Promise<void> }> {
  const emulator = new SerialScannerEmulator({ link: join(mkdtempSync(join(tmpdir(), 'tanba-shots-scanner-')), 'scanner.pty'), terminator: 'cr' });
  await emulator.start();
  await apiCall(core.url, 'POST', '/api/devices', { id: 'counter-scanner', role: 'scanner', transport: 'serial', path: emulator.path, framing: { terminator: 'cr', idleMs: 50 } }, token);
  for (let i = 0; ; i++) {
    const d = await apiCall<DevicesResponse>(core.url, 'GET', '/api/devices', undefined, token);
    if (d.devices.find((x) => x.config.id === 'counter-scanner')?.health?.state === 'connected') break;
    if (i > 200) throw new Error('the emulated serial scanner did not connect');
    await new Promise((r) => setTimeout(r, 100));
  }
  const used = new Map<string, number>();
  const send: ShotContext['send'] = async (kind) => {
    const n = used.get(kind) ?? 0;
    used.set(kind, n + 1);
    const code = core.core.services.training?.sample(kind, n + 1)[n];
    if (!code) throw new Error(`no ${kind} code in the training dataset`);
    await emulator.send(code);
    return code;
  };
  return { send, stop: () => emulator.close() };
}

/** Waits for the header to say the page is connected to the core. */
export async function connected(page: Page): Promise<void> {
  await page.locator('[data-testid="connection"][data-core="connected"]').waitFor({ timeout: 30_000 });
}

/** Logs in through the login screen and waits for the landing screen and the live link. */
export async function login(page: Page, url: string, user: { name: string; pin: string }, landing: string): Promise<void> {
  await page.goto(url);
  await logIn(page, user.name, user.pin);
  await page.locator(landing).waitFor();
  // The header's link badge: connected once the live event stream is up.
  await connected(page);
}

/** The store's price list: weighed apples, a free-price bag, bread at a list price. */
export const PRODUCTS = {
  apples: { barcode: '4870000000012', query: 'апорт' },
  bag: { barcode: '4870000000029', query: 'пакет' },
  bread: { barcode: '4870000000036', query: 'хлеб' },
} as const;

/** A barcode the National Catalogue lists under two NTINs (white and rye bread): the cashier picks one. */
export const TWO_NTINS = { barcode: '4870001000011', white: '0200000000028', rye: '0200000000035' } as const;

/** Writes {@link PRODUCTS} and {@link TWO_NTINS} into the core's SQLite file (as a price-list and a catalogue import would). */
export function seedProducts(core: TestCore): void {
  const updatedAt = '2026-03-01T10:00:00.000Z';
  const db = openDatabase(join(core.dataDir, 'tanba.db'));
  try {
    upsertStoreProducts(db, [
      { barcode: PRODUCTS.apples.barcode, title: 'Яблоки Апорт', titleKk: 'Алма Апорт', price: 89_990, weighed: true, ntin: null, vatCategory: null, updatedAt },
      { barcode: PRODUCTS.bag.barcode, title: 'Пакет майка', titleKk: null, price: null, weighed: false, ntin: null, vatCategory: null, updatedAt },
      { barcode: PRODUCTS.bread.barcode, title: 'Хлеб белый', titleKk: 'Ақ нан', price: 15_000, weighed: false, ntin: null, vatCategory: null, updatedAt },
    ]);
    // The catalogue answer is fresh (its TTL counts from the import).
    const fetchedAt = new Date().toISOString();
    const product = (ntin: string, title: string, titleKk: string) => ({
      ntin, title, titleKk, measureUnitCode: '796', vatCategory: null, isMarked: false, isSocial: true, price: null, source: 'import' as const, fetchedAt,
    });
    storeCatalogAnswer(db, `0${TWO_NTINS.barcode}`, [product(TWO_NTINS.white, 'Хлеб белый', 'Ақ нан'), product(TWO_NTINS.rye, 'Хлеб ржаной', 'Қара нан')], { source: 'import', fetchedAt });
  } finally {
    db.close();
  }
}
