/**
 * API contract of the cashier's work: scan, basket, payment, return, manager override, receipts,
 * shifts. Request bodies are zod schemas (the server validates with them, the UI may too);
 * responses are types. Money is integer minor units (tiyn); times are UTC ISO-8601; a marking
 * code is always the code exactly as scanned (GS = U+001D), never re-typed.
 */
import * as z from 'zod';
import { MAX_LINES, MAX_PAYMENTS, MAX_PRICE, MAX_QUANTITY, MAX_TOTAL, type Decision, type ReasonCode } from '../../rules/index.ts';
import { phoneSchema, pinSchema } from './common.ts';

type Lang = 'ru' | 'kk' | 'en';
const money = z.number().int('amounts are whole minor units (tiyn)').nonnegative();
/** A unit price: whole minor units up to MAX_PRICE (see src/rules/limits.ts). */
const price = money.max(MAX_PRICE, `a price is at most ${MAX_PRICE} minor units`);
/** An amount paid or refunded: up to MAX_TOTAL. */
const amount = money.max(MAX_TOTAL, `an amount is at most ${MAX_TOTAL} minor units`);

/** POST /api/checkout/scan — a code from the UI's keyboard-wedge decoder, a camera or typed by hand. */
export const scanRequest = z.object({
  /** The code as scanned: GS as U+001D (the wedge decoder restores it). */
  code: z.string().min(1, 'code is empty').max(4096),
  /** Where the code came from (shown in the verdict event and logs). */
  source: z.enum(['wedge', 'manual', 'camera']).default('wedge'),
  /** Unit price override (minor units), e.g. for an unmarked item without a catalogue price. */
  price: price.optional(),
  /** Quantity of unmarked goods (may be fractional, e.g. 1.25 kg) or units of a package sold in parts. */
  quantity: z.number().positive().max(MAX_QUANTITY, `a quantity is at most ${MAX_QUANTITY}`).optional(),
});
export type ScanRequest = z.input<typeof scanRequest>;

/** PUT /api/checkout/lines/:id/price */
export const setPriceRequest = z.object({ price });
export type SetPriceRequest = z.infer<typeof setPriceRequest>;

/** A payment of a sale or a refund. */
const cardDetail = z.string().trim().min(1).max(64);
const cardDigits = z.string().regex(/^\d{1,20}$/, 'digits only');
/**
 * What the card terminal reported, as the cashier typed it from the slip (or a terminal link
 * sent it): the approval code and RRN go to the OFD with the payment.
 */
export const cardDetailsSchema = z.object({
  authCode: cardDetail.optional(), rrn: cardDigits.optional(), terminalId: cardDetail.optional(), cardType: cardDetail.optional(), receiptNumber: cardDigits.optional(),
}).strict();
export const paymentSchema = z.object({ type: z.enum(['cash', 'card']), amount, card: cardDetailsSchema.optional() })
  .refine((p) => p.type === 'card' || p.card === undefined, { message: 'card details belong to a card payment', path: ['card'] });
export type PaymentInput = z.infer<typeof paymentSchema>;

/** POST /api/checkout/pay — completes the sale (one transaction), then prints. */
export const payRequest = z.object({
  payments: z.array(paymentSchema).min(1, 'give at least one payment').max(MAX_PAYMENTS),
  /** E-receipt contact, stored only with the customer's consent. */
  contact: z.object({
    /** Normalised to +7XXXXXXXXXX (see normalisePhone); an invalid number is refused. */
    phone: phoneSchema.optional(),
    email: z.string().optional(),
    consent: z.boolean(),
  }).optional(),
});
export type PayRequest = z.infer<typeof payRequest>;

/** POST /api/checkout/return — a return against a committed sale (never a cancellation). */
export const returnRequest = z.object({
  saleId: z.string().min(1),
  /** Codes as scanned, CIS, or line ids of the sale; each line is returnable once. */
  items: z.array(z.string().min(1).max(4096)).min(1, 'name the codes or line ids to return').max(MAX_LINES),
  /** Refund payments; default: card when the sale was all card, else cash. */
  payments: z.array(paymentSchema).min(1).max(MAX_PAYMENTS).optional(),
  /** Refund the whole returned total this way (instead of `payments`); default as for `payments`. */
  refund: z.enum(['cash', 'card']).optional(),
  /** The approving manager, when the store requires approval of returns (`returns.requireApproval`). */
  managerName: z.string().trim().min(1).max(64).optional(),
  managerPin: pinSchema.optional(),
}).refine((r) => !(r.refund !== undefined && r.payments !== undefined), { message: 'give either refund or payments, not both', path: ['refund'] });
export type ReturnRequest = z.infer<typeof returnRequest>;

/**
 * POST /api/checkout/override — a manager (or the administrator) approves one refused scan with
 * their name and PIN; the reason is recorded and audited. Wrong PINs count against the named
 * approver and against the asking user (lockout with growing delays, 429 TOO_MANY_ATTEMPTS), and
 * every failure is audited.
 */
export const overrideRequest = z.object({
  refusalId: z.string().min(1),
  managerName: z.string({ error: (i) => (i.input === undefined ? 'required: the name of the approving manager or administrator' : 'a name') }).trim().min(1).max(64),
  managerPin: pinSchema,
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(500),
});
export type OverrideRequest = z.infer<typeof overrideRequest>;

/**
 * POST /api/checkout/ntin-choice — the cashier's pick among the National Catalogue's NTINs for a
 * barcode: applied to the basket's lines of that barcode and remembered for it in this store.
 */
export const ntinChoiceRequest = z.object({
  barcode: z.string().regex(/^\d{8,14}$/, 'barcode: the product barcode (GTIN / EAN), 8 to 14 digits'),
  ntin: z.string().regex(/^\d{13}$/, 'ntin: a National Catalogue code, 13 digits'),
});
export type NtinChoiceRequest = z.infer<typeof ntinChoiceRequest>;

/** POST /api/checkout/ntin-choice */
export interface NtinChoiceResponse {
  /** The basket lines the pick was applied to (none: only remembered for the next scan). */
  lines: BasketLineView[];
  basket: BasketView;
}

/**
 * POST /api/shifts/open — a shift is opened in the logged-in user's name. `cashier` may be sent
 * only as that same name (older clients); another name is refused (403 SHIFT_OWNER).
 */
export const openShiftRequest = z.object({
  cashier: z.string().min(1).max(64).optional(),
  /** The opening float in minor units: a cash deposit made as the shift opens (0 or absent: none). */
  float: z.number().int('float: whole tiyn').min(0).max(10_000_000_000).optional(),
});
export type OpenShiftRequest = z.infer<typeof openShiftRequest>;

/** A verdict as the cashier sees it (the rules' Verdict). */
export interface VerdictView {
  decision: Decision;
  reason: ReasonCode;
  /** In the register's primary language. */
  message: string;
  messages: Record<Lang, string>;
  source: 'online' | 'cache' | 'none';
  overridable: boolean;
  /** Decided without an online answer. */
  offline: boolean;
  rule: string;
  /** Which source decided: 'xtrace', 'true-api', 'local-module', 'tanba-feed', 'cache' or 'none'. */
  decidedBy?: string;
}

/** How a code was checked. */
export interface CheckView {
  source: 'online' | 'cache' | 'none';
  requestId: string | null;
  checkedAt: string;
  /** The marking system whose answer counted, else null. */
  provider?: string | null;
  /** That system's time of the answer (UTC ISO), else null. */
  requestTime?: string | null;
}

/** A line of the open basket. */
export interface BasketLineView {
  id: string;
  /** The code exactly as scanned (GS = U+001D). */
  code: string;
  cis: string | null;
  gtin: string | null;
  kind: 'gs1' | 'tobacco-pack' | 'tobacco-block' | 'sscc' | 'ean';
  name: string;
  group: string | null;
  unit: string | null;
  ai: boolean;
  /** Unit price, null until known (then the sale cannot be paid: NO_PRICE). */
  price: number | null;
  quantityMilli: number;
  units: number | null;
  sum: number | null;
  verdict: VerdictView;
  check: CheckView;
  override: { id: string; manager: string; reason: string } | null;
  fromAggregate: string | null;
  /** National Catalogue code the line is sold under (2.0.3 `ntin`); null: none. */
  ntin?: string | null;
  /** Catalogue name in Kazakh. */
  nameKk?: string | null;
  /** Several NTINs for the barcode and no pick yet: POST /api/checkout/ntin-choice. */
  ntinCandidates?: { ntin: string; title: string; titleKk: string | null }[] | null;
  /** Not in the National Catalogue (sold without NTIN): why. */
  catalogNote?: string | null;
}

/** A refused scan: kept apart from the lines; it never reaches payment unless overridden. */
export interface RefusalView {
  id: string;
  code: string;
  cis: string | null;
  verdict: VerdictView;
  check: CheckView;
  error?: { code: string; message: string };
  /** The product's name when known (feed, price list or catalogue by the code's GTIN). */
  name?: string | null;
}

/** An open shift. */
export interface ShiftView {
  id: string;
  number: number;
  registerId: string;
  cashier: string;
  openedAt: string;
  closedAt: string | null;
}

/** GET /api/checkout/basket (and the `basket` event). */
export interface BasketView {
  lines: BasketLineView[];
  /** The latest refused scans (at most 50: junk scans cannot grow the basket without limit). */
  refusals: RefusalView[];
  /** Every refused scan of this basket, also those no longer listed. */
  refusalCount: number;
  total: number;
  shift: ShiftView | null;
  /** False when the sync status stops sales (offline limit passed, OFD block). */
  salesAllowed: boolean;
  salesStoppedReason: string | null;
  /** Why sales are stopped, as a code the UI translates (`salesStoppedReason` is the core's own English). */
  salesStoppedCode?: 'OFFLINE_LIMIT' | 'REGISTER_BLOCKED' | null;
}

/** POST /api/checkout/scan */
export interface ScanResponse {
  /** allow / warn: the line(s) added; refuse: the refusal. */
  verdict: VerdictEvent;
  basket: BasketView;
}

/** Captions in the receipt's languages. */
export type Localized = Partial<Record<Lang, string>>;

/** One receipt line (the checkout's receipt model). */
export interface ReceiptLineView {
  position: number;
  name: string;
  code: string | null;
  cis: string | null;
  gtin: string | null;
  quantity: number;
  quantityMilli: number;
  unit: string | null;
  price: number;
  sum: number;
  tax: { percentMilli: number; sum: number } | null;
  aiLabel: Localized | null;
  check: { source: 'online' | 'cache' | 'none'; requestId: string | null; checkedAt: string; label: Localized; provider?: string | null; requestTime?: string | null } | null;
  override: { manager: string; reason: string } | null;
  ntin?: string | null;
  nameKk?: string | null;
}

/** The receipt of a committed sale or return, read back from the committed rows. */
export interface ReceiptView {
  documentId: string;
  kind: 'sale' | 'return';
  title: Localized;
  originalDocumentId: string | null;
  languages: Lang[];
  store: { name: string; address: string; bin: string | null };
  registerId: string;
  cashier: string;
  createdAt: string;
  shiftNumber: number;
  shiftDocumentNumber: number;
  printedDocumentNumber: number;
  lines: ReceiptLineView[];
  totals: { total: number; tax: number; taken: number; change: number };
  taxes: { type: 'VAT'; percentMilli: number; sum: number; label: Localized }[];
  payments: { type: 'cash' | 'card' | 'mobile'; amount: number; label: Localized }[];
  fiscal: {
    ticketNumber: string | null;
    qrUrl: string | null;
    offline: boolean;
    offlineMark: Localized | null;
    offlineTicketNumber: number | null;
    state: 'pending' | 'sending' | 'delivered' | 'blocked' | 'missing';
  };
  eReceipt: boolean;
}

/** What happened to the paper receipt. A printer failure never fails the sale. */
export interface PrintView {
  jobId: number | null;
  state: 'printed' | 'failed' | 'pending' | 'none';
  error: string | null;
  /** GET this (with the bearer header, or `?ticket=` of purpose receipt-png) for the rendered receipt (training: virtual printer). */
  pngUrl: string | null;
}

/** GET /api/receipts/:id */
export interface ReceiptResponse {
  receipt: ReceiptView;
  /** Training receipts say so on paper and on screen. */
  training: boolean;
  print: PrintView;
}

/** A committed sale or return whose receipt never came out of the printer (the process died before it, or the printer failed). */
export interface UnprintedReceiptView {
  documentId: string;
  kind: 'sale' | 'return';
  /** The number on the receipt. */
  printedDocumentNumber: number;
  shiftNumber: number;
  /** Minor units. */
  total: number;
  cashier: string;
  committedAt: string;
}

/** GET /api/receipts/unprinted: what the cashier's banner lists; POST /api/receipts/:id/print prints one. */
export interface UnprintedReceiptsResponse {
  unprinted: UnprintedReceiptView[];
}

/** POST /api/checkout/pay and POST /api/checkout/return (201) */
export interface CompleteResponse {
  saleId: string;
  kind: 'sale' | 'return';
  receipt: ReceiptView;
  training: boolean;
  print: PrintView;
  basket: BasketView;
}

/**
 * POST /api/checkout/override/requests: the cashier asks for the approval on the approvers' own
 * screens instead of a name and PIN typed at the till.
 */
export const overrideAskRequest = z.object({
  refusalId: z.string().min(1).max(100),
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(500),
});
export type OverrideAskRequest = z.infer<typeof overrideAskRequest>;

/** An override waiting for a manager or the administrator to approve it from their own session. */
export interface OverrideAskView {
  id: string;
  refusalId: string;
  reason: string;
  /** Who asked (the cashier's session user). */
  requestedBy: string;
  /** The refused code (CIS) and why it was refused, for the approver to judge. */
  cis: string | null;
  verdict: string;
  /** Why, in the register's primary language. */
  message: string;
  /** Why, in each UI language (the approver's screen shows its own). */
  messages: Record<Lang, string>;
  createdAt: string;
  /** After this the request can no longer be approved (ask again). */
  expiresAt: string;
}

/** POST /api/checkout/override/requests (201) and GET /api/checkout/override/requests */
export interface OverrideAskResponse {
  request: OverrideAskView;
}
export interface OverrideAsksResponse {
  requests: OverrideAskView[];
}

/** POST /api/checkout/override */
export interface OverrideResponse {
  line: BasketLineView;
  basket: BasketView;
}

/** Totals of one operation kind in a shift. */
export interface OperationTotalsView {
  count: number;
  sum: number;
  tax: number;
  /** Per payment type; cash is what stayed in the drawer (change deducted). */
  payments: Record<string, number>;
}

/** X / Z report. */
export interface ShiftReportView {
  shiftNumber: number;
  registerId: string;
  openedAt: string;
  closedAt: string | null;
  at: string;
  sale: OperationTotalsView;
  return: OperationTotalsView;
  net: number;
  lastPrintedDocumentNumber: number;
  /** The cash / card split and the drawer's cash. */
  cash: ShiftCashView;
}

/** The cash and card figures of a shift (minor units). */
export interface ShiftCashView {
  float: number;
  deposits: number;
  withdrawals: number;
  cashSales: number;
  cashRefunds: number;
  cardSales: number;
  cardRefunds: number;
  /** float + cash in − cash out + cash sales − cash refunds. */
  inDrawer: number;
}

/** POST /api/shifts/cash — cash in (`deposit`) or out (`withdrawal`) of the open shift's drawer. */
export const cashRequest = z.object({
  operation: z.enum(['deposit', 'withdrawal']),
  amount: z.number().int('amount: whole tiyn').min(1).max(10_000_000_000),
  reason: z.string().trim().max(200).optional(),
});
export type CashRequest = z.infer<typeof cashRequest>;

/** One cash movement (a fiscal document: COMMAND_MONEY_PLACEMENT). */
export interface CashMovementView {
  documentId: string;
  at: string;
  operation: 'deposit' | 'withdrawal';
  sum: number;
  float: boolean;
  cashier: string | null;
  reason: string | null;
  printedDocumentNumber: number;
}

/** POST /api/shifts/cash (201) */
export interface CashResponse {
  movement: CashMovementView;
  report: ShiftReportView;
  /** The printed slip (amount, cashier, time, shift, drawer after); `failed` with the error when the printer failed — the movement is recorded all the same. */
  print: PrintView;
}

/** GET /api/shifts/current */
export interface ShiftResponse {
  shift: ShiftView | null;
}

/** POST /api/shifts/close (Z) and GET /api/shifts/x (X) */
export interface ShiftReportResponse {
  report: ShiftReportView;
  /** The printed report (POST /api/shifts/x/print, POST /api/shifts/close). */
  print?: PrintView;
}

// ---- events ----

/** Verdict of one scan, pushed to every screen (and returned by POST /api/checkout/scan). */
export interface VerdictEvent {
  type: 'verdict';
  /** The code exactly as scanned (GS = U+001D). */
  code: string;
  cis: string | null;
  decision: Decision;
  reason: string;
  /** In the primary language. */
  message: string;
  messages: Record<Lang, string>;
  /** How it was checked: online registry answer, the local cache, or nothing. */
  source: 'online' | 'cache' | 'none';
  /** Which source decided: a marking-system provider ('xtrace', 'true-api', 'local-module', 'tanba-feed'), 'cache' or 'none'. */
  decidedBy?: string;
  overridable: boolean;
  offline: boolean;
  /** The basket line added (allow / warn), else null. */
  lineId: string | null;
  /** The refusal to override (refuse), else null. */
  refusalId: string | null;
  /** Where the scan came from: a device id, 'wedge', 'manual', 'camera' or 'test-scan'. */
  scanSource: string;
  /** Product name when known. */
  name: string | null;
  at: string;
  /** Another lane of the store holds the code (ALREADY_IN_BASKET / SOLD there): its register id. */
  lane?: string;
}

/** The basket changed (scan, remove, cancel, override, sale). */
export interface BasketEvent {
  type: 'basket';
  basket: BasketView;
}

/** A sale or return committed. */
export interface SaleEvent {
  type: 'sale';
  saleId: string;
  kind: 'sale' | 'return';
  receipt: ReceiptView;
  training: boolean;
  print: PrintView;
}

/** A print job finished (or failed) after the sale event. */
export interface PrintEvent {
  type: 'print';
  documentId: string | null;
  print: PrintView;
}

/** GET /api/checkout/returns/sales — `q`: a scanned item, receipt number, ticket number (fiscal sign) or sale id; without `q`, the sales since `since` (default: the last 24 hours). */
export const returnSalesQuery = z.object({
  q: z.string().trim().max(4096).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
});
export type ReturnSalesQuery = z.infer<typeof returnSalesQuery>;

/** One line of a sale a customer brings back. */
export interface ReturnableLineView {
  id: string;
  name: string;
  /** The name in Kazakh, when the catalogue or the price list had one. */
  nameKk?: string | null;
  /** Marking code as scanned, null for unmarked goods. */
  code: string | null;
  cis: string | null;
  gtin: string | null;
  quantityMilli: number;
  sum: number;
  /** Already returned (each line is returnable once). */
  returned: boolean;
}

/** A sale as the return dialog shows it. */
export interface ReturnableSaleView {
  id: string;
  createdAt: string;
  printedDocumentNumber: number;
  shiftNumber: number;
  cashier: string;
  total: number;
  payments: { type: 'cash' | 'card' | 'mobile'; amount: number }[];
  /** The OFD's ticket number (fiscal sign), once delivered. */
  ticketNumber: string | null;
  lines: ReturnableLineView[];
}

/** GET /api/checkout/returns/sales */
export interface ReturnSalesResponse {
  sales: ReturnableSaleView[];
  /** The store requires a manager's approval (name + PIN) for every return. */
  approvalRequired: boolean;
}
