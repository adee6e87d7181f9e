/**
 * Checkout: basket, sale, return, shifts, journal, receipt model. One SQLite transaction per
 * completed sale; nothing prints or leaves the machine before its COMMIT.
 */
export { createCheckout, type Checkout } from './checkout.ts';
export { codeForMessage, type CheckoutDeps } from './context.ts';
export type { CommittedDocument, ReturnOptions } from './commit.ts';
export type { ShiftReport } from './shifts.ts';
export { CheckoutError, type BasketLine, type CheckoutConfig, type CheckoutErrorCode, type CheckRecord, type Approver, type OverrideApproval, type OnlineFacts, type CatalogFacts, type NtinCandidate, type Payment, type PaymentType, type Refusal, type ScanOptions, type ScanResult, type VatRate, NO_GUARD, type CheckoutGuard, type GuardAnswer, type GuardedDocument } from './types.ts';
export { buildReceipt, RECEIPT_TEXT, type ReceiptLine, type ReceiptModel, type Localized } from './receipt.ts';
export { ticketPayload } from './fiscal.ts';
export { verifyJournal, verifyRegister, describeVerification, type JournalVerification } from './journal.ts';
export { startContactPurge, purgeContacts, withdrawContact, purgeContactsSettled, withdrawContactSettled, settlePurge, type PurgeResult, type SettledPurge, type SettleOptions } from './privacy.ts';
export { divRound, formatMoney, includedTax, lineSum, vatRateOn, vatRateFor, kzDate, KZ_VAT_RATES, KZ_VAT_TABLE, type VatCategory } from './money.ts';
