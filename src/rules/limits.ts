/**
 * Upper limits of what one register sells, chosen so that every amount the checkout accepts can be
 * computed, paid and sent to the fiscal data operator exactly (all sums stay far below 2^53, VAT
 * included). Far above any real shop's prices; a value above a limit is refused at the API /
 * CLI boundary with a message naming the field, and again by the checkout itself.
 */

/** Highest unit price: 100 000 000.00 ₸ in minor units (tiyn). */
export const MAX_PRICE = 10_000_000_000;
/** Highest quantity of one line (units, or kg for weighed goods). */
export const MAX_QUANTITY = 10_000;
/** Highest sum of one line and total of one document: 1 000 000 000.00 ₸. */
export const MAX_TOTAL = 100_000_000_000;
/** Highest number of lines in one basket (a receipt the printer and the OFD take in one piece). */
export const MAX_LINES = 500;
/** Highest number of payments of one document. */
export const MAX_PAYMENTS = 20;
/** Refusals kept in the basket's list: the latest are kept, the older only counted. */
export const MAX_REFUSALS_KEPT = 50;
