/**
 * The National Catalogue table (migration 12): products per (barcode, NTIN) and the answer per
 * barcode (found / not found, its time, the cashier's pick among several NTINs).
 */
import type { Db } from './db.ts';
import { prepared, type VatCategory } from './cache-codes.ts';

export type { VatCategory };
/** Where a catalogue row came from. */
export type CatalogSource = 'ofd' | 'import' | 'manual';

/** One product of the catalogue. */
export interface CatalogProduct {
  barcode: string | null;
  ntin: string | null;
  title: string;
  titleKk: string | null;
  measureUnitCode: string | null;
  vatCategory: VatCategory | null;
  isMarked: boolean;
  isSocial: boolean;
  price: number | null;
  source: CatalogSource;
  fetchedAt: string;
}

/** The stored answer for one barcode. */
export interface CatalogBarcode {
  barcode: string;
  status: 'found' | 'not_found';
  chosenNtin: string | null;
  source: CatalogSource;
  fetchedAt: string;
}

interface ProductDbRow {
  barcode: string | null; ntin: string | null; title: string; title_kk: string | null; measure_unit_code: string | null;
  vat_category: VatCategory | null; is_marked: number; is_social: number; price: number | null; source: CatalogSource; fetched_at: string;
}

function productOf(r: ProductDbRow): CatalogProduct {
  return {
    barcode: r.barcode, ntin: r.ntin, title: r.title, titleKk: r.title_kk, measureUnitCode: r.measure_unit_code, vatCategory: r.vat_category,
    isMarked: r.is_marked === 1, isSocial: r.is_social === 1, price: r.price, source: r.source, fetchedAt: r.fetched_at,
  };
}

/** The products stored for a barcode (several when the catalogue has several NTINs for it), by NTIN. */
export function catalogProductsByBarcode(db: Db, barcode: string): CatalogProduct[] {
  return (prepared(db, 'SELECT * FROM catalog_products WHERE barcode = ? ORDER BY ntin').all(barcode) as ProductDbRow[]).map(productOf);
}

/** The stored answer for a barcode, if any. */
export function catalogBarcode(db: Db, barcode: string): CatalogBarcode | undefined {
  const r = prepared(db, 'SELECT barcode, status, chosen_ntin, source, fetched_at FROM catalog_barcodes WHERE barcode = ?').get(barcode) as
    { barcode: string; status: 'found' | 'not_found'; chosen_ntin: string | null; source: CatalogSource; fetched_at: string } | undefined;
  return r ? { barcode: r.barcode, status: r.status, chosenNtin: r.chosen_ntin, source: r.source, fetchedAt: r.fetched_at } : undefined;
}

/**
 * Stores one answer for a barcode in one transaction: its products replace the ones stored for
 * it (an NTIN the catalogue no longer lists is gone), the cashier's earlier pick is kept while it
 * is still among them. An empty list records "not found".
 */
export function storeCatalogAnswer(db: Db, barcode: string, products: readonly Omit<CatalogProduct, 'barcode'>[], at: { source: CatalogSource; fetchedAt: string }): void {
  db.transaction(() => {
    const before = catalogBarcode(db, barcode);
    prepared(db, 'DELETE FROM catalog_products WHERE barcode = ?').run(barcode);
    for (const p of products) upsertCatalogProduct(db, { ...p, barcode });
    const keep = before?.chosenNtin && products.some((p) => p.ntin === before.chosenNtin) ? before.chosenNtin : null;
    prepared(db, `INSERT INTO catalog_barcodes (barcode, status, chosen_ntin, source, fetched_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (barcode) DO UPDATE SET status = excluded.status, chosen_ntin = excluded.chosen_ntin, source = excluded.source, fetched_at = excluded.fetched_at`)
      .run(barcode, products.length > 0 ? 'found' : 'not_found', keep, at.source, at.fetchedAt);
  })();
}

/** Inserts or updates one product by (barcode, NTIN). */
export function upsertCatalogProduct(db: Db, p: CatalogProduct): void {
  prepared(db, `INSERT INTO catalog_products (barcode, ntin, title, title_kk, measure_unit_code, vat_category, is_marked, is_social, price, source, fetched_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (barcode, ntin) DO UPDATE SET title = excluded.title, title_kk = excluded.title_kk, measure_unit_code = excluded.measure_unit_code,
        vat_category = COALESCE(excluded.vat_category, vat_category), is_marked = excluded.is_marked, is_social = excluded.is_social,
        price = COALESCE(excluded.price, price), source = excluded.source, fetched_at = excluded.fetched_at`)
    .run(p.barcode, p.ntin, p.title, p.titleKk, p.measureUnitCode, p.vatCategory, p.isMarked ? 1 : 0, p.isSocial ? 1 : 0, p.price, p.source, p.fetchedAt);
}

/** Remembers the cashier's pick among a barcode's NTINs (false when the barcode has no such NTIN stored). */
export function chooseCatalogNtin(db: Db, barcode: string, ntin: string): boolean {
  if (!catalogProductsByBarcode(db, barcode).some((p) => p.ntin === ntin)) return false;
  return prepared(db, 'UPDATE catalog_barcodes SET chosen_ntin = ? WHERE barcode = ?').run(ntin, barcode).changes === 1;
}

/** Number of products and barcodes stored (status pages). */
export function catalogCounts(db: Db): { products: number; barcodes: number; notFound: number } {
  const p = prepared(db, 'SELECT COUNT(*) AS n FROM catalog_products').get() as { n: number };
  const b = prepared(db, "SELECT COUNT(*) AS n, SUM(status = 'not_found') AS nf FROM catalog_barcodes").get() as { n: number; nf: number | null };
  return { products: p.n, barcodes: b.n, notFound: b.nf ?? 0 };
}
