/**
 * The printer's own input: a receipt as it is printed. The checkout maps its receipt model
 * to this; nothing here knows about sales, databases or the registry.
 */
import * as z from 'zod';

/** Languages a receipt can carry labels in; a receipt usually prints kk and ru together. */
export type Lang = 'kk' | 'ru' | 'en';

const money = z.number().int('money must be integer minor units (tiyn)');
const nonEmpty = z.string().trim().min(1);

/** Validates a ReceiptDocument; errors name the field. */
export const receiptDocumentSchema = z.object({
  kind: z.enum(['sale', 'return']),
  training: z.boolean().default(false),
  offline: z.boolean().default(false),
  languages: z.array(z.enum(['kk', 'ru', 'en'])).min(1).default(['kk', 'ru']),
  header: z.object({
    store: nonEmpty,
    address: z.string().optional(),
    /** Business identification number, 12 digits. */
    bin: z.string().regex(/^\d{12}$/, 'BIN must be 12 digits'),
    /** Registration number of the cash register (RNM / КТТ тіркеу нөмірі). */
    register: nonEmpty,
    /** Factory number of the cash register (ZNM). */
    registerSerial: z.string().optional(),
    cashier: nonEmpty,
    shift: z.number().int().nonnegative(),
    documentNumber: z.number().int().nonnegative(),
    /** When the document was made, ISO-8601 UTC ("...Z"). */
    issuedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/, 'issuedAt must be ISO-8601 UTC ending in Z'),
    /** Local offset from UTC in minutes for the local time line (Kazakhstan: +300). */
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(300),
  }),
  lines: z.array(z.object({
    name: nonEmpty,
    /** Quantity, up to 3 decimals (weighed goods). */
    quantity: z.number().positive(),
    unit: z.string().default('дана'),
    /** Unit price in minor units. */
    price: money,
    /** Line sum in minor units (after discounts). */
    sum: money,
    /** The marking code exactly as scanned, GS (0x1D) included; printed as a DataMatrix. */
    markingCode: z.string().min(1).optional(),
    /** The item was produced with AI and must say so. */
    aiLabel: z.boolean().default(false),
  })).min(1, 'a receipt needs at least one line'),
  total: money,
  taxes: z.array(z.object({ name: nonEmpty, rate: z.number().min(0).max(100), amount: money })).default([]),
  payments: z.array(z.object({ type: z.enum(['cash', 'card', 'other']), amount: money })).min(1),
  change: money.default(0),
  fiscal: z.object({
    /** Fiscal sign / ticket number given by the fiscal data operator. */
    ticketNumber: z.string().optional(),
    /** Ticket check URL printed as QR. */
    url: z.string().url().optional(),
    /** Autonomous (offline) ticket number while the operator is unreachable. */
    offlineTicketNumber: z.string().optional(),
    /** Name of the fiscal data operator. */
    operator: z.string().optional(),
  }).default({}),
  footer: z.array(z.string()).default([]),
  /** Currency suffix; "тг" because no receipt code page has ₸. */
  currency: z.string().default('тг'),
  /** Pulse the cash drawer after printing (cash payments). */
  openDrawer: z.boolean().default(false),
});

/** What the caller builds (defaults may be left out). */
export type ReceiptDocumentInput = z.input<typeof receiptDocumentSchema>;
/** A validated receipt with defaults applied. */
export type ReceiptDocument = z.output<typeof receiptDocumentSchema>;

/** Validates input, throwing an Error that lists each bad field by path. */
export function parseReceiptDocument(input: unknown): ReceiptDocument {
  const r = receiptDocumentSchema.safeParse(input);
  if (!r.success) {
    const msgs = r.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
    throw new TypeError(`invalid receipt document: ${msgs.join('; ')}`);
  }
  return r.data;
}

/** Fixed receipt texts in each language. */
export const LABELS = {
  sale: { kk: 'САТУ', ru: 'ПРОДАЖА', en: 'SALE' },
  return: { kk: 'САТУДЫ ҚАЙТАРУ', ru: 'ВОЗВРАТ ПРОДАЖИ', en: 'SALE RETURN' },
  training: { kk: 'ОҚЫТУ РЕЖИМІ', ru: 'РЕЖИМ ОБУЧЕНИЯ', en: 'TRAINING' },
  notFiscal: { kk: 'ФИСКАЛДЫҚ ЧЕК ЕМЕС', ru: 'НЕ ФИСКАЛЬНЫЙ ЧЕК', en: 'NOT A FISCAL RECEIPT' },
  offline: { kk: 'ОФФЛАЙН', ru: 'ОФФЛАЙН', en: 'OFFLINE' },
  offlineTicket: { kk: 'Автономды чек №', ru: 'Автономный чек №', en: 'Offline ticket No.' },
  aiLabel: { kk: 'Жасанды интеллект көмегімен жасалған', ru: 'Произведено с использованием ИИ', en: 'Produced with AI' },
  bin: { kk: 'БСН', ru: 'БИН', en: 'BIN' },
  register: { kk: 'КТТ ТН', ru: 'РНМ', en: 'Reg. No.' },
  serial: { kk: 'ЗН', ru: 'ЗНМ', en: 'Serial' },
  cashier: { kk: 'Кассир', ru: 'Кассир', en: 'Cashier' },
  shift: { kk: 'Ауысым', ru: 'Смена', en: 'Shift' },
  document: { kk: 'Құжат №', ru: 'Документ №', en: 'Document No.' },
  timeUtc: { kk: 'Уақыт (UTC)', ru: 'Время (UTC)', en: 'Time (UTC)' },
  timeLocal: { kk: 'Жергілікті', ru: 'Местное', en: 'Local' },
  total: { kk: 'ЖИЫНЫ', ru: 'ИТОГО', en: 'TOTAL' },
  tax: { kk: 'соның ішінде ҚҚС', ru: 'в т.ч. НДС', en: 'incl. VAT' },
  cash: { kk: 'Қолма-қол', ru: 'Наличные', en: 'Cash' },
  card: { kk: 'Банк картасы', ru: 'Банковская карта', en: 'Card' },
  other: { kk: 'Басқа', ru: 'Другое', en: 'Other' },
  change: { kk: 'Қайтарым', ru: 'Сдача', en: 'Change' },
  fiscalSign: { kk: 'Фискалдық белгі', ru: 'Фискальный признак', en: 'Fiscal sign' },
  operator: { kk: 'ФДО', ru: 'ОФД', en: 'OFD' },
  checkUrl: { kk: 'Чекті тексеру', ru: 'Проверка чека', en: 'Check the ticket' },
  markingCode: { kk: 'Таңба', ru: 'КМ', en: 'Mark' },
  thanks: { kk: 'Сатып алғаныңызға рахмет!', ru: 'Спасибо за покупку!', en: 'Thank you!' },
} as const satisfies Record<string, Record<Lang, string>>;

/** A label in the receipt's languages, joined with " / " (duplicates said once). */
export function label(id: keyof typeof LABELS, languages: readonly Lang[]): string {
  const texts = languages.map((l) => LABELS[id][l]);
  return [...new Set(texts)].join(' / ');
}

/** "1 234,50" from 123450 minor units; negative amounts keep their sign. */
export function formatMoney(minor: number): string {
  if (!Number.isInteger(minor)) throw new TypeError(`money must be integer minor units, got ${minor}`);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole},${(abs % 100).toString().padStart(2, '0')}`;
}

/** Quantity with up to 3 decimals and a comma, e.g. "1,250". */
export function formatQuantity(q: number): string {
  return Number.isInteger(q) ? String(q) : q.toFixed(3).replace(/0+$/, '').replace('.', ',');
}
