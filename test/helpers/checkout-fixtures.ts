/**
 * Shared fixtures of the checkout tests: a register directory with a real SQLite file, a cache
 * seeded through the real feed importer, marking codes in GS1 form with real GS bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodeChecker, importFeed } from '../../src/cache/index.ts';
import { createCheckout, type Checkout, type CheckoutConfig } from '../../src/checkout/index.ts';
import { addUser, openDatabase, type Db } from '../../src/store/index.ts';
import { fixedClock, type Clock } from '../../src/clock.ts';

/** The fixed "now" of the checkout tests (also passed as TANBA_NOW to child processes). */
export const NOW = '2026-03-01T10:00:00.000Z';
export const GS = '\x1d';

/** A GTIN-14 from a 13-digit body with its mod-10 check digit. */
export function gtin14(body13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return body13 + String((10 - (sum % 10)) % 10);
}

/** Water (price 25000), AI-labelled juice-like water (30000), a keg of beer sold in 10 units, dairy by weight, tobacco (no price), and a catalogued EAN product. */
export const G = {
  water: gtin14('0487000000101'),
  aiWater: gtin14('0487000000102'),
  keg: gtin14('0487000000103'),
  cheese: gtin14('0487000000104'),
  noPrice: gtin14('0487000000105'),
  blocked: gtin14('0487000000106'),
};

/** A 13-character serial for index i. */
export function serial(i: number): string {
  return `3${String(i).padStart(12, '0')}`;
}

/** CIS (01 + GTIN + 21 + serial). */
export function cisOf(gtin: string, s: string): string {
  return `01${gtin}21${s}`;
}

/** A scanned GS1 code with crypto tail (AI 93) and real GS separators; optional net weight in grams (AI 3103). */
export function codeOf(gtin: string, s: string, grams?: number): string {
  return `${cisOf(gtin, s)}${GS}93Ab1x${grams !== undefined ? `${GS}3103${String(grams).padStart(6, '0')}` : ''}`;
}

/** Feed records for the fixtures: n in-circulation codes per product. */
export function feed(n: number): object[] {
  const codes: object[] = [];
  for (const g of [G.water, G.aiWater, G.keg, G.cheese, G.noPrice]) {
    for (let i = 0; i < n; i++) codes.push({ type: 'code', cis: cisOf(g, serial(i)), gtin: g, status: 'in_circulation' });
  }
  codes.push({ type: 'code', cis: cisOf(G.blocked, serial(0)), gtin: G.blocked, status: 'in_circulation' });
  return [
    { type: 'snapshot' },
    { type: 'product', gtin: G.water, name: 'Вода 0.5 л', group: 'water', ai: false, price: 25000, unit: 'pcs' },
    { type: 'product', gtin: G.aiWater, name: 'Вода AI-design', group: 'water', ai: true, price: 30000, unit: 'pcs' },
    { type: 'product', gtin: G.keg, name: 'Пиво разливное (кег)', group: 'beer', ai: false, price: 50000, unit: 'l', partial: 10 },
    { type: 'product', gtin: G.cheese, name: 'Сыр весовой', group: 'dairy', ai: false, price: 400000, unit: 'kg' },
    { type: 'product', gtin: G.noPrice, name: 'Молоко', group: 'dairy', ai: false },
    { type: 'product', gtin: G.blocked, name: 'Blocked water', group: 'water', ai: false, price: 100 },
    ...codes,
    { type: 'block', cis: cisOf(G.blocked, serial(0)) },
    { type: 'cursor', cursor: 'c1' },
  ];
}

/** A temp register directory with `tanba.db`. */
export interface TempRegister { dir: string; file: string; done(): void }

/** Creates a register directory and seeds its cache (synced at `syncedAt`, default NOW). */
export async function tempRegister(options: { codes?: number; syncedAt?: string } = {}): Promise<TempRegister> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-checkout-'));
  const file = join(dir, 'tanba.db');
  const db = openDatabase(file);
  try {
    const path = join(dir, 'feed.ndjson');
    writeFileSync(path, feed(options.codes ?? 20).map((r) => JSON.stringify(r)).join('\n') + '\n');
    await importFeed(db, path, { full: true, clock: fixedClock(options.syncedAt ?? NOW) });
  } finally {
    db.close();
  }
  return { dir, file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export const CONFIG: CheckoutConfig = { storeName: 'Тестовый магазин', storeAddress: 'Алматы', registerId: 'REG-1', languages: ['ru', 'kk'] };

/** Opens the register database and a checkout on it, as the CLI and server do. */
export function openCheckout(file: string, options: { now?: string; config?: Partial<CheckoutConfig> } = {}): { db: Db; checkout: Checkout; close(): void } {
  const db = openDatabase(file);
  const t = Date.parse(options.now ?? NOW);
  const clock: Clock = { now: () => new Date(t) };
  const checker = createCodeChecker(db, { clock });
  const checkout = createCheckout({ db, checker, clock, config: { ...CONFIG, ...options.config } });
  return { db, checkout, close: () => db.close() };
}

/** Adds a manager with a PIN. */
export function addManager(db: Db, name = 'Айгуль', pin = '4321'): void {
  addUser(db, { name, role: 'manager', pin, at: NOW });
}
