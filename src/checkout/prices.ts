/**
 * The price rules, asked again whenever the price the customer will pay may have changed: after a
 * price change and once more at payment (the scan itself asks the whole table through the
 * checker, which judges the catalogue price when none is typed). A line a manager overrode is
 * asked too: no price rule is overridable.
 */
import type { CodeFacts } from '../rules/index.ts';
import { MAX_PRICE, priceVerdict, type Verdict } from '../rules/index.ts';
import type { CheckoutContext } from './context.ts';
import { CheckoutError, type BasketLine } from './types.ts';

/** The price limits of a code (minor units), where known. */
interface PriceLimits { mrp: number | null; minPrice: number | null }

/** Price limits remembered per basket line, and the price verdict of a line at a price. */
export interface PriceGuard {
  /** Keeps the limits the line's own check saw (an online answer's MRP included). */
  remember(lineId: string, facts: CodeFacts | null): void;
  clear(): void;
  /** The refusing price verdict of `line` at `price`, or null when the price passes. */
  problem(line: BasketLine, price: number): Verdict | null;
}

const lowest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const highest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** A unit price the checkout accepts: whole minor units within {@link MAX_PRICE}. */
export function checkPrice(price: number): void {
  if (!Number.isSafeInteger(price) || price < 0 || price > MAX_PRICE) {
    throw new CheckoutError('BAD_INPUT', `price must be whole minor units (tiyn) from 0 to ${MAX_PRICE}, got ${price}`);
  }
}

/** Creates the price guard of one basket. */
export function createPriceGuard(ctx: CheckoutContext): PriceGuard {
  const seenByLine = new Map<string, PriceLimits>();
  return {
    remember(lineId, facts) {
      seenByLine.set(lineId, { mrp: facts?.mrp ?? null, minPrice: facts?.minPrice ?? null });
    },
    clear() { seenByLine.clear(); },
    problem(line, price) {
      if (line.cis === null) return null;
      // The cache's facts and the code's own MRP now, and the strictest of those seen at scan.
      const result = ctx.checker.check(ctx.parse(line.code), { operation: 'sale', price, inBasket: false });
      const seen = seenByLine.get(line.id);
      const mrp = lowest(result.facts?.mrp ?? null, seen?.mrp ?? null);
      const minPrice = highest(result.facts?.minPrice ?? null, seen?.minPrice ?? null);
      return priceVerdict({
        operation: 'sale', codeValid: true, source: result.verdict.source, freshness: result.freshness.state, today: result.checkedAt.slice(0, 10),
        price, inBasket: false, group: line.group, lang: ctx.config.languages[0] ?? 'ru',
        facts: { found: true, status: null, blocked: false, blockedBy: null, expires: null, group: line.group, soldHere: false, ...result.facts, mrp, minPrice },
      });
    },
  };
}
