/**
 * The store's price list as CSV (`tanba catalog import FILE.csv`): what a back office exports
 * from a spreadsheet. A header row names the columns (any order, any case); the separator is
 * `;` (Excel in Russian locales), `,` or a tab, found from the header.
 *
 *   barcode   8 to 14 digits (required)
 *   name      the product's name, Russian (required; `title` too)
 *   name_kk   its Kazakh name (`title_kk` too)
 *   price     in tenge, up to two decimals, `.` or `,` (1250,50); empty: a free-price item,
 *             its price typed at the till
 *   unit      `kg` (also 166, кг) for weighed goods; anything else or empty: by the piece
 *   ntin      National Catalogue code; vat  standard | medicines | periodicals | zero | none
 */
import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import type { StoreProduct } from '../store/index.ts';

const VATS = ['standard', 'medicines', 'periodicals', 'zero', 'none'] as const;

/** Tenge as typed ("1 250,50", "89", "0.5") to tiyn, exactly (no floating point). */
export function tengeToTiyn(text: string): number {
  const t = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) throw new Error(`'${text}' is not a price in tenge (digits, up to two decimals, e.g. 1250,50)`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const rowSchema = z.object({
  barcode: z.string().regex(/^\d{8,14}$/, 'a barcode is 8 to 14 digits (EAN / GTIN)'),
  name: z.string().trim().min(1, 'the name is empty'),
  name_kk: z.string().trim().optional(),
  price: z.string().trim().optional(),
  unit: z.string().trim().optional(),
  ntin: z.string().trim().regex(/^(\d{13})?$/, 'an NTIN is 13 digits').optional(),
  vat: z.union([z.enum(VATS), z.literal('')]).optional(),
});

const ALIASES: Record<string, string> = { title: 'name', title_kk: 'name_kk', namekk: 'name_kk', titlekk: 'name_kk' };

/** True when the text looks like CSV with a header (not NDJSON). */
export function looksLikeCsv(file: string, text: string): boolean {
  return /\.csv$/i.test(file) || !text.trimStart().startsWith('{');
}

/** Parses the price list; a bad row is an error naming its line and column, and nothing is imported. */
export function parseStoreProductsCsv(text: string, file: string, at: string): StoreProduct[] {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].find((d) => header.includes(d)) ?? ';';
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      bom: true, delimiter, columns: (h: string[]) => h.map((c) => { const k = c.trim().toLowerCase(); return ALIASES[k] ?? k; }),
      skip_empty_lines: true, trim: true, relax_column_count: false,
    }) as Record<string, string>[];
  } catch (err) {
    throw new Error(`${file}: not CSV (${(err as Error).message})`, { cause: err });
  }
  return records.map((rec, i) => {
    const line = i + 2;
    const r = rowSchema.safeParse(rec);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${file}:${line}: ${issue ? `${issue.path.join('.') || '(row)'}: ${issue.message}` : 'invalid'}`);
    }
    const row = r.data;
    let price: number | null;
    try {
      price = row.price ? tengeToTiyn(row.price) : null;
    } catch (err) {
      throw new Error(`${file}:${line}: price: ${(err as Error).message}`, { cause: err });
    }
    return {
      barcode: row.barcode, title: row.name, titleKk: row.name_kk || null, price, weighed: /^(kg|кг|166)$/i.test(row.unit ?? ''),
      ntin: row.ntin || null, vatCategory: row.vat || null, updatedAt: at,
    };
  });
}
