/**
 * Public types of the checkout: configuration, basket lines, refusals, committed documents.
 */
import type { OnlineFacts } from '../cache/index.ts';
import type { Verdict } from '../rules/index.ts';
import type { CardDetails, MobileDetails, SaleLineRow, SaleRow, UserRole } from '../store/index.ts';

/** Who approves an override: a manager or the administrator, already authenticated. */
export interface Approver {
  name: string;
  role: UserRole;
}

/** What approves an override: who (authenticated by the caller) and why. */
export interface OverrideApproval {
  approver: Approver;
  reason: string;
}

/** Payment types the register takes (mobile: a QR payment through a bank's app). */
export type PaymentType = 'cash' | 'card' | 'mobile';

/** One payment of a sale, with what the card terminal or QR service reported when known. */
export interface Payment {
  type: PaymentType;
  amount: number;
  card?: CardDetails;
  mobile?: MobileDetails;
}

/** A VAT rate valid from a date (rates change by law; the table keeps history). */
export interface VatRate {
  /** YYYY-MM-DD, UTC. */
  from: string;
  /** Thousandths of a percent, as the fiscal protocol (16000 = 16 %). */
  percentMilli: number;
}

/**
 * The register's checkout settings. VAT: Kazakhstan 12 % until 2025-12-31 and 16 % from
 * 2026-01-01 (new Tax Code); tax is included in prices. A store that is not a VAT payer sets
 * `vatPayer: false` and no tax is shown.
 */
export interface CheckoutConfig {
  storeName: string;
  storeAddress?: string;
  storeBin?: string;
  registerId: string;
  /** Receipt languages, first is primary. */
  languages: readonly ('ru' | 'kk' | 'en')[];
  vatPayer?: boolean;
  vatRates?: readonly VatRate[];
  /** Fiscal section (department) code for items (default '1'). */
  sectionCode?: string;
  /** Numeric operator code for the fiscal ticket (default 1). */
  operatorCode?: number;
  /** Days an e-receipt contact is kept after the e-receipt is delivered (default 30). */
  contactRetentionDays?: number;
  /** Days a contact is kept at most when its e-receipt is never delivered (default 30 + 72 h offline limit, rounded: 33). */
  contactMaxPendingDays?: number;
  /** Hours a shift may stay open (the protocol's limit: 24). */
  shiftMaxHours?: number;
  /** A product not in the National Catalogue: warn and sell without NTIN (default), or refuse the scan. */
  catalogNotFound?: 'warn' | 'refuse';
}

/** One NTIN the National Catalogue lists for a barcode. */
export interface NtinCandidate {
  ntin: string;
  title: string;
  titleKk: string | null;
}

/** What the National Catalogue said about a scanned product's barcode (src/sync/catalog.ts gives it). */
export interface CatalogFacts {
  found: boolean;
  /** The NTIN to sell under; null when not found or while the cashier must pick among candidates. */
  ntin: string | null;
  candidates: NtinCandidate[];
  title: string | null;
  titleKk: string | null;
  measureUnitCode: string | null;
  vat?: 'standard' | 'medicines' | 'periodicals' | 'zero' | 'none';
  /** Not found: why ('not in the National Catalogue', 'catalogue unavailable'). */
  reason?: string;
  needsChoice?: boolean;
}

/** How a code was checked, as recorded on the line and in the fiscal data. */
export interface CheckRecord {
  source: 'online' | 'cache' | 'none';
  requestId: string | null;
  checkedAt: string;
  /** The marking-system provider whose answer counted ('xtrace', 'true-api', 'local-module', 'tanba-feed'), else null. */
  provider?: string | null;
  /** The registry's time of that answer (UTC ISO; True API reqTimestamp), else null. */
  requestTime?: string | null;
}

/** A line of the open basket. */
export interface BasketLine {
  id: string;
  /** The code exactly as scanned (GS = 0x1D). */
  code: string;
  cis: string | null;
  gtin: string | null;
  kind: 'gs1' | 'tobacco-pack' | 'tobacco-block' | 'sscc' | 'ean';
  name: string;
  group: string | null;
  unit: string | null;
  ai: boolean;
  /** Unit price in minor units; null until known (cache price or a price override). */
  price: number | null;
  quantityMilli: number;
  /** Units of a package sold in parts (partial sale), else null. */
  units: number | null;
  sum: number | null;
  verdict: Verdict;
  check: CheckRecord;
  /** Set when a manager overrode a refusal. */
  override: { id: string; manager: string; reason: string } | null;
  /** The aggregate (group pack) code this line was unpacked from. */
  fromAggregate: string | null;
  /** National Catalogue code (2.0.3 `ntin`) when known. */
  ntin?: string | null;
  /** Catalogue name in Kazakh. */
  nameKk?: string | null;
  /** Several NTINs for this barcode and no pick yet: the cashier must choose one (chooseNtin). */
  ntinCandidates?: NtinCandidate[] | null;
  /** Not in the catalogue (sold without NTIN under the 'warn' policy): why. */
  catalogNote?: string | null;
  /** VAT category of the product (dated rate table); absent: standard. */
  vatCategory?: 'standard' | 'medicines' | 'periodicals' | 'zero' | 'none';
}

/** A scan that the rules refused. It never becomes a line unless a manager overrides it. */
export interface Refusal {
  id: string;
  code: string;
  cis: string | null;
  verdict: Verdict;
  check: CheckRecord;
  /** Why it failed before the rules (parse error, quantity), when that was the cause. */
  error?: { code: string; message: string };
  /** The product's name when known (the feed's product, else the price list or catalogue by GTIN). */
  name?: string | null;
}

/** The facts of an online check that answered in time for this scan (by CIS), with its request id and provider. */
export type { OnlineFacts };

/** Options of one scan. */
export interface ScanOptions {
  /** Unit price in minor units, overriding (or standing in for) the cache price. */
  price?: number;
  /** Quantity of unmarked goods (may be fractional: thousandths kept), or units of a package sold in parts. */
  quantity?: number;
  /**
   * Facts of an online check made for this scan: they decide the registry status of a code they
   * name (this store's own sales and the block lists still count). Absent: the cache decides.
   */
  online?: OnlineFacts | null;
  /** The National Catalogue's answer for the product's barcode (looked up before the scan, within its budget). */
  catalog?: CatalogFacts | null;
}

/** Result of one scan. */
export type ScanResult =
  | { ok: true; lines: BasketLine[] }
  | { ok: false; refusal: Refusal };

/** Error codes of the checkout. */
export type CheckoutErrorCode =
  | 'SHIFT_CLOSED' | 'SHIFT_OPEN' | 'SHIFT_EXPIRED' | 'EMPTY_BASKET' | 'NO_PRICE' | 'BAD_PAYMENT' | 'SOLD_TWICE'
  | 'NOT_FOUND' | 'NOT_OVERRIDABLE' | 'BAD_PIN' | 'ALREADY_RETURNED' | 'NOT_IN_SALE' | 'BAD_QUANTITY' | 'RETURN_REFUSED'
  | 'NO_CONSENT' | 'BAD_INPUT'
  /** The shift cannot close while goods are in the basket. */
  | 'BASKET_NOT_EMPTY'
  /** A cash withdrawal larger than the drawer holds by the shift's records. */
  | 'NOT_ENOUGH_CASH'
  /** A line's barcode has several NTINs in the National Catalogue: the cashier must choose one. */
  | 'NTIN_CHOICE'
  /** A price rule (maximum retail price, minimum price) refuses the price the customer would pay. */
  | 'PRICE_REFUSED'
  /** Sales stopped: no delivery to the fiscal data operator for longer than the offline limit (72 h or less). */
  | 'OFFLINE_LIMIT'
  /** Sales stopped: the OFD answered with a result that needs a person (or a server block, 15). */
  | 'REGISTER_BLOCKED';

/** A refusal of the checkout to do something, with a stable code and a message naming the cause. */
export class CheckoutError extends Error {
  override name = 'CheckoutError';
  constructor(readonly code: CheckoutErrorCode, message: string) {
    super(message);
  }
}

/**
 * The answer of the store's shared reservation (issue 19): reserved (`guarded`), or not asked in
 * time (`guarded: false`: the sale may proceed "unguarded" and is reconciled later), or held by
 * another lane of the store (its register id).
 */
export type GuardAnswer =
  | { ok: true; guarded: boolean }
  | { ok: false; reason: 'SOLD' | 'ALREADY_IN_BASKET'; lane: string };

/** A committed document as the guard sees it. */
export type GuardedDocument =
  | { kind: 'sale' | 'return'; sale: SaleRow; lines: readonly SaleLineRow[] }
  | { kind: 'shift_close'; id: string; registerId: string; shiftNumber: number; at: string; report: unknown };

/**
 * The guard in front of the local decision when lanes of a store share codes (src/hub). The
 * register passes a no-op one when no store NATS is configured. The local SQLite commit stays the
 * source of truth; the guard never blocks a sale longer than its own budget.
 */
export interface CheckoutGuard {
  /** Reserves a code that just entered the basket. */
  reserve(cis: string, code: string): Promise<GuardAnswer>;
  /** The code left the basket (line removed, basket cancelled). */
  release(cis: string): void;
  /** Inside the document's transaction: what must survive a crash (claims, the head-office queue). */
  recordDocument(doc: GuardedDocument): void;
  /** After COMMIT: confirm the codes to the store (sold / returned). */
  committed(doc: GuardedDocument): void;
}

/** The guard of a register without store NATS: everything is this register's alone. */
export const NO_GUARD: CheckoutGuard = {
  reserve: () => Promise.resolve({ ok: true, guarded: false }),
  release: () => undefined,
  recordDocument: () => undefined,
  committed: () => undefined,
};
