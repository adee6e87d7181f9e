/**
 * Selling beyond the scan, over the register's store: the product search, the price list's
 * product for a barcode, and parked baskets (SQLite, so they survive a restart).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { BasketLine } from '../checkout/index.ts';
import {
  catalogProductsByBarcode, insertParkedBasket, listParkedBaskets, searchProducts, storeProduct, takeParkedBasket,
  type Db, type ParkedBasket, type ParkedLine, type ProductHit,
} from '../store/index.ts';

/** The register's selling data. */
export interface SellingStore {
  search(query: string, limit: number): ProductHit[];
  /** The price a barcode is known to sell at (the store's list, else the catalogue's), or null: a free-price item. */
  knownPrice(barcode: string): number | null;
  /** Puts the lines aside (a group pack once, by its own code); returns the parked basket. */
  park(lines: readonly BasketLine[], cashier: string): ParkedBasket;
  list(): ParkedBasket[];
  take(id: string): ParkedBasket | undefined;
  /** Puts a taken basket back (its recall could not start). */
  putBack(basket: ParkedBasket): void;
}

/** The 14-digit GTIN of a printed barcode and the barcode itself: both ways a table may hold it. */
const keysOf = (barcode: string): string[] => [...new Set([barcode, barcode.padStart(14, '0'), barcode.replace(/^0+(?=\d{8,13}$)/, '')])];

/** Creates the selling store over the register's database. */
export function createSellingStore(db: Db, clock: Clock): SellingStore {
  return {
    search: (query, limit) => searchProducts(db, query, limit),
    knownPrice(barcode) {
      for (const k of keysOf(barcode)) {
        const own = storeProduct(db, k);
        if (own) return own.price;
      }
      for (const k of keysOf(barcode)) {
        const p = catalogProductsByBarcode(db, k).find((c) => c.price !== null);
        if (p) return p.price;
      }
      return null;
    },
    park(lines, cashier) {
      const parked: ParkedLine[] = [];
      const packs = new Set<string>();
      for (const l of lines) {
        if (l.fromAggregate !== null) {
          if (!packs.has(l.fromAggregate)) parked.push({ code: l.fromAggregate, quantityMilli: 1000, price: null, name: l.name });
          packs.add(l.fromAggregate);
        } else parked.push({ code: l.code, quantityMilli: l.quantityMilli, price: l.price, name: l.name, nameKk: l.nameKk ?? null });
      }
      const basket: ParkedBasket = {
        id: randomUUID(), parkedAt: clock.now().toISOString(), cashier, total: lines.reduce((s, l) => s + (l.sum ?? 0), 0), lines: parked,
      };
      insertParkedBasket(db, basket);
      return basket;
    },
    list: () => listParkedBaskets(db),
    take: (id) => takeParkedBasket(db, id),
    putBack: (basket) => insertParkedBasket(db, basket),
  };
}
