/**
 * The checkout service: one in-memory basket per register, driven alike by the UI and the CLI.
 *
 * scan -> parse -> check (cache / online, rules) -> basket line or refusal. A refused code never
 * becomes a line (so it can never reach payment) unless a manager overrides a verdict the rules
 * mark as overridable.
 *
 * completeSale writes, in ONE IMMEDIATE SQLite transaction: the sale, its lines (code as scanned,
 * CIS, verdict, how and when it was checked), the sold-code entries, the outbox entry and the
 * journal entry. It returns only after COMMIT; printing is a separate step that takes the
 * committed sale id (getReceipt). If anything inside fails — including another lane selling
 * the same code a moment earlier (sold_codes PRIMARY KEY) — nothing of the sale is written and
 * the basket stays as it was.
 *
 * Documents are never cancelled: corrections are returns against the original sale.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import * as z from 'zod';
import { parseCode, visibleGs, type ParseOptions, type ParseResult } from '../marking/index.ts';
import type { Verdict } from '../rules/index.ts';
import {
  aggregateContents as cacheAggregateContents, answerContext, getProduct, recordSold, releaseSold, SoldTwiceError, type CheckResult, type CodeChecker,
  type OnlineFacts,
} from '../cache/index.ts';
import { OfdSalesStoppedError, assertCanSell, resolveOfflineLimitHours } from '../registry/index.ts';
import {
  appendJournal, attachOverride, blockedOutbox, closeShiftRow, enqueueOutbox, getOfdState, getOpenShift, getSale, getSaleLines,
  insertContact, insertOverride, insertSale, insertSaleLine, insertShift, listOfdStates, nextCounter, nextShiftDocumentNumber, outboxHead,
  purgeContacts, returnedLineIds, shiftTotals, type Db, type OfdState, type OperationTotals, type PurgeResult, type SaleLineRow, type SaleRow,
  type ShiftRow, type UserRole,
} from '../store/index.ts';
import { ticketPayload } from './fiscal.ts';
import { includedTax, lineSum } from './money.ts';
import { buildReceipt, type ReceiptModel } from './receipt.ts';
import {
  CheckoutError, type BasketLine, type CheckoutConfig, type CheckRecord, type Payment, type Refusal, type ScanResult, type VatRate,
} from './types.ts';

/** Kazakhstan VAT: 12 % until the end of 2025, 16 % from 2026-01-01 (Tax Code of 2025). */
export const KZ_VAT_RATES: readonly VatRate[] = [
  { from: '2009-01-01', percentMilli: 12_000 },
  { from: '2026-01-01', percentMilli: 16_000 },
];

/** The parts of a check result a line keeps. */
type CheckLike = Pick<CheckResult, 'verdict' | 'facts' | 'product' | 'checkedAt' | 'requestId'> & Partial<Pick<CheckResult, 'provider' | 'requestTime'>>;

/** What the service needs. */
export interface CheckoutDeps {
  db: Db;
  checker: CodeChecker;
  /** Current time; TANBA_NOW in the CLI. */
  clock: Clock;
  config: CheckoutConfig;
  /**
   * Contents of a group pack (aggregate) code: the children's codes (each scanned as if it were the
   * unit's own code), or null when unknown. Default: the cache's `aggregate` feed records.
   */
  aggregateContents?: (db: Db, code: string) => string[] | null;
  /**
   * Whether the law lets this register sell (see {@link CheckoutError} OFFLINE_LIMIT /
   * REGISTER_BLOCKED). Always enforced; these only choose the OFD device whose state counts
   * (default: every device in the database) and lower the offline limit (default and maximum 72 h).
   */
  fiscal?: { deviceId?: number; offlineLimitHours?: number };
  /**
   * How scanned text is read: the configured extra GS stand-ins (`marking.extraSeparators`) and
   * the message language, the same as `tanba parse` / `tanba check` use.
   */
  parseOptions?: ParseOptions;
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
}

/** Z or X report figures. */
export interface ShiftReport {
  shiftNumber: number;
  registerId: string;
  openedAt: string;
  closedAt: string | null;
  at: string;
  sale: OperationTotals;
  return: OperationTotals;
  /** Sales minus returns. */
  net: number;
  lastPrintedDocumentNumber: number;
}

/** A committed sale or return. */
export interface CommittedDocument {
  sale: SaleRow;
  lines: SaleLineRow[];
  receipt: ReceiptModel;
}

/** Who approves an override: a manager or the administrator, already authenticated. */
export interface Approver {
  name: string;
  role: UserRole;
}

/** The checkout of one register. */
export interface Checkout {
  openShift(cashier: string): ShiftRow;
  closeShift(): ShiftReport;
  xReport(): ShiftReport;
  currentShift(): ShiftRow | undefined;
  scan(raw: string, options?: ScanOptions): ScanResult;
  setPrice(lineId: string, price: number): BasketLine;
  removeLine(lineId: string): void;
  cancelBasket(): void;
  basket(): { lines: BasketLine[]; refusals: Refusal[]; total: number };
  /**
   * Sells a refused scan on an approval. The approver was authenticated by the caller (the
   * API checks name + PIN with lockouts); here only their role is checked again.
   */
  override(refusalId: string, approval: { approver: Approver; reason: string }): BasketLine;
  completeSale(input: { payments: Payment[]; contact?: { phone?: string; email?: string; consent: boolean } }): CommittedDocument;
  returnLines(saleId: string, items: readonly string[], options?: { payments?: Payment[] }): CommittedDocument;
  getReceipt(documentId: string): ReceiptModel | undefined;
  purgeContacts(): PurgeResult;
}

const paymentsSchema = z.array(z.object({ type: z.enum(['cash', 'card']), amount: z.number().int().nonnegative() })).min(1);
const contactSchema = z.object({
  phone: z.string().regex(/^\+?\d{10,15}$/, 'phone must be 10 to 15 digits').optional(),
  email: z.string().email().optional(),
  consent: z.literal(true, { message: 'a contact is stored only with the customer\'s consent' }),
}).refine((c) => c.phone !== undefined || c.email !== undefined, { message: 'give a phone or an e-mail' });

/** The VAT rate in force on a date (thousandths of a percent). */
export function vatRateOn(rates: readonly VatRate[], date: string): number {
  let rate = 0;
  for (const r of [...rates].sort((a, b) => a.from.localeCompare(b.from))) if (r.from <= date) rate = r.percentMilli;
  return rate;
}

/** Creates the checkout service for one register. */
export function createCheckout(deps: CheckoutDeps): Checkout {
  const { db, checker, config } = deps;
  const aggregateContents = deps.aggregateContents ?? cacheAggregateContents;
  const parse = (raw: string): ParseResult => (deps.parseOptions ? parseCode(raw, deps.parseOptions) : parseCode(raw));
  const now = (): string => deps.clock.now().toISOString();
  const lines: BasketLine[] = [];
  const refusals: Refusal[] = [];
  let basketCashier: string | null = null;

  function requireShift(): ShiftRow {
    const shift = getOpenShift(db, config.registerId);
    if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open: open a shift first');
    const maxHours = config.shiftMaxHours ?? 24;
    if (Date.parse(now()) - Date.parse(shift.openedAt) > maxHours * 3_600_000) {
      throw new CheckoutError('SHIFT_EXPIRED', `shift ${shift.number} has been open more than ${maxHours} hours: close it (Z report) and open a new one`);
    }
    return shift;
  }

  const offlineLimitHours = resolveOfflineLimitHours(deps.fiscal?.offlineLimitHours);

  /**
   * Refuses a fiscal document (sale or return) the law does not allow now (protocol 2.0.2 5.2-5.4,
   * the 72-hour rule): the OFD client is blocked (a result that needs a person, or a server
   * block 15), a queued document is blocked, or nothing has been delivered for longer than the
   * offline limit — counted from the earlier of the first failed attempt and the oldest
   * undelivered record. Reads only the database, so it holds across processes. Nothing recorded
   * is touched: the basket stays as it is and the sale can be completed once selling is allowed.
   */
  function assertSalesAllowed(): void {
    const at = deps.clock.now();
    const states: OfdState[] = deps.fiscal?.deviceId !== undefined
      ? [getOfdState(db, deps.fiscal.deviceId)].filter((s): s is OfdState => s !== undefined)
      : listOfdStates(db);
    const oldestUndeliveredAt = outboxHead(db)?.createdAt ?? null;
    try {
      for (const s of states) {
        assertCanSell(s, at, { limitHours: offlineLimitHours, oldestUndeliveredAt });
      }
      // No OFD state yet: the queue's age still counts.
      if (states.length === 0) assertCanSell({ offlineSince: null, blocked: null }, at, { limitHours: offlineLimitHours, oldestUndeliveredAt });
    } catch (err) {
      if (!(err instanceof OfdSalesStoppedError)) throw err;
      if (err.reason === 'blocked') {
        const info = states.find((s) => s.blocked)?.infoMessage;
        throw new CheckoutError('REGISTER_BLOCKED', `${err.message}${info ? ` OFD message: ${info}` : ''}`);
      }
      throw new CheckoutError('OFFLINE_LIMIT', err.message);
    }
    const stuck = blockedOutbox(db)[0];
    if (stuck) {
      throw new CheckoutError('REGISTER_BLOCKED', `Sales stopped: fiscal document ${stuck.kind} ${stuck.documentId} (queue position ${stuck.seq}) was refused by the fiscal data operator and waits for the manager: ${stuck.lastError ?? 'blocked'}`);
    }
  }

  function checkRecord(result: CheckLike, source: Verdict['source']): CheckRecord {
    return { source, requestId: result.requestId ?? null, checkedAt: result.checkedAt, provider: result.provider ?? null, requestTime: result.requestTime ?? null };
  }

  function computeSum(line: BasketLine): void {
    line.sum = line.price === null ? null : lineSum(line.price, line.quantityMilli);
  }

  function refusalOf(raw: string, parsed: ParseResult, result: CheckLike): Refusal {
    const r: Refusal = { id: randomUUID(), code: raw, cis: parsed.ok ? parsed.cis : null, verdict: result.verdict, check: checkRecord(result, result.verdict.source) };
    refusals.push(r);
    return r;
  }

  function lineFrom(raw: string, parsed: Extract<ParseResult, { ok: true }>, result: CheckLike, options: ScanOptions, fromAggregate: string | null): BasketLine {
    const product = result.product;
    let quantityMilli = 1000;
    let units: number | null = null;
    const partial = result.facts?.units ?? (product?.partial != null && product.partial > 1 ? { sold: 0, total: product.partial } : null);
    if (parsed.cis === null) {
      // Unmarked goods: any positive quantity, kept in thousandths as the fiscal protocol.
      if (options.quantity !== undefined) quantityMilli = toMilli(options.quantity);
    } else if (parsed.netWeightGrams !== null) {
      // Weighted marked goods: the weight in the code (AI 310n) is the quantity in kg; price per kg.
      quantityMilli = parsed.netWeightGrams;
      if (quantityMilli <= 0) throw new CheckoutError('BAD_QUANTITY', `code ${codeForMessage(raw)}: net weight must be above zero`);
    } else if (partial) {
      const want = options.quantity ?? 1;
      const left = partial.total - partial.sold;
      if (!Number.isInteger(want) || want < 1 || want > left) {
        throw new CheckoutError('BAD_QUANTITY', `code ${codeForMessage(raw)}: ${left} of ${partial.total} units left in this package, cannot sell ${want}`);
      }
      units = want;
      quantityMilli = want * 1000;
    } else if (options.quantity !== undefined && options.quantity !== 1) {
      throw new CheckoutError('BAD_QUANTITY', `code ${codeForMessage(raw)}: one marked unit per code — scan each unit's own code`);
    }
    const line: BasketLine = {
      id: randomUUID(),
      code: raw,
      cis: parsed.cis,
      gtin: parsed.gtin,
      kind: parsed.kind,
      name: product?.name ?? (parsed.gtin ? `GTIN ${parsed.gtin}` : 'item'),
      group: product?.group ?? parsed.productGroup,
      unit: product?.unit ?? (parsed.netWeightGrams !== null ? 'kg' : null),
      ai: product?.ai ?? false,
      price: options.price ?? product?.price ?? null,
      quantityMilli,
      units,
      sum: null,
      verdict: result.verdict,
      check: checkRecord(result, result.verdict.source),
      override: null,
      fromAggregate,
    };
    computeSum(line);
    return line;
  }

  function inBasket(cis: string | null): boolean {
    return cis !== null && lines.some((l) => l.cis === cis);
  }

  function scanOne(raw: string, options: ScanOptions, fromAggregate: string | null): ScanResult {
    const parsed = parse(raw);
    const price = options.price ?? null;
    if (parsed.ok && parsed.cis === null && parsed.kind !== 'ean') {
      // A group pack (SSCC / aggregate): sell its contents when the cache knows them.
      const contents = aggregateContents(db, raw);
      if (contents === null || contents.length === 0) {
        const result = checker.check(parsed, { operation: 'sale', price, inBasket: false });
        return { ok: false, refusal: refusalOf(raw, parsed, { ...result, verdict: { ...result.verdict, decision: 'refuse' } }) };
      }
      const added: BasketLine[] = [];
      for (const child of contents) {
        const r = scanOne(child, { price: options.price, online: options.online ?? null }, raw);
        if (!r.ok) {
          // All or nothing: a group pack with one refused unit is not put in the basket at all.
          for (const l of added) lines.splice(lines.indexOf(l), 1);
          return r;
        }
        added.push(...r.lines);
      }
      return { ok: true, lines: added };
    }
    if (parsed.ok && parsed.kind === 'ean') return scanUnmarked(raw, parsed, options);
    const cis = parsed.ok ? parsed.cis : null;
    const result = checker.check(parsed, { operation: 'sale', price, inBasket: inBasket(cis), ...answerContext(options.online, cis) });
    if (!parsed.ok || result.verdict.decision === 'refuse') return { ok: false, refusal: refusalOf(raw, parsed, result) };
    const line = lineFrom(raw, parsed, result, options, fromAggregate);
    lines.push(line);
    return { ok: true, lines: [line] };
  }

  /**
   * A plain retail barcode. Unmarked goods need no status check; but a product the catalogue
   * lists as marked must be sold by its marking code (the law requires scanning it), so its EAN
   * is refused — not overridable.
   */
  function scanUnmarked(raw: string, parsed: Extract<ParseResult, { ok: true }>, options: ScanOptions): ScanResult {
    const product = parsed.gtin ? getProduct(db, parsed.gtin) : null;
    const at = now();
    if (product !== null) {
      const verdict = localVerdict('refuse', 'INVALID_CODE', 'ean-of-marked', {
        ru: `${product.name}: товар маркируется — сканируйте код маркировки (DataMatrix), а не штрихкод`,
        kk: `${product.name}: тауар таңбаланады — штрихкодты емес, таңбалау кодын (DataMatrix) сканерлеңіз`,
        en: `${product.name}: marked goods — scan the marking code (DataMatrix), not the barcode`,
      });
      const r: Refusal = { id: randomUUID(), code: raw, cis: null, verdict, check: { source: 'none', requestId: null, checkedAt: at } };
      refusals.push(r);
      return { ok: false, refusal: r };
    }
    const verdict = localVerdict('allow', 'OK', 'unmarked', { ru: 'Немаркированный товар', kk: 'Таңбаланбаған тауар', en: 'Unmarked goods' });
    const same = lines.find((l) => l.cis === null && l.gtin === parsed.gtin && l.fromAggregate === null && (options.price === undefined || l.price === options.price));
    if (same) {
      same.quantityMilli += options.quantity !== undefined ? toMilli(options.quantity) : 1000;
      computeSum(same);
      return { ok: true, lines: [same] };
    }
    const line = lineFrom(raw, parsed, { verdict, facts: null, product: null, checkedAt: at, requestId: null }, options, null);
    lines.push(line);
    return { ok: true, lines: [line] };
  }

  function localVerdict(decision: Verdict['decision'], reason: Verdict['reason'], rule: string, messages: Verdict['messages']): Verdict {
    const lang = config.languages[0] ?? 'ru';
    return { decision, reason, message: messages[lang], messages, source: 'none', overridable: false, offline: false, rule };
  }

  function journal(kind: string, ref: string | null, payload: unknown): void {
    appendJournal(db, { at: now(), kind, ref, payload });
  }

  function report(shift: ShiftRow, at: string, closedAt: string | null): ShiftReport {
    const totals = shiftTotals(db, shift.number);
    return {
      shiftNumber: shift.number, registerId: shift.registerId, openedAt: shift.openedAt, closedAt, at,
      sale: totals.sale, return: totals.return, net: totals.sale.sum - totals.return.sum,
      lastPrintedDocumentNumber: (db.prepare("SELECT value FROM counters WHERE name = 'printed_document_number'").pluck().get() as number | undefined) ?? 0,
    };
  }

  function commitDocument(kind: 'sale' | 'return', input: {
    originalSaleId: string | null; cashier: string; payments: Payment[]; lines: (Omit<SaleLineRow, 'saleId' | 'position'> & { soldUnits: number | null })[];
    contact?: { phone?: string; email?: string };
  }): CommittedDocument {
    const saleId = randomUUID();
    const at = now();
    const run = db.transaction(() => {
      // Inside the IMMEDIATE transaction: no other process can block or unblock in between.
      assertSalesAllowed();
      const shift = requireShift();
      const total = input.lines.reduce((s, l) => s + l.sum, 0);
      const taxTotal = input.lines.reduce((s, l) => s + l.taxSum, 0);
      const paid = input.payments.reduce((s, p) => s + p.amount, 0);
      const sale: SaleRow = {
        id: saleId, kind, originalSaleId: input.originalSaleId, shiftNumber: shift.number,
        shiftDocumentNumber: nextShiftDocumentNumber(db, shift.number),
        printedDocumentNumber: nextCounter(db, 'printed_document_number'),
        registerId: config.registerId, cashier: input.cashier, createdAt: at, total, taxTotal,
        payments: input.payments, taken: paid, change: paid - total,
      };
      insertSale(db, sale);
      const rows: SaleLineRow[] = input.lines.map(({ soldUnits: _units, ...l }, i) => ({ ...l, saleId, position: i + 1 }));
      input.lines.forEach((l, i) => {
        const row = rows[i] as SaleLineRow;
        insertSaleLine(db, row);
        if (l.cis !== null) {
          if (kind === 'sale') recordSold(db, { cis: l.cis, saleId, soldAt: at, ...(l.soldUnits !== null ? { units: l.soldUnits } : {}) });
          else releaseSold(db, l.cis, l.soldUnits ?? undefined);
        }
        if (l.overrideId !== null) attachOverride(db, l.overrideId, saleId);
      });
      let contactId: string | null = null;
      if (input.contact) {
        contactId = randomUUID();
        const maxDays = config.contactMaxPendingDays ?? 33;
        insertContact(db, {
          id: contactId, saleId, phone: input.contact.phone ?? null, email: input.contact.email ?? null, purpose: 'e-receipt',
          consentAt: at, expiresAt: null,
        });
        // Upper bound even if the e-receipt is never delivered; delivery shortens it (markDelivered).
        db.prepare('UPDATE contacts SET expires_at = ? WHERE id = ?').run(new Date(Date.parse(at) + maxDays * 86_400_000).toISOString(), contactId);
      }
      // Offline ticket number: unique within the day; the protocol suggests the low 32 bits of
      // unix time, kept strictly rising so two documents in one second still differ.
      const offlineTicketNumber = nextCounter(db, 'offline_ticket_number', Math.floor(Date.parse(at) / 1000) >>> 0);
      enqueueOutbox(db, {
        kind: kind === 'sale' ? 'sell' : 'sell_return', documentId: saleId, createdAt: at,
        payload: ticketPayload(sale, rows, { operatorCode: config.operatorCode ?? 1, offlineTicketNumber, contactId }),
      });
      journal(kind, saleId, {
        shift: sale.shiftNumber, doc: sale.shiftDocumentNumber, printed: sale.printedDocumentNumber, total, tax: taxTotal,
        payments: sale.payments, original: input.originalSaleId,
        lines: rows.map((r) => ({ cis: r.cis, gtin: r.gtin, q: r.quantityMilli, units: r.units, price: r.price, sum: r.sum, decision: r.decision, override: r.overrideId })),
      });
      return { sale, rows };
    });
    let committed: { sale: SaleRow; rows: SaleLineRow[] };
    try {
      committed = run.immediate();
    } catch (err) {
      if (err instanceof SoldTwiceError) {
        throw new CheckoutError('SOLD_TWICE', `${err.message} — remove that line; nothing was recorded`);
      }
      throw err;
    }
    // COMMIT has returned: only now may anything print or leave the machine.
    const receipt = buildReceipt(db, saleId, config, at) as ReceiptModel;
    return { sale: committed.sale, lines: committed.rows, receipt };
  }

  function autoPurge(): PurgeResult {
    return purgeContacts(db, now());
  }

  return {
    currentShift: () => getOpenShift(db, config.registerId),

    openShift(cashier) {
      if (!cashier.trim()) throw new CheckoutError('BAD_INPUT', 'cashier name is empty');
      const shift = db.transaction(() => {
        if (getOpenShift(db, config.registerId)) throw new CheckoutError('SHIFT_OPEN', 'a shift is already open: close it first');
        const s = insertShift(db, { id: randomUUID(), registerId: config.registerId, cashier, openedAt: now() });
        journal('shift_open', s.id, { shift: s.number, cashier, register: config.registerId });
        return s;
      }).immediate();
      basketCashier = cashier;
      autoPurge();
      return shift;
    },

    closeShift() {
      if (lines.length > 0) throw new CheckoutError('BAD_INPUT', 'the basket is not empty: complete or cancel it before closing the shift');
      const at = now();
      const z = db.transaction(() => {
        const shift = getOpenShift(db, config.registerId);
        if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open');
        const rep = report(shift, at, at);
        closeShiftRow(db, shift.number, { closedAt: at, zReport: rep });
        const printed = nextCounter(db, 'printed_document_number');
        enqueueOutbox(db, {
          kind: 'close_shift', documentId: shift.id, createdAt: at,
          payload: { operation: 'close_shift', documentId: shift.id, registerId: config.registerId, closeTime: at, shiftNumber: shift.number, printedDocumentNumber: printed, report: rep },
        });
        journal('shift_close', shift.id, { shift: shift.number, net: rep.net, sales: rep.sale.count, returns: rep.return.count, printed });
        return { ...rep, lastPrintedDocumentNumber: printed };
      }).immediate();
      autoPurge();
      return z;
    },

    xReport() {
      const shift = getOpenShift(db, config.registerId);
      if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open');
      const at = now();
      // An X report changes nothing; it is journaled (who looked when) but not queued for the operator.
      const rep = report(shift, at, null);
      db.transaction(() => journal('x_report', shift.id, { shift: shift.number, net: rep.net })).immediate();
      return rep;
    },

    scan(raw, options = {}) {
      if (typeof raw !== 'string' || raw.length === 0) throw new CheckoutError('BAD_INPUT', 'empty scan');
      if (options.price !== undefined && !(Number.isSafeInteger(options.price) && options.price >= 0)) {
        throw new CheckoutError('BAD_INPUT', `price must be whole minor units (tiyn) ≥ 0, got ${options.price}`);
      }
      if (options.quantity !== undefined && !(Number.isFinite(options.quantity) && options.quantity > 0)) {
        throw new CheckoutError('BAD_QUANTITY', `quantity must be above zero, got ${options.quantity}`);
      }
      // Early and clear: no point filling a basket that cannot be sold.
      assertSalesAllowed();
      return scanOne(raw, options, null);
    },

    setPrice(lineId, price) {
      const line = lines.find((l) => l.id === lineId);
      if (!line) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
      if (!Number.isSafeInteger(price) || price < 0) throw new CheckoutError('BAD_INPUT', `price must be whole minor units ≥ 0, got ${price}`);
      if (line.cis !== null && line.override === null) {
        // The price can change the verdict (max retail / minimum price): decide again.
        const parsed = parse(line.code);
        const result = checker.check(parsed, { operation: 'sale', price, inBasket: false });
        if (result.verdict.decision === 'refuse') throw new CheckoutError('BAD_INPUT', `price ${price} refused for this code: ${result.verdict.message}`);
        line.verdict = result.verdict;
        line.check = checkRecord(result, result.verdict.source);
      }
      line.price = price;
      computeSum(line);
      return line;
    },

    removeLine(lineId) {
      const i = lines.findIndex((l) => l.id === lineId);
      if (i < 0) {
        const j = refusals.findIndex((r) => r.id === lineId);
        if (j < 0) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
        refusals.splice(j, 1);
        return;
      }
      const agg = (lines[i] as BasketLine).fromAggregate;
      if (agg !== null) {
        // A group pack leaves the basket as a whole.
        for (let k = lines.length - 1; k >= 0; k--) if ((lines[k] as BasketLine).fromAggregate === agg) lines.splice(k, 1);
      } else lines.splice(i, 1);
    },

    cancelBasket() {
      lines.length = 0;
      refusals.length = 0;
    },

    basket() {
      return { lines: lines.map((l) => ({ ...l })), refusals: [...refusals], total: lines.reduce((s, l) => s + (l.sum ?? 0), 0) };
    },

    override(refusalId, approval) {
      const i = refusals.findIndex((r) => r.id === refusalId);
      const refusal = refusals[i];
      if (!refusal) throw new CheckoutError('NOT_FOUND', `no refused scan ${refusalId} in the basket`);
      if (!refusal.verdict.overridable) {
        throw new CheckoutError('NOT_OVERRIDABLE', `${refusal.verdict.reason}: ${refusal.verdict.messages.en} — the law does not allow overriding this`);
      }
      const reason = (approval.reason ?? '').trim();
      if (reason.length < 3) throw new CheckoutError('BAD_INPUT', 'an override needs a reason (at least 3 characters)');
      // A manager or the administrator; never a cashier, so a cashier cannot approve their own sale.
      const manager = approval.approver;
      if (manager.role !== 'manager' && manager.role !== 'admin') throw new CheckoutError('BAD_PIN', 'only a manager or the administrator may approve an override');
      const parsed = parse(refusal.code);
      if (!parsed.ok) throw new CheckoutError('NOT_OVERRIDABLE', 'an unreadable code cannot be overridden');
      if (inBasket(parsed.cis)) throw new CheckoutError('NOT_OVERRIDABLE', 'this code is already in the basket');
      const result = checker.check(parsed, { operation: 'sale', price: null, inBasket: false });
      const line = lineFrom(refusal.code, parsed, { ...result, verdict: refusal.verdict }, {}, null);
      const id = randomUUID();
      const at = now();
      // Recorded at once, even if the basket is later cancelled: managers see every override.
      db.transaction(() => {
        insertOverride(db, {
          id, at, manager: manager.name, cashier: basketCashier ?? getOpenShift(db, config.registerId)?.cashier ?? '',
          code: refusal.code, cis: parsed.cis, rule: refusal.verdict.rule, reasonCode: refusal.verdict.reason, reason, saleId: null,
        });
        journal('override', id, { manager: manager.name, cis: parsed.cis, rule: refusal.verdict.rule, reasonCode: refusal.verdict.reason, reason });
      }).immediate();
      line.override = { id, manager: manager.name, reason };
      refusals.splice(i, 1);
      lines.push(line);
      return line;
    },

    completeSale(input) {
      if (lines.length === 0) throw new CheckoutError('EMPTY_BASKET', 'the basket is empty');
      const shift = requireShift();
      const noPrice = lines.find((l) => l.price === null);
      if (noPrice) throw new CheckoutError('NO_PRICE', `no price for ${codeForMessage(noPrice.code)} (${noPrice.name}): give one with a price override`);
      for (const l of lines) {
        // Defence in depth: a refusal can only be a line through an override.
        if (l.verdict.decision === 'refuse' && l.override === null) throw new CheckoutError('BAD_INPUT', `code ${codeForMessage(l.code)} was refused: ${l.verdict.message}`);
      }
      const parsedPayments = paymentsSchema.safeParse(input.payments);
      if (!parsedPayments.success) throw new CheckoutError('BAD_PAYMENT', `payments: ${parsedPayments.error.issues[0]?.message ?? 'invalid'}`);
      const payments = parsedPayments.data;
      let contact: { phone?: string; email?: string } | undefined;
      if (input.contact !== undefined) {
        const c = contactSchema.safeParse(input.contact);
        if (!c.success) throw new CheckoutError('NO_CONSENT', `e-receipt contact: ${c.error.issues[0]?.message ?? 'invalid'}`);
        contact = { ...(c.data.phone ? { phone: c.data.phone } : {}), ...(c.data.email ? { email: c.data.email } : {}) };
      }
      const total = lines.reduce((s, l) => s + (l.sum as number), 0);
      checkPayments(payments, total);
      const date = now().slice(0, 10);
      const rate = config.vatPayer === false ? 0 : vatRateOn(config.vatRates ?? KZ_VAT_RATES, date);
      const doc = commitDocument('sale', {
        originalSaleId: null, cashier: basketCashier ?? shift.cashier, payments, contact,
        lines: lines.map((l) => ({
          id: randomUUID(), code: l.code, cis: l.cis, gtin: l.gtin, name: l.name, productGroup: l.group, sectionCode: config.sectionCode ?? '1',
          unit: l.unit, quantityMilli: l.quantityMilli, units: l.units, price: l.price as number, sum: l.sum as number,
          taxPercentMilli: rate, taxSum: includedTax(l.sum as number, rate), ai: l.ai, decision: l.verdict.decision, verdict: l.verdict,
          checkSource: l.check.source, requestId: l.check.requestId, checkedAt: l.check.checkedAt, checkProvider: l.check.provider ?? null,
          requestTime: l.check.requestTime ?? null, overrideId: l.override?.id ?? null,
          originalLineId: null, soldUnits: l.units,
        })),
      });
      lines.length = 0;
      refusals.length = 0;
      return doc;
    },

    returnLines(saleId, items, options = {}) {
      const original = getSale(db, saleId);
      if (!original) throw new CheckoutError('NOT_FOUND', `no sale ${saleId}`);
      if (original.kind !== 'sale') throw new CheckoutError('BAD_INPUT', `${saleId} is a return, not a sale`);
      if (items.length === 0) throw new CheckoutError('BAD_INPUT', 'name the codes or line ids to return');
      const shift = requireShift();
      const all = getSaleLines(db, saleId);
      const returned = returnedLineIds(db, saleId);
      const chosen: SaleLineRow[] = [];
      const verdicts = new Map<string, { verdict: Verdict; check: CheckRecord }>();
      // A group pack is sold as its units: naming the pack's code returns the units it holds.
      const wanted = items.flatMap((item) => (all.some((l) => l.id === item || l.code === item) ? [item] : aggregateContents(db, item) ?? [item]));
      for (const item of wanted) {
        let line = all.find((l) => l.id === item);
        let parsed: ParseResult | null = null;
        if (!line) {
          parsed = parse(item);
          const cis = parsed.ok ? parsed.cis : null;
          line = all.find((l) => l.code === item || (cis !== null && l.cis === cis));
        }
        if (!line) throw new CheckoutError('NOT_IN_SALE', `${codeForMessage(item)} is not a line of sale ${saleId}`);
        if (returned.has(line.id) || chosen.includes(line)) throw new CheckoutError('ALREADY_RETURNED', `${codeForMessage(line.code ?? line.name)} of sale ${saleId} has already been returned`);
        if (line.cis !== null) {
          const result = checker.check(parsed ?? parse(line.code ?? ''), { operation: 'return', price: line.price, inBasket: false });
          if (result.verdict.decision === 'refuse') throw new CheckoutError('RETURN_REFUSED', `${codeForMessage(line.code ?? '')}: ${result.verdict.message}`);
          verdicts.set(line.id, { verdict: result.verdict, check: checkRecord(result, result.verdict.source) });
        }
        chosen.push(line);
      }
      const total = chosen.reduce((s, l) => s + l.sum, 0);
      // Refund the way the customer paid when it was all by card, else in cash.
      const byCard = original.payments.every((p) => p.type === 'card');
      const payments = options.payments ?? [{ type: byCard ? 'card' : 'cash', amount: total }];
      const parsedPayments = paymentsSchema.safeParse(payments);
      if (!parsedPayments.success) throw new CheckoutError('BAD_PAYMENT', `payments: ${parsedPayments.error.issues[0]?.message ?? 'invalid'}`);
      if (parsedPayments.data.reduce((s, p) => s + p.amount, 0) !== total) throw new CheckoutError('BAD_PAYMENT', `a refund must equal the returned total ${total}`);
      return commitDocument('return', {
        originalSaleId: saleId, cashier: basketCashier ?? shift.cashier, payments: parsedPayments.data,
        lines: chosen.map((l) => {
          const v = verdicts.get(l.id);
          return {
            ...l, id: randomUUID(), originalLineId: l.id, overrideId: null,
            decision: v?.verdict.decision ?? 'allow', verdict: v?.verdict ?? { decision: 'allow', reason: 'RETURN_OK', source: 'none' },
            checkSource: v?.check.source ?? 'none', requestId: v?.check.requestId ?? null, checkedAt: v?.check.checkedAt ?? now(),
            checkProvider: v?.check.provider ?? null, requestTime: v?.check.requestTime ?? null,
            soldUnits: l.units,
          };
        }),
      });
    },

    getReceipt(documentId) {
      return buildReceipt(db, documentId, config, now());
    },

    purgeContacts: autoPurge,
  };
}

function checkPayments(payments: readonly Payment[], total: number): void {
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  const card = payments.filter((p) => p.type === 'card').reduce((s, p) => s + p.amount, 0);
  if (paid < total) throw new CheckoutError('BAD_PAYMENT', `paid ${paid} is less than the total ${total}`);
  // Change can only be given from cash: card payments may not exceed the total.
  if (card > total) throw new CheckoutError('BAD_PAYMENT', `card payments ${card} exceed the total ${total}`);
  if (paid - total > payments.filter((p) => p.type === 'cash').reduce((s, p) => s + p.amount, 0)) {
    throw new CheckoutError('BAD_PAYMENT', 'change exceeds the cash given');
  }
}

function toMilli(quantity: number): number {
  const milli = Math.round(quantity * 1000);
  if (milli <= 0 || !Number.isSafeInteger(milli)) throw new CheckoutError('BAD_QUANTITY', `quantity ${quantity} is not a positive amount`);
  return milli;
}

/** A code for messages: GS shown as <GS> (visibleGs), long codes shortened. */
export function codeForMessage(code: string): string {
  const s = visibleGs(code);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
