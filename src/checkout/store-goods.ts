/**
 * Unmarked goods of the store's own price list (src/store/selling.ts): its name and price on the
 * line, weighed goods by the kg, and the quantity change of a line.
 */
import { MAX_QUANTITY } from '../rules/index.ts';
import { storeProduct, type StoreProduct } from '../store/index.ts';
import type { Db } from '../store/index.ts';
import { computeSum, toMilli } from './lines.ts';
import { CheckoutError, type BasketLine } from './types.ts';

/** The store's product for a line's barcode (as printed, or as the 14-digit GTIN). */
export function ownProduct(db: Db, raw: string, gtin: string | null): StoreProduct | undefined {
  return storeProduct(db, raw) ?? (gtin !== null ? storeProduct(db, gtin) ?? storeProduct(db, gtin.replace(/^0+(?=\d{8,13}$)/, '')) : undefined);
}

/** Piece goods of the price list are sold whole; weighed goods in thousandths of a kg. */
export function assertQuantityFits(product: StoreProduct | undefined, quantityMilli: number, name: string): void {
  if (product !== undefined && !product.weighed && quantityMilli % 1000 !== 0) {
    throw new CheckoutError('BAD_QUANTITY', `${name} is sold by the piece: a whole quantity, got ${quantityMilli / 1000}`);
  }
}

/** Puts the price list's name, price and unit on a new line (a typed price wins). */
export function applyOwnProduct(line: BasketLine, product: StoreProduct | undefined, typedPrice: number | undefined): void {
  if (product === undefined) return;
  assertQuantityFits(product, line.quantityMilli, product.title);
  // The National Catalogue's name is the fiscal one; the store's name where it has none.
  if (!line.ntin) {
    line.name = product.title;
    line.nameKk = product.titleKk;
    if (product.ntin) line.ntin = product.ntin;
  }
  if (product.weighed) line.unit = 'kg';
  if (product.vatCategory && !line.vatCategory) line.vatCategory = product.vatCategory;
  if (typedPrice === undefined && product.price !== null) line.price = product.price;
  computeSum(line);
}

/**
 * A line's quantity changes: unmarked goods only (a marked unit is one code; a group pack sells
 * whole). Whole pieces unless the line is sold by the kg.
 */
export function changeQuantity(db: Db, lines: BasketLine[], lineId: string, quantity: number, assertTotal: (others: BasketLine[], changed: BasketLine) => void): BasketLine {
  const line = lines.find((l) => l.id === lineId);
  if (!line) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
  if (line.cis !== null || line.fromAggregate !== null) {
    throw new CheckoutError('BAD_QUANTITY', `${line.name}: one marked unit per code — scan each unit's own code, or remove the line`);
  }
  if (!(Number.isFinite(quantity) && quantity > 0 && quantity <= MAX_QUANTITY)) throw new CheckoutError('BAD_QUANTITY', `quantity must be above zero and at most ${MAX_QUANTITY}, got ${quantity}`);
  const quantityMilli = toMilli(quantity);
  if (line.unit !== 'kg') assertQuantityFits(ownProduct(db, line.code, line.gtin), quantityMilli, line.name);
  const changed = { ...line, quantityMilli };
  computeSum(changed);
  assertTotal(lines.filter((l) => l.id !== line.id), changed);
  line.quantityMilli = quantityMilli;
  computeSum(line);
  return line;
}
