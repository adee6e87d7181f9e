/**
 * The store's own products (migration 16), the product search of the till, and parked baskets.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';
import type { VatCategory } from './catalog.ts';

/** One product of the store's price list. */
export interface StoreProduct {
  barcode: string;
  title: string;
  titleKk: string | null;
  /** Tiyn; null: a free-price item (the price is typed at the till). */
  price: number | null;
  /** Sold by the kg (quantity in thousandths of a kg). */
  weighed: boolean;
  ntin: string | null;
  vatCategory: VatCategory | null;
  updatedAt: string;
}

interface StoreProductRow {
  barcode: string; title: string; title_kk: string | null; price: number | null; weighed: number; ntin: string | null; vat_category: VatCategory | null; updated_at: string;
}

const storeProductOf = (r: StoreProductRow): StoreProduct => ({
  barcode: r.barcode, title: r.title, titleKk: r.title_kk, price: r.price, weighed: r.weighed === 1, ntin: r.ntin, vatCategory: r.vat_category, updatedAt: r.updated_at,
});

/** Inserts or replaces products of the store's price list in one transaction; returns how many. */
export function upsertStoreProducts(db: Db, products: readonly StoreProduct[]): number {
  db.transaction(() => {
    const stmt = prepared(db, `INSERT INTO store_products (barcode, title, title_kk, price, weighed, ntin, vat_category, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (barcode) DO UPDATE SET title = excluded.title, title_kk = excluded.title_kk, price = excluded.price, weighed = excluded.weighed,
        ntin = excluded.ntin, vat_category = excluded.vat_category, updated_at = excluded.updated_at`);
    for (const p of products) stmt.run(p.barcode, p.title, p.titleKk, p.price, p.weighed ? 1 : 0, p.ntin, p.vatCategory, p.updatedAt);
  })();
  return products.length;
}

/** The store's product for a barcode, if it sells one under it. */
export function storeProduct(db: Db, barcode: string): StoreProduct | undefined {
  const r = prepared(db, 'SELECT * FROM store_products WHERE barcode = ?').get(barcode) as StoreProductRow | undefined;
  return r ? storeProductOf(r) : undefined;
}

/** One product found by the till's search. */
export interface ProductHit {
  barcode: string;
  title: string;
  titleKk: string | null;
  price: number | null;
  weighed: boolean;
  /** Marked goods: sold by scanning each unit's marking code, never from the search. */
  marked: boolean;
  /** store: the store's price list; catalog: the National Catalogue (answers, imports); feed: the marking feed's products. */
  source: 'store' | 'catalog' | 'feed';
}

/** LIKE pattern for `text` anywhere, with LIKE's wildcards taken literally. */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const folding = new WeakSet<Db>();

/** SQLite's lower() and LIKE fold ASCII only: `fold()` lower-cases Cyrillic (ru / kk) too. */
function withFold(db: Db): Db {
  if (!folding.has(db)) {
    db.function('fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLocaleLowerCase('ru') : null));
    folding.add(db);
  }
  return db;
}

/**
 * Products whose name (ru or kk, any case) or barcode contains the query: the store's list first,
 * then the National Catalogue's (answers, imports), then the marking feed's; one hit per barcode.
 */
export function searchProducts(db: Db, query: string, limit: number): ProductHit[] {
  const q = query.trim().toLocaleLowerCase('ru');
  if (q.length === 0) return [];
  const like = containing(q);
  withFold(db);
  const seen = new Set<string>();
  const out: ProductHit[] = [];
  const push = (h: ProductHit): void => {
    if (out.length >= limit || seen.has(h.barcode)) return;
    seen.add(h.barcode);
    out.push(h);
  };
  const where = (name: string, kk: string | null, code: string): string =>
    `(fold(${name}) LIKE @q ESCAPE '\\'${kk ? ` OR fold(${kk}) LIKE @q ESCAPE '\\'` : ''} OR ${code} LIKE @q ESCAPE '\\')`;
  for (const r of prepared(db, `SELECT * FROM store_products WHERE ${where('title', 'title_kk', 'barcode')} ORDER BY title LIMIT @limit`).all({ q: like, limit }) as StoreProductRow[]) {
    push({ barcode: r.barcode, title: r.title, titleKk: r.title_kk, price: r.price, weighed: r.weighed === 1, marked: false, source: 'store' });
  }
  for (const r of prepared(db, `SELECT barcode, title, title_kk, price, measure_unit_code, is_marked FROM catalog_products
      WHERE barcode IS NOT NULL AND ${where('title', 'title_kk', 'barcode')} ORDER BY title LIMIT @limit`).all({ q: like, limit }) as
    { barcode: string; title: string; title_kk: string | null; price: number | null; measure_unit_code: string | null; is_marked: number }[]) {
    push({ barcode: r.barcode, title: r.title, titleKk: r.title_kk, price: r.price, weighed: r.measure_unit_code === KG_UNIT, marked: r.is_marked === 1, source: 'catalog' });
  }
  for (const r of prepared(db, `SELECT * FROM products WHERE ${where('name', null, 'gtin')} ORDER BY name LIMIT @limit`).all({ q: like, limit }) as
    { gtin: string; name: string; name_kk?: string | null; price: number | null; unit: string | null }[]) {
    // SELECT *: the Kazakh name (migration 17) when the file has it; marked goods are found by the feed's name or barcode.
    push({ barcode: r.gtin, title: r.name, titleKk: r.name_kk ?? null, price: r.price, weighed: r.unit === 'kg', marked: true, source: 'feed' });
  }
  return out;
}

/**
 * A product's name by its GTIN, for a refused code that never became a line: the store's price
 * list first, then the National Catalogue's, then the marking feed's. A GTIN-14 with a leading 0
 * is also looked up as the EAN-13 printed on the pack.
 */
export function productNameByGtin(db: Db, gtin: string): string | null {
  const forms = gtin.length === 14 && gtin.startsWith('0') ? [gtin, gtin.slice(1)] : [gtin];
  for (const code of forms) {
    const name = (prepared(db, 'SELECT title FROM store_products WHERE barcode = ?').pluck().get(code)
      ?? prepared(db, 'SELECT title FROM catalog_products WHERE barcode = ? ORDER BY title LIMIT 1').pluck().get(code)
      ?? prepared(db, 'SELECT name FROM products WHERE gtin = ?').pluck().get(code)) as string | undefined;
    if (name) return name;
  }
  return null;
}

/** The IS ESF unit code of the kilogram. */
export const KG_UNIT = '166';

/** One line of a parked basket, as it was scanned. */
/** One parked line; `nameKk` (the Kazakh name, when the line had one) is absent in baskets parked before it was kept. */
export interface ParkedLine { code: string; quantityMilli: number; price: number | null; name: string; nameKk?: string | null }
/** A parked basket. */
export interface ParkedBasket { id: string; parkedAt: string; cashier: string; total: number; lines: ParkedLine[] }

/** Puts a basket aside. */
export function insertParkedBasket(db: Db, b: ParkedBasket): void {
  prepared(db, 'INSERT INTO parked_baskets (id, parked_at, cashier, total, lines) VALUES (?, ?, ?, ?, ?)').run(b.id, b.parkedAt, b.cashier, b.total, JSON.stringify(b.lines));
}

interface ParkedRow { id: string; parked_at: string; cashier: string; total: number; lines: string }
const parkedOf = (r: ParkedRow): ParkedBasket => ({ id: r.id, parkedAt: r.parked_at, cashier: r.cashier, total: r.total, lines: JSON.parse(r.lines) as ParkedLine[] });

/** The parked baskets, oldest first. */
export function listParkedBaskets(db: Db): ParkedBasket[] {
  return (prepared(db, 'SELECT * FROM parked_baskets ORDER BY parked_at, id').all() as ParkedRow[]).map(parkedOf);
}

/** Takes a parked basket out (it is gone from the list); undefined when there is none by that id. */
export function takeParkedBasket(db: Db, id: string): ParkedBasket | undefined {
  return db.transaction(() => {
    const r = prepared(db, 'SELECT * FROM parked_baskets WHERE id = ?').get(id) as ParkedRow | undefined;
    if (!r) return undefined;
    prepared(db, 'DELETE FROM parked_baskets WHERE id = ?').run(id);
    return parkedOf(r);
  })();
}
