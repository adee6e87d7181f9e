/**
 * The emulated registry's data model: product groups and their code layouts, the types of
 * products, codes, blocks and samples, and the seeded generator helpers (dataset.ts uses them).
 */
import { seededRandom } from '../../src/marking/testkit.ts';

export { seededRandom };

/** ASCII 29, the GS1 separator, kept in codes as scanned. */
export const GS = '\u001d';
/** GS1 CSET 82 (the characters a serial and a crypto tail may use). */
export const CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** Product groups the emulator generates (every group of the feed format but 'other'). */
export const EMULATED_GROUPS = ['tobacco', 'shoes', 'medicines', 'beer', 'oil', 'dairy', 'water', 'light_industry'] as const;
export type EmulatedGroup = (typeof EMULATED_GROUPS)[number];

export type Status = 'in_circulation' | 'sold' | 'withdrawn' | 'not_introduced';

export interface GroupSpec {
  serial: number;
  crypto: '91+92' | '93';
  /** Product price range, minor units. */
  price: [number, number];
  /** Codes carry an expiry (registry data; `inCode` also puts it into the code as (17)). */
  expiry: false | { inCode: boolean };
  /** Codes carry a batch (10) and the group gets a GTIN+batch block. */
  batch: boolean;
  names: readonly string[];
  unit: string;
}

export const SPECS: Record<EmulatedGroup, GroupSpec> = {
  tobacco: { serial: 7, crypto: '93', price: [60_000, 150_000], expiry: false, batch: false, names: ['Сигареты Алтын', 'Сигареты Дала', 'Сигареты Тұмар'], unit: 'pcs' },
  shoes: { serial: 13, crypto: '91+92', price: [1_500_000, 6_000_000], expiry: false, batch: false, names: ['Кроссовки', 'Ботинки', 'Туфли'], unit: 'pair' },
  medicines: { serial: 13, crypto: '91+92', price: [50_000, 800_000], expiry: { inCode: true }, batch: true, names: ['Парацетамол 500 мг', 'Ибупрофен 200 мг', 'Амоксициллин 250 мг'], unit: 'pcs' },
  beer: { serial: 13, crypto: '93', price: [40_000, 120_000], expiry: { inCode: false }, batch: false, names: ['Пиво светлое 0.5 л', 'Пиво тёмное 0.5 л'], unit: 'pcs' },
  oil: { serial: 13, crypto: '91+92', price: [300_000, 1_500_000], expiry: false, batch: false, names: ['Масло моторное 5W-30 4 л', 'Масло моторное 10W-40 1 л'], unit: 'pcs' },
  dairy: { serial: 13, crypto: '93', price: [30_000, 150_000], expiry: { inCode: true }, batch: false, names: ['Молоко 2.5% 1 л', 'Кефир 3.2% 0.9 л', 'Сметана 20%'], unit: 'pcs' },
  water: { serial: 13, crypto: '93', price: [15_000, 60_000], expiry: { inCode: false }, batch: false, names: ['Вода питьевая 1.5 л', 'Вода минеральная 0.5 л'], unit: 'pcs' },
  light_industry: { serial: 13, crypto: '91+92', price: [200_000, 3_000_000], expiry: false, batch: false, names: ['Куртка', 'Платье', 'Футболка'], unit: 'pcs' },
};

/** A product of the catalogue. Prices in minor units. */
export interface EmulatedProduct {
  gtin: string;
  name: string;
  group: EmulatedGroup;
  ai: boolean;
  minPrice: number | null;
  price: number;
  unit: string;
  batches: readonly string[];
}

/** A marking code known to the registry. */
export interface EmulatedCode {
  cis: string;
  /** The code as a scanner delivers it (GS = 0x1D between variable-length elements, no AIM prefix). */
  code: string;
  gtin: string;
  group: EmulatedGroup;
  status: Status;
  expires: string | null;
  mrp: number | null;
  batch: string | null;
}

/** A block by a state authority. */
export type Block = { kind: 'code'; cis: string } | { kind: 'gtin'; gtin: string } | { kind: 'batch'; gtin: string; batch: string };

/** What `sample` can select. `sellable`: in circulation, not blocked, not expired, product price within MRP / min price. */
export const SAMPLE_KINDS = ['sellable', 'in_circulation', 'sold', 'withdrawn', 'not_introduced', 'blocked', 'expired', 'above_mrp', 'unknown'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** One sampled code, with what the registry knows of it (`status` null for an unknown code). */
export interface SampleCode {
  code: string;
  cis: string;
  gtin: string;
  group: EmulatedGroup;
  status: Status | null;
  blockedBy: 'code' | 'gtin' | 'batch' | null;
  expires: string | null;
  mrp: number | null;
  price: number | null;
  minPrice: number | null;
}

/** Options of {@link generateDataset}. */
export interface DatasetOptions {
  seed: number;
  /** Number of codes (default 10 000). */
  codes?: number;
  /** Expiries are spread around this date, YYYY-MM-DD (default: today, UTC). */
  today?: string;
  /** Changes kept for deltas; an older cursor gets 410 Gone (default 100 000). */
  historyLimit?: number;
  /** Cursor epoch (default random): cursors of another epoch are unknown. */
  epoch?: string;
  /**
   * Group packs (SSCC pallets / cases) in the snapshot, each holding 3 sellable codes (default 2;
   * fewer when there are not enough sellable codes). Served as `aggregate` feed records.
   */
  aggregates?: number;
}

/** A group pack the registry knows: its SSCC (18 digits), the scannable code, and its units' CIS. */
export interface EmulatedAggregate {
  sscc: string;
  /** As a scanner delivers it: AI 00 + the SSCC. */
  code: string;
  contents: readonly string[];
}


export const DAY_MS = 86_400_000;
/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
/** Today, UTC, YYYY-MM-DD. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A small seeded generator. */
export class Rng {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  pick<T>(list: readonly T[]): T { return list[Math.floor(this.next() * list.length)] as T; }
  chance(p: number): boolean { return this.next() < p; }
  digits(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10)); return s; }
  cset(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += CSET82[Math.floor(this.next() * CSET82.length)] as string; return s; }
}

/** The key of a block in the dataset's map. */
export function blockKey(b: Block): string {
  return b.kind === 'code' ? `c|${b.cis}` : b.kind === 'gtin' ? `g|${b.gtin}` : `b|${b.gtin}|${b.batch}`;
}

/** Rounded to whole units of 100 (prices). */
export function round100(n: number): number {
  return Math.round(n / 100) * 100;
}
