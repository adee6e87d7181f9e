/**
 * What happens after a sale or return committed: the sender is told, the UIs see the empty
 * basket, and the receipt prints — waiting a moment for the OFD's ticket number (an online
 * register prints it and the QR; offline it prints the offline mark), and never longer than
 * `printWaitMs` for the printer (then the answer says 'pending' and a `print` event follows).
 * A printer failure never fails the sale: the print queue keeps it for a reprint.
 */
import type { CommittedDocument, Checkout } from '../checkout/index.ts';
import type { ReceiptPrinting } from '../register/index.ts';
import type { CompleteResponse, PrintView, ServerEvent, BasketView } from '../server/contract/index.ts';
import { getOutboxByDocument, markReceiptOffline, type Db } from '../store/index.ts';

/** What {@link createCompletion} needs. */
export interface CompletionDeps {
  db: Db;
  checkout: Pick<Checkout, 'getReceipt'>;
  printing: Pick<ReceiptPrinting, 'printReceipt'>;
  trainingMode: boolean;
  /** The register's time, UTC ISO. */
  now(): string;
  /** A new outbox row committed. */
  notifySender(): void;
  basket(): BasketView;
  emit(event: ServerEvent): void;
  /** Something the dashboard shows changed. */
  changed(): void;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** How long to wait for the OFD's ticket number before printing offline (default 1.5 s). */
  waitForTicketMs?: number;
  /** How long the answer waits for the printer before saying 'pending' (default 4 s). */
  printWaitMs?: number;
}

/** Sale completion. */
export interface Completion {
  /** After COMMIT: tell the sender, announce, print. */
  afterCommit(doc: CommittedDocument): Promise<CompleteResponse>;
  /** The OFD accepted a document: wakes a receipt waiting for its ticket number. */
  delivered(documentId: string): void;
  /** Wakes every waiter (shutdown). */
  releaseAll(): void;
}

/** Creates the completion step. */
export function createCompletion(deps: CompletionDeps): Completion {
  const waiters = new Map<string, Set<() => void>>();

  function waitForDelivery(documentId: string, ms: number): Promise<void> {
    if (ms <= 0 || getOutboxByDocument(deps.db, documentId)?.state === 'delivered') return Promise.resolve();
    return new Promise((resolve) => {
      const set = waiters.get(documentId) ?? new Set<() => void>();
      waiters.set(documentId, set);
      const wake = (): void => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0) waiters.delete(documentId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  async function print(doc: CommittedDocument): Promise<{ receipt: CompleteResponse['receipt']; print: PrintView }> {
    const receipt = deps.checkout.getReceipt(doc.sale.id) ?? doc.receipt;
    // What the customer holds is what the manager's list, the CSV and a reprint must say.
    if (receipt.fiscal.offline) markReceiptOffline(deps.db, doc.sale.id, deps.now());
    const job = deps.printing.printReceipt(receipt, deps.trainingMode).then((printed): PrintView => {
      if (printed.state === 'failed') deps.log?.warn({ saleId: doc.sale.id, error: printed.error }, 'receipt did not print; it is kept for a reprint');
      return { jobId: printed.jobId, state: printed.state, error: printed.error, pngUrl: printed.pngUrl };
    });
    let late = false;
    const pending = new Promise<PrintView>((resolve) => {
      const timer = setTimeout(() => { late = true; resolve({ jobId: null, state: 'pending', error: null, pngUrl: null }); }, deps.printWaitMs ?? 4_000);
      void job.then(() => clearTimeout(timer));
    });
    const view = await Promise.race([job, pending]);
    if (late) void job.then((v) => deps.emit({ type: 'print', documentId: doc.sale.id, print: v }));
    return { receipt, print: view };
  }

  return {
    async afterCommit(doc) {
      // Committed: only now may the record leave the machine and the receipt print.
      deps.notifySender();
      deps.changed();
      const basket = deps.basket();
      deps.emit({ type: 'basket', basket });
      deps.log?.info({ saleId: doc.sale.id, kind: doc.sale.kind, total: doc.sale.total, lines: doc.lines.length }, `${doc.sale.kind} committed`);
      await waitForDelivery(doc.sale.id, deps.waitForTicketMs ?? 1_500);
      const { receipt, print: printed } = await print(doc);
      deps.emit({ type: 'sale', saleId: doc.sale.id, kind: doc.sale.kind, receipt, training: deps.trainingMode, print: printed });
      return { saleId: doc.sale.id, kind: doc.sale.kind, receipt, training: deps.trainingMode, print: printed, basket };
    },
    delivered(documentId) {
      for (const wake of waiters.get(documentId) ?? []) wake();
    },
    releaseAll() {
      for (const set of waiters.values()) for (const wake of set) wake();
    },
  };
}
