/**
 * Checkout: basket, sale, return, shifts, journal, receipt model. One SQLite transaction per
 * completed sale; nothing prints or leaves the machine before its COMMIT.
 */
export { createCheckout, vatRateOn, codeForMessage, KZ_VAT_RATES, type Approver, type Checkout, type CheckoutDeps, type CommittedDocument, type OnlineFacts, type ScanOptions, type ShiftReport } from './checkout.ts';
export { CheckoutError, type BasketLine, type CheckoutConfig, type CheckoutErrorCode, type CheckRecord, type Payment, type PaymentType, type Refusal, type ScanResult, type VatRate } from './types.ts';
export { buildReceipt, RECEIPT_TEXT, type ReceiptLine, type ReceiptModel, type Localized } from './receipt.ts';
export { ticketPayload, TAX_TYPE_VAT, type FiscalItem, type TicketPayload } from './fiscal.ts';
export { verifyJournal, verifyRegister, describeVerification, type JournalVerification } from './journal.ts';
export { startContactPurge, purgeContacts, withdrawContact, type PurgeResult } from './privacy.ts';
export { divRound, formatMoney, includedTax, lineSum } from './money.ts';
