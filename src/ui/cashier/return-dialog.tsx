/**
 * A return at the till. The cashier finds the sale by scanning any item the customer brings
 * (its code, in whatever GS form the scanner types it), by the receipt number, the fiscal sign
 * or the sale's ID, or picks it from today's sales; ticks the lines to take back (lines already
 * returned cannot be ticked); chooses the refund (as paid, cash, card); and, where the store
 * requires it, a manager types their name and PIN. The core checks and records everything.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CompleteResponse, ReturnableSaleView, ReturnRequest } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { ApiFailure } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatMoney, formatTime, productName } from '../shared/format.ts';
import { useWedgeField, WEDGE_FIELD } from '../shared/use-wedge.ts';

type Refund = 'auto' | 'cash' | 'card';

/** Local midnight as UTC ISO: "today" is the till's day, not UTC's. */
function localMidnight(): string {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
}

/** Whether `item` (a line id, a code as scanned) names `line`. */
const names = (item: string, line: ReturnableSaleView['lines'][number]) => item === line.id || (line.code !== null && item === line.code);

export function ReturnDialog(props: { saleId: string; basketEvents: { current: number }; onClose(): void; onDone(res: CompleteResponse, seen: number): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [saleId, setSaleId] = useState(props.saleId);
  const [sale, setSale] = useState<ReturnableSaleView | null>(null);
  const [found, setFound] = useState<ReturnableSaleView[] | null>(null);
  const [items, setItems] = useState<string[]>([]);
  const [refund, setRefund] = useState<Refund>('auto');
  const [approval, setApproval] = useState(false);
  const [manager, setManager] = useState({ name: '', pin: '' });
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = (s: ReturnableSaleView) => { setSale(s); setSaleId(s.id); setFound(null); };
  const search = async (query: { q?: string; since?: string }, code?: string) => {
    try {
      const res = await api.returnSales(query);
      setApproval(res.approvalRequired);
      const only = res.sales.length === 1 ? res.sales[0] : undefined;
      if (query.q !== undefined && only) {
        pick(only);
        // A scanned item names the line it found, and ticks it.
        const line = code === undefined ? undefined : only.lines.find((l) => l.code === code || l.cis === code) ?? only.lines.find((l) => !l.returned && l.gtin !== null && code.includes(l.gtin));
        if (line && !line.returned) setItems((list) => (list.some((i) => names(i, line)) ? list : [...list, line.id]));
      } else {
        setFound(res.sales);
      }
      setMessage(query.q !== undefined && res.sales.length === 0 ? t('return.noneFound') : null);
    } catch (err) {
      setMessage(errorText(err, lang));
    }
  };
  // Today's sales to pick from, and whether this store wants a manager's approval.
  // The last sale (its ID filled in) is named by its receipt number and time; its lines come with a scan or a pick.
  const [named, setNamed] = useState<ReturnableSaleView | null>(null);
  useEffect(() => {
    if (!props.saleId) return void search({ since: localMidnight() });
    api.returnSales({ q: props.saleId }).then((res) => {
      setApproval(res.approvalRequired);
      setNamed(res.sales.find((s) => s.id === props.saleId) ?? null);
    }, (err: unknown) => setMessage(errorText(err, lang)));
  }, []);
  const shown = sale ?? (named !== null && named.id === saleId.trim() ? named : null);

  const finder = useWedgeField((q) => void search({ q }, q), { keepTab: true });
  const field = useWedgeField((code, _source, scan) => {
    // No sale yet: the scanned item also finds it (the item stays listed either way: no scan is lost).
    if (!saleId.trim()) void search({ q: code });
    setItems((list) => {
      // The rest of a burst a stall cut short replaces its fragment.
      const kept = scan?.continues !== undefined ? list.filter((c) => c !== scan.continues) : list;
      return kept.includes(code) ? kept : [...kept, code];
    });
  }, { keepTab: true });

  const submit = async (e: Event) => {
    e.preventDefault();
    // A code still in the field (typed, Enter not pressed) counts too.
    const pending = field.inputRef.current?.value.trim() ?? '';
    const all = pending && !items.includes(pending) ? [...items, pending] : items;
    if (!saleId.trim()) return setMessage(t('return.needSale'));
    if (all.length === 0) return setMessage(t('return.needItems'));
    if (approval && (!manager.name.trim() || !/^\d{4,12}$/.test(manager.pin))) return setMessage(t('return.needManager'));
    const body: ReturnRequest = {
      saleId: saleId.trim(), items: all, ...(refund !== 'auto' ? { refund } : {}),
      ...(approval ? { managerName: manager.name.trim(), managerPin: manager.pin } : {}),
    };
    setBusy(true);
    const seen = props.basketEvents.current;
    try {
      props.onDone(await api.returnItems(body), seen);
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'APPROVAL_REQUIRED') setApproval(true);
      setManager((m) => ({ ...m, pin: '' }));
      setMessage(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const loose = items.filter((i) => !sale?.lines.some((l) => names(i, l)));
  const chosen = sale?.lines.filter((l) => items.some((i) => names(i, l))) ?? [];
  return (
    <Dialog title={t('action.return')} onClose={props.onClose} id="return-dialog" wide>
      {message && <p class="form-error" role="alert">{message}</p>}
      <form onSubmit={submit}>
        <div class="field">
          <label for="return-find">{t('return.find')}</label>
          <div class="inline-field">
            <input id="return-find" ref={finder.inputRef} autoComplete="off" spellcheck={false} aria-describedby="return-find-hint" {...{ [WEDGE_FIELD]: '' }}
              onKeyDown={finder.onKey} onKeyUp={finder.onKey} />
            <button type="button" class="btn" id="return-today" onClick={() => void search({ since: localMidnight() })}>{t('return.today')}</button>
          </div>
          <p id="return-find-hint" class="small muted">{t('return.findHint')}</p>
        </div>
        {found !== null && <FoundSales sales={found} onPick={pick} />}
        {shown && <SaleSummary sale={shown} />}
        {sale && <SaleLines sale={sale} items={items} onChange={setItems} />}
        <div class="field">
          <label for="return-code">{t('return.code')}</label>
          <input id="return-code" ref={field.inputRef} autoComplete="off" spellcheck={false} aria-describedby="return-code-hint" {...{ [WEDGE_FIELD]: '' }}
            onKeyDown={field.onKey} onKeyUp={field.onKey} />
          <p id="return-code-hint" class="small muted">{t('return.codeHint')}</p>
        </div>
        {loose.length > 0 && (
          <ul class="return-items" data-testid="return-items">
            {loose.map((code) => (
              <li key={code}>
                <Code raw={code} />
                <button type="button" class="btn btn-icon" aria-label={t('refusals.remove')} onClick={() => setItems(items.filter((c) => c !== code))}>×</button>
              </li>
            ))}
          </ul>
        )}
        {chosen.length > 0 && <p data-testid="return-selected">{t('return.selected', { n: chosen.length, total: formatMoney(chosen.reduce((s, l) => s + l.sum, 0), lang) })}</p>}
        {/* The sale's ID only for a sale the search cannot find: small, out of the cashier's way. */}
        <div class="field return-sale-id small">
          <label for="return-sale">{t('return.saleId')}</label>
          <input id="return-sale" value={saleId} autoComplete="off" spellcheck={false} onInput={(e) => { setSaleId(e.currentTarget.value); setSale(null); }} />
        </div>
        <RefundChoice refund={refund} onChange={setRefund} />
        {approval && <ApprovalFields manager={manager} onChange={setManager} />}
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="submit" class="btn btn-primary" id="return-confirm" disabled={busy}>{t('action.confirm')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** The sale as the cashier knows it: receipt number, date and time, total, fiscal sign (not its ID). */
function SaleSummary({ sale }: { sale: ReturnableSaleView }) {
  const { lang } = useApp();
  const t = useT();
  return (
    <p class="return-sale-summary" data-testid="return-sale-summary">
      <strong>{t('return.saleSummary', { n: sale.printedDocumentNumber, time: formatTime(sale.createdAt, lang), total: formatMoney(sale.total, lang) })}</strong>
      {sale.ticketNumber !== null && <span class="small muted"> · {t('return.ticket', { ticket: sale.ticketNumber })}</span>}
    </p>
  );
}

/** Sales to pick from (a search with several answers, or today's list). */
function FoundSales(props: { sales: readonly ReturnableSaleView[]; onPick(sale: ReturnableSaleView): void }) {
  const { lang } = useApp();
  const t = useT();
  if (props.sales.length === 0) return <p class="muted" data-testid="return-found-none">{t('return.noneFound')}</p>;
  return (
    <ul class="return-found" data-testid="return-found">
      {props.sales.map((s) => (
        <li key={s.id}>
          <button type="button" class="btn btn-wide return-found-sale" data-sale-id={s.id} onClick={() => props.onPick(s)}>
            {t('return.saleSummary', { n: s.printedDocumentNumber, time: formatTime(s.createdAt, lang), total: formatMoney(s.total, lang) })}
            {s.ticketNumber !== null && <span class="small muted"> · {t('return.ticket', { ticket: s.ticketNumber })}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The picked sale's lines, each with a tick; returned lines cannot be ticked. */
function SaleLines(props: { sale: ReturnableSaleView; items: readonly string[]; onChange(items: string[]): void }) {
  const { lang } = useApp();
  const t = useT();
  return (
    <fieldset class="field" data-testid="return-lines">
      <legend>{t('return.lines')}</legend>
      {props.sale.lines.map((l) => {
        const checked = props.items.some((i) => names(i, l));
        return (
          <label key={l.id} class="check radio return-line" data-line-id={l.id}>
            <input type="checkbox" checked={checked} disabled={l.returned}
              onChange={() => props.onChange(checked ? props.items.filter((i) => !names(i, l)) : [...props.items, l.id])} />
            <span>
              <strong>{productName(l, lang)}</strong> · {formatMoney(l.sum, lang)}
              {l.returned && <span class="small muted"> · {t('return.returned')}</span>}
              {l.code !== null && <span class="small"> <Code raw={l.code} /></span>}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

function RefundChoice(props: { refund: Refund; onChange(refund: Refund): void }) {
  const t = useT();
  const label = { auto: t('return.refundAuto'), cash: t('return.refundCash'), card: t('return.refundCard') };
  return (
    <fieldset class="field">
      <legend>{t('return.refund')}</legend>
      {(['auto', 'cash', 'card'] as const).map((r) => (
        <label key={r} class="check radio">
          <input type="radio" name="return-refund" id={`return-refund-${r}`} checked={props.refund === r} onChange={() => props.onChange(r)} />
          <span>{label[r]}</span>
        </label>
      ))}
    </fieldset>
  );
}

function ApprovalFields(props: { manager: { name: string; pin: string }; onChange(m: { name: string; pin: string }): void }) {
  const t = useT();
  const { manager } = props;
  return (
    <fieldset class="field" data-testid="return-approval">
      <legend>{t('return.approval')}</legend>
      <label for="return-manager">{t('return.manager')}</label>
      <input id="return-manager" value={manager.name} maxLength={64} autoComplete="off" spellcheck={false} onInput={(e) => props.onChange({ ...manager, name: e.currentTarget.value })} />
      <label for="return-pin">{t('return.pin')}</label>
      <input id="return-pin" type="password" inputMode="numeric" autoComplete="off" value={manager.pin} onInput={(e) => props.onChange({ ...manager, pin: e.currentTarget.value.replace(/\D/g, '') })} />
    </fieldset>
  );
}
