/**
 * Sample receipts: the test print, and the examples rendered for the docs. Also what the
 * tests print, so the docs show exactly what the tests check.
 */
import type { Lang, ReceiptDocumentInput } from './document.ts';

/** A marking code as a scanner delivers it: GS (0x1D) between the variable-length fields. */
export const SAMPLE_MARKING_CODE = '01048700123456752150Ab!cDefGh12\x1d91EE06\x1d92dGVzdC1zaWduYXR1cmUtMDEyMzQ1Njc4OTAxMjM0NTY=';
/** A second marking code (tobacco-style, short crypto tail). */
export const SAMPLE_MARKING_CODE_2 = '0104600439931256215Fj8l:\x1d91FFD0\x1d92tIAF/YVoU4roQS3M/m4z78yFq0nW9nb4/mKhK7JHm+M=';
/** The ticket check URL the test receipt carries. */
export const SAMPLE_TICKET_URL = 'https://consumer.oofd.kz/?i=2487342011&f=010102334455&s=12345.00&t=20250110T141500';

const header = {
  store: 'ТОО «Таңба Маркет»',
  address: 'Алматы, Абай даңғылы 150',
  bin: '123456789012',
  register: '010102334455',
  registerSerial: 'TNB-0000042',
  cashier: 'Әлия Қасымқызы',
  shift: 12,
  documentNumber: 345,
  issuedAt: '2025-01-10T09:15:00Z',
  utcOffsetMinutes: 300,
};

/** The `tanba print test` receipt: QR, a DataMatrix of a code with GS, Kazakh letters. */
export function testReceipt(languages: Lang[] = ['kk', 'ru']): ReceiptDocumentInput {
  return {
    kind: 'sale',
    training: true,
    languages,
    header: { ...header, documentNumber: 0 },
    lines: [
      { name: 'Сынақ: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі', quantity: 1, unit: 'дана', price: 100, sum: 100, markingCode: SAMPLE_MARKING_CODE },
    ],
    total: 100,
    payments: [{ type: 'cash', amount: 100 }],
    fiscal: { url: SAMPLE_TICKET_URL, operator: 'Tanba test' },
  };
}

/** A sale with marked lines and an AI-labelled line. */
export function saleReceipt(): ReceiptDocumentInput {
  return {
    kind: 'sale',
    languages: ['kk', 'ru'],
    header,
    lines: [
      { name: 'Молоко 3,2% 1 л', nameKk: 'Сүт 3,2% 1 л', ntin: '0200000000011', quantity: 2, unit: 'дана', price: 65000, sum: 130000, markingCode: SAMPLE_MARKING_CODE, cis: SAMPLE_MARKING_CODE.split('\x1d')[0] as string },
      { name: 'Сигареты «Алтын»', nameKk: 'Темекі «Алтын»', ntin: '0200000000028', quantity: 1, unit: 'дана', price: 120000, sum: 120000, markingCode: SAMPLE_MARKING_CODE_2, cis: SAMPLE_MARKING_CODE_2.split('\x1d')[0] as string },
      { name: 'Открытка «Наурыз»', quantity: 1, unit: 'дана', price: 50000, sum: 50000, aiLabel: true },
      { name: 'Алма, қызыл', quantity: 1.25, unit: 'кг', price: 90000, sum: 112500 },
    ],
    total: 412500,
    taxes: [{ name: 'ҚҚС', rate: 12, amount: 44196 }],
    payments: [{ type: 'cash', amount: 500000 }],
    change: 87500,
    fiscal: { ticketNumber: '2487342011', url: SAMPLE_TICKET_URL, operator: 'АО «Казахтелеком» (OOFD)' },
    openDrawer: true,
  };
}

/** A return of one marked line. */
export function returnReceipt(): ReceiptDocumentInput {
  return {
    kind: 'return',
    languages: ['kk', 'ru'],
    header: { ...header, documentNumber: 346, issuedAt: '2025-01-10T10:02:30Z' },
    lines: [{ name: 'Молоко 3,2% 1 л', nameKk: 'Сүт 3,2% 1 л', ntin: '0200000000011', quantity: 1, unit: 'дана', price: 65000, sum: 65000, markingCode: SAMPLE_MARKING_CODE, cis: SAMPLE_MARKING_CODE.split('\x1d')[0] as string }],
    total: 65000,
    taxes: [{ name: 'ҚҚС', rate: 12, amount: 6964 }],
    payments: [{ type: 'card', amount: 65000 }],
    fiscal: { ticketNumber: '2487342077', url: SAMPLE_TICKET_URL.replace('2487342011', '2487342077'), operator: 'АО «Казахтелеком» (OOFD)' },
  };
}

/** A sale made while the fiscal data operator was unreachable: offline ticket number, no URL yet. */
export function offlineReceipt(): ReceiptDocumentInput {
  return {
    kind: 'sale',
    offline: true,
    languages: ['kk', 'ru'],
    header: { ...header, documentNumber: 347, issuedAt: '2025-01-10T11:40:00Z' },
    lines: [{ name: 'Вода «Тассай» 0,5 л', nameKk: 'Су «Тассай» 0,5 л', ntin: '0200000000035', quantity: 3, unit: 'дана', price: 25000, sum: 75000, markingCode: SAMPLE_MARKING_CODE_2, cis: SAMPLE_MARKING_CODE_2.split('\x1d')[0] as string }],
    total: 75000,
    taxes: [{ name: 'ҚҚС', rate: 12, amount: 8036 }],
    payments: [{ type: 'cash', amount: 75000 }],
    fiscal: { offlineTicketNumber: 'OFL-000347' },
  };
}
