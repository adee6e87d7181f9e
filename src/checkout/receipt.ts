/**
 * The receipt model: everything the printed receipt and the fiscal ticket need, read from the
 * committed rows (never from the basket), so a receipt can only show what is on disk. Printing
 * takes a committed sale id; the printer driver maps this model to its own document type.
 */
import { getContactForSale, getOutboxByDocument, getSale, getSaleLines, overridesOfSale, receiptPrintedOffline, type Db } from '../store/index.ts';
import type { CheckoutConfig } from './types.ts';

type Lang = 'ru' | 'kk' | 'en';

/** Fixed receipt captions per language. */
export const RECEIPT_TEXT: Record<string, Record<Lang, string>> = {
  ai: { ru: 'Произведено с использованием ИИ', kk: 'ЖИ көмегімен өндірілген', en: 'Produced with AI' },
  offline: { ru: 'Автономный режим', kk: 'Автономды режим', en: 'Offline mode' },
  sale: { ru: 'Продажа', kk: 'Сату', en: 'Sale' },
  return: { ru: 'Возврат продажи', kk: 'Сатуды қайтару', en: 'Sale return' },
  vat: { ru: 'в т.ч. НДС', kk: 'оның ішінде ҚҚС', en: 'incl. VAT' },
  total: { ru: 'ИТОГО', kk: 'ЖИЫНЫ', en: 'TOTAL' },
  cash: { ru: 'Наличные', kk: 'Қолма-қол', en: 'Cash' },
  card: { ru: 'Банковская карта', kk: 'Банк картасы', en: 'Card' },
  change: { ru: 'Сдача', kk: 'Қайтарым', en: 'Change' },
  checkedOnline: { ru: 'код проверен онлайн', kk: 'код онлайн тексерілді', en: 'code checked online' },
  checkedCache: { ru: 'код проверен по локальному кэшу', kk: 'код жергілікті кэш бойынша тексерілді', en: 'code checked against the local cache' },
  notChecked: { ru: 'код не проверен', kk: 'код тексерілмеді', en: 'code not checked' },
};

/** Captions in the receipt's languages, primary first. */
export type Localized = Partial<Record<Lang, string>>;

function localize(key: string, languages: readonly Lang[]): Localized {
  const out: Localized = {};
  const t = RECEIPT_TEXT[key];
  if (t) for (const l of languages) out[l] = t[l];
  return out;
}

/** One receipt line. */
export interface ReceiptLine {
  position: number;
  name: string;
  /** Marking code exactly as scanned, null for unmarked goods. */
  code: string | null;
  cis: string | null;
  gtin: string | null;
  quantity: number;
  quantityMilli: number;
  unit: string | null;
  price: number;
  sum: number;
  tax: { percentMilli: number; sum: number } | null;
  /** "Produced with AI" label in the receipt languages, when the product carries the flag. */
  aiLabel: Localized | null;
  check: { source: 'online' | 'cache' | 'none'; requestId: string | null; checkedAt: string; label: Localized; provider?: string | null; requestTime?: string | null } | null;
  override: { manager: string; reason: string } | null;
  /** National Catalogue code, printed on the receipt (order 626); absent when not known. */
  ntin?: string | null;
  /** Catalogue name in Kazakh (the receipt's second language). */
  nameKk?: string | null;
}

/** The receipt of one committed sale or return. */
export interface ReceiptModel {
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
  lines: ReceiptLine[];
  totals: { total: number; tax: number; taken: number; change: number };
  taxes: { type: 'VAT'; percentMilli: number; sum: number; label: Localized }[];
  payments: { type: 'cash' | 'card' | 'mobile'; amount: number; label: Localized }[];
  fiscal: {
    /** The operator's ticket number and receipt URL once the document is delivered, else null. */
    ticketNumber: string | null;
    qrUrl: string | null;
    /** Printed before delivery (or delivered in offline mode): the receipt carries the offline mark. */
    offline: boolean;
    offlineMark: Localized | null;
    offlineTicketNumber: number | null;
    state: 'pending' | 'sending' | 'delivered' | 'blocked' | 'missing';
  };
  /** Whether an e-receipt goes to a contact (never the contact itself: receipts get printed and logged). */
  eReceipt: boolean;
}

/** Builds the receipt model of a committed document, or undefined when there is none. */
export function buildReceipt(db: Db, documentId: string, config: CheckoutConfig, now: string): ReceiptModel | undefined {
  const sale = getSale(db, documentId);
  if (!sale) return undefined;
  const languages = [...config.languages];
  const lines = getSaleLines(db, documentId);
  const overrides = new Map(overridesOfSale(db, documentId).map((o) => [o.id, o]));
  const outbox = getOutboxByDocument(db, documentId);
  const payload = outbox?.payload as { offlineTicketNumber?: number } | undefined;
  const delivered = outbox?.state === 'delivered';
  // As printed: not delivered, an offline ticket, or a receipt that already went out offline.
  const offline = !delivered || outbox.offline || receiptPrintedOffline(db, documentId);
  const taxes = new Map<number, number>();
  for (const l of lines) if (l.taxPercentMilli > 0) taxes.set(l.taxPercentMilli, (taxes.get(l.taxPercentMilli) ?? 0) + l.taxSum);
  return {
    documentId: sale.id,
    kind: sale.kind,
    title: localize(sale.kind, languages),
    originalDocumentId: sale.originalSaleId,
    languages,
    store: { name: config.storeName, address: config.storeAddress ?? '', bin: config.storeBin ?? null },
    registerId: sale.registerId,
    cashier: sale.cashier,
    createdAt: sale.createdAt,
    shiftNumber: sale.shiftNumber,
    shiftDocumentNumber: sale.shiftDocumentNumber,
    printedDocumentNumber: sale.printedDocumentNumber,
    lines: lines.map((l) => {
      const o = l.overrideId ? overrides.get(l.overrideId) : undefined;
      return {
        position: l.position,
        name: l.name,
        code: l.cis !== null ? l.code : null,
        cis: l.cis,
        gtin: l.gtin,
        quantity: l.quantityMilli / 1000,
        quantityMilli: l.quantityMilli,
        unit: l.unit,
        price: l.price,
        sum: l.sum,
        tax: l.taxPercentMilli > 0 ? { percentMilli: l.taxPercentMilli, sum: l.taxSum } : null,
        aiLabel: l.ai ? localize('ai', languages) : null,
        check: l.cis !== null
          ? {
            source: l.checkSource, requestId: l.requestId, checkedAt: l.checkedAt, provider: l.checkProvider, requestTime: l.requestTime,
            label: localize(l.checkSource === 'online' ? 'checkedOnline' : l.checkSource === 'cache' ? 'checkedCache' : 'notChecked', languages),
          }
          : null,
        override: o ? { manager: o.manager, reason: o.reason } : null,
        ntin: l.ntin ?? null,
        nameKk: l.nameKk ?? null,
      };
    }),
    totals: { total: sale.total, tax: sale.taxTotal, taken: sale.taken, change: sale.change },
    taxes: [...taxes].map(([percentMilli, sum]) => ({ type: 'VAT' as const, percentMilli, sum, label: localize('vat', languages) })),
    payments: sale.payments.map((p) => ({ type: p.type, amount: p.amount, label: localize(p.type, languages) })),
    fiscal: {
      ticketNumber: delivered ? outbox.ticketNumber : null,
      qrUrl: delivered ? outbox.qrUrl : null,
      offline,
      offlineMark: offline ? localize('offline', languages) : null,
      offlineTicketNumber: offline ? payload?.offlineTicketNumber ?? null : null,
      state: outbox?.state ?? 'missing',
    },
    eReceipt: getContactForSale(db, documentId, now) !== undefined,
  };
}
