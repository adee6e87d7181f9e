/**
 * The cashier's pick among the National Catalogue's NTINs when a barcode has several (protocol
 * 2.0.3): the dialog opens by itself once for each basket line that starts waiting for a pick,
 * and again from the banner; Escape cancels (the sale still waits: paying answers NTIN_CHOICE).
 * The pick goes to POST /api/checkout/ntin-choice; the core applies it to the basket's lines of
 * that barcode and remembers it for the barcode in this store, so the next scan asks nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BasketLineView, BasketView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { productName } from '../shared/format.ts';
import { Banner } from '../shared/layout.tsx';

/** Basket lines whose barcode has several NTINs and no pick yet. */
export function linesWaitingForNtin(basket: BasketView): BasketLineView[] {
  return basket.lines.filter((l) => l.gtin !== null && (l.ntinCandidates?.length ?? 0) > 0);
}

/** Opens the dialog (through `open`) once for each line that starts waiting, when no other dialog is open. */
export function useNtinPrompt(basket: BasketView, dialogOpen: boolean, open: () => void): void {
  const prompted = useRef(new Set<string>());
  useEffect(() => {
    const fresh = linesWaitingForNtin(basket).filter((l) => !prompted.current.has(l.id));
    if (fresh.length === 0 || dialogOpen) return;
    for (const l of fresh) prompted.current.add(l.id);
    open();
  }, [basket, dialogOpen, open]);
}

/** A banner while lines wait for a pick, with the button that opens the dialog again. */
export function NtinBanner(props: { basket: BasketView; onOpen(): void }) {
  const t = useT();
  const waiting = linesWaitingForNtin(props.basket);
  if (waiting.length === 0) return null;
  return (
    <Banner kind="warn" testId="ntin-waiting">
      {t('ntin.waiting', { count: waiting.length })}{' '}
      <button type="button" class="btn" id="ntin-open" onClick={props.onOpen}>{t('ntin.open')}</button>
    </Banner>
  );
}

/** The barcode as printed: a GTIN-14 that starts with 0 is an EAN-13. */
function printedBarcode(gtin: string): string {
  return gtin.length === 14 && gtin.startsWith('0') ? gtin.slice(1) : gtin;
}

/** The dialog for the first waiting line; `onDone` gets the core's basket after the pick. */
export function NtinChoiceDialog(props: { basket: BasketView; basketEvents: { current: number }; onClose(): void; onDone(basket: BasketView, seen: number, ntin: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const line = linesWaitingForNtin(props.basket)[0];
  const candidates = line?.ntinCandidates ?? [];
  const [ntin, setNtin] = useState(candidates[0]?.ntin ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Another line (or none) after a pick: start from its first candidate.
  const first = candidates[0]?.ntin ?? '';
  useEffect(() => { setNtin(first); }, [line?.id, first]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!line?.gtin || !ntin) return;
    setBusy(true);
    const seen = props.basketEvents.current;
    try {
      props.onDone((await api.ntinChoice({ barcode: printedBarcode(line.gtin), ntin })).basket, seen, ntin);
    } catch (err) {
      setMessage(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('ntin.title')} onClose={props.onClose} id="ntin-dialog">
      <p>{t('ntin.intro')}</p>
      {message && <p class="form-error" role="alert">{message}</p>}
      {line && (
        <form onSubmit={submit}>
          <p>{t('ntin.product')}: <strong>{productName(line, lang)}</strong> <span class="small muted">{printedBarcode(line.gtin ?? '')}</span></p>
          <fieldset class="field">
            <legend>{t('ntin.which')}</legend>
            {candidates.map((c) => (
              <label key={c.ntin} class="check radio">
                <input type="radio" name="ntin" value={c.ntin} checked={ntin === c.ntin} onChange={() => setNtin(c.ntin)} />
                <span>
                  <strong>{lang === 'kk' && c.titleKk ? c.titleKk : c.title}</strong>
                  <span class="small"> {c.ntin}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div class="form-actions">
            <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
            <button type="submit" class="btn btn-primary" id="ntin-confirm" data-autofocus disabled={busy || !ntin}>{t('action.confirm')}</button>
          </div>
        </form>
      )}
      {!line && (
        <div class="form-actions">
          <button type="button" class="btn btn-primary" onClick={props.onClose}>{t('action.close')}</button>
        </div>
      )}
    </Dialog>
  );
}
