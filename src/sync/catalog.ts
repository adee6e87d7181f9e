/**
 * The National Catalogue (НКТ) lookup of a register: a product's barcode -> its NTIN(s), names
 * and flags, through the OFD (COMMAND_NOMENCLATURE with `barcode`, 2.0.3) unless the local table
 * holds a fresh answer. The lookup never makes a scan wait long: it races the OFD against a
 * budget (config `catalog.lookupBudgetMs`, default 800 ms); past it the local table decides and
 * the OFD's late answer is still stored for the next scan. OFD unreachable (offline, blocked, a
 * document pending whose REQNUM must stay the last one): the local table; a barcode never seen
 * is "not found", marked "catalogue unavailable".
 */
import type { Clock } from '../clock.ts';
import {
  buildNomenclatureLookup, candidatesOfLine, nomenclatureAnswerOf, type CatalogLine, type NomenclatureAnswer, type OfdClient,
} from '../registry/index.ts';
import {
  catalogBarcode, catalogProductsByBarcode, chooseCatalogNtin, storeCatalogAnswer, type Db, type VatCategory,
} from '../store/index.ts';

/** One answer, as `tanba catalog lookup` prints it and the checkout uses it. */
export interface CatalogResult {
  barcode: string;
  found: boolean;
  /** The NTIN to sell under: the only one, or the cashier's remembered pick; null while a pick is needed. */
  ntin: string | null;
  candidates: { ntin: string; title: string; titleKk: string | null }[];
  title: string | null;
  titleKk: string | null;
  measureUnitCode: string | null;
  isMarked: boolean;
  isSocial: boolean;
  /** ofd: answered now by the OFD; cache: from the local table. */
  source: 'ofd' | 'cache';
  /** The product's VAT category when the table knows it. */
  vat?: VatCategory;
  /** Not found: why ("not in the National Catalogue", "catalogue unavailable"). */
  reason?: string;
  /** Several NTINs and no pick yet: the cashier must choose. */
  needsChoice?: boolean;
}

/** Why a barcode has no catalogue answer. */
export const NOT_IN_CATALOGUE = 'not in the National Catalogue';
export const CATALOGUE_UNAVAILABLE = 'catalogue unavailable';

/** The canonical key of a barcode: the 14-digit GTIN (an EAN-13 / UPC / EAN-8 padded with zeros). */
export function catalogKey(barcode: string): string {
  const d = barcode.trim();
  if (!/^\d{8,14}$/.test(d)) throw new Error(`barcode '${barcode}' must be 8 to 14 digits`);
  return d.padStart(14, '0');
}

/** The barcode as sent to the OFD: the printed EAN-13 form of a GTIN-14 that starts with 0. */
export function wireBarcode(key: string): string {
  return key.length === 14 && key.startsWith('0') ? key.slice(1) : key;
}

/** What the lookup needs. */
export interface CatalogLookupOptions {
  db: Db;
  /** The register's OFD client (opened on first use). */
  client: () => OfdClient;
  clock: Clock;
  /** A stored answer younger than this is used without asking (hours). */
  ttlHours: number;
  /** Longest a lookup waits for the OFD (ms). */
  budgetMs: number;
}

/** The register's catalogue. */
export interface CatalogLookup {
  /** The answer for a barcode (asks the OFD when the table has no fresh one). */
  lookup(barcode: string, options?: { budgetMs?: number }): Promise<CatalogResult>;
  /** The table's answer only (no network). */
  local(barcode: string): CatalogResult | null;
  /** Remembers the cashier's pick among several NTINs for this barcode (false: not one of them). */
  choose(barcode: string, ntin: string): boolean;
  /** Stores catalogue lines (a head-office file); returns how many barcodes. */
  importLines(lines: readonly CatalogLine[]): number;
}

/** The table's answer for a barcode key, or null when it has none. */
function fromTable(db: Db, key: string, barcode: string): CatalogResult | null {
  const b = catalogBarcode(db, key);
  if (!b) return null;
  const products = catalogProductsByBarcode(db, key).filter((p) => p.ntin !== null);
  if (b.status === 'not_found' || products.length === 0) {
    return { barcode, found: false, ntin: null, candidates: [], title: null, titleKk: null, measureUnitCode: null, isMarked: false, isSocial: false, source: 'cache', reason: NOT_IN_CATALOGUE };
  }
  const chosen = products.length === 1 ? products[0] : products.find((p) => p.ntin === b.chosenNtin);
  const shown = chosen ?? products[0];
  return {
    barcode, found: true, ntin: chosen?.ntin ?? null,
    candidates: products.map((p) => ({ ntin: p.ntin as string, title: p.title, titleKk: p.titleKk })),
    title: chosen?.title ?? null, titleKk: chosen?.titleKk ?? null,
    measureUnitCode: shown?.measureUnitCode ?? null, isMarked: shown?.isMarked ?? false, isSocial: shown?.isSocial ?? false,
    source: 'cache', ...(shown?.vatCategory ? { vat: shown.vatCategory } : {}),
    ...(chosen === undefined ? { needsChoice: true } : {}),
  };
}

/** Creates the catalogue lookup of a register. */
export function createCatalogLookup(options: CatalogLookupOptions): CatalogLookup {
  const { db, clock } = options;
  const ttlMs = options.ttlHours * 3_600_000;

  function store(key: string, answer: NomenclatureAnswer, at: string): void {
    const products = answer.found ? answer.candidates.map((c) => ({
      ntin: c.ntin, title: c.title, titleKk: c.titleKk, measureUnitCode: c.measureUnitCode, vatCategory: null,
      isMarked: c.isMarked, isSocial: c.isSocial, price: null, source: 'ofd' as const, fetchedAt: at,
    })) : [];
    storeCatalogAnswer(db, key, products, { source: 'ofd', fetchedAt: at });
  }

  /** Asks the OFD; resolves true when it answered (and the answer is stored), false otherwise. */
  async function ask(key: string, budgetMs: number): Promise<boolean> {
    try {
      // A late answer is still stored (for the next scan), but a lookup never holds the client long.
      const outcome = await options.client().send(buildNomenclatureLookup(wireBarcode(key)), { lookup: { timeoutMs: Math.max(2_000, budgetMs * 3) } });
      if (outcome.kind !== 'ok') return false;
      store(key, nomenclatureAnswerOf(outcome.response), clock.now().toISOString());
      return true;
    } catch {
      // Another document pending (its REQNUM must stay the OFD's last request), or a codec fault: the table decides.
      return false;
    }
  }

  return {
    async lookup(barcode, o = {}) {
      const key = catalogKey(barcode);
      const stored = catalogBarcode(db, key);
      if (stored && clock.now().getTime() - Date.parse(stored.fetchedAt) < ttlMs) return fromTable(db, key, barcode) as CatalogResult;
      const budget = o.budgetMs ?? options.budgetMs;
      let timer: NodeJS.Timeout | undefined;
      const answered = await Promise.race([
        ask(key, budget),
        new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), budget); }),
      ]).finally(() => clearTimeout(timer));
      const local = fromTable(db, key, barcode);
      if (answered && local) return { ...local, source: 'ofd' };
      return local ?? {
        barcode, found: false, ntin: null, candidates: [], title: null, titleKk: null, measureUnitCode: null, isMarked: false, isSocial: false,
        source: 'cache', reason: CATALOGUE_UNAVAILABLE,
      };
    },
    local(barcode) {
      const key = catalogKey(barcode);
      return fromTable(db, key, barcode);
    },
    choose(barcode, ntin) {
      return chooseCatalogNtin(db, catalogKey(barcode), ntin);
    },
    importLines(lines) {
      const at = clock.now().toISOString();
      db.transaction(() => {
        for (const l of lines) {
          const products = candidatesOfLine(l).map((c) => ({
            ntin: c.ntin, title: c.title, titleKk: c.titleKk, measureUnitCode: c.measureUnitCode, vatCategory: l.vat ?? null,
            isMarked: c.isMarked, isSocial: c.isSocial, price: l.price ?? null, source: 'import' as const, fetchedAt: at,
          }));
          storeCatalogAnswer(db, catalogKey(l.barcode), products, { source: 'import', fetchedAt: at });
        }
      })();
      return lines.length;
    },
  };
}
