/**
 * The unprinted-receipts banner: committed sales and returns whose receipt never came out of the
 * printer — the register stopped between COMMIT and the printer, or the printer failed — each
 * with a button that prints it again. Loaded at start and after every sale, print and reconnect.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { UnprintedReceiptView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { formatMoney, formatTime } from '../shared/format.ts';
import { Banner } from '../shared/layout.tsx';

export function UnprintedBanner() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [owed, setOwed] = useState<UnprintedReceiptView[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setOwed((await api.unprintedReceipts()).unprinted);
    } catch {
      // A role without the cashier's right, or the core away: nothing to offer now.
    }
  }, [api]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (!events) return undefined;
    return events.on((e) => { if (e.type === 'sale' || e.type === 'print' || e.type === 'hello') void load(); });
  }, [events, load]);
  if (owed.length === 0) return null;
  const print = async (documentId: string): Promise<void> => {
    setBusy(documentId);
    try {
      await api.reprint(documentId);
    } catch {
      // Still owed: the banner keeps it.
    } finally {
      setBusy(null);
      await load();
    }
  };
  return (
    <Banner kind="warn" testId="unprinted-banner">
      {t('unprinted.banner', { n: owed.length })}
      <ul class="unprinted-list">
        {owed.map((d) => (
          <li key={d.documentId} data-document={d.documentId}>
            {t('unprinted.item', { number: d.printedDocumentNumber, total: formatMoney(d.total, lang), time: formatTime(d.committedAt, lang) })}{' '}
            <button type="button" class="btn" disabled={busy !== null} onClick={() => void print(d.documentId)}>{t('unprinted.print')}</button>
          </li>
        ))}
      </ul>
    </Banner>
  );
}
