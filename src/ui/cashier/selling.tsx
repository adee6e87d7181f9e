/**
 * Selling beyond the scan: the product search (F1) for unmarked goods — quantity (kg for weighed
 * goods), a typed price for free-price items —, the quantity of the selected line (F5), and parked
 * baskets (put aside, recalled). Another price than the list's, or a discount, needs the
 * discount permission: a cashier's till asks for a manager's name and PIN (the server decides).
 */
import { useEffect, useState } from 'preact/hooks';
import type { BasketLineView, BasketView, ParkedBasketView, ProductView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { formatMoney, formatQuantity, formatTime, parseMoneyInput, productName } from '../shared/format.ts';

/** A quantity a person typed ("1,255", "2") as a number, or null. */
export function parseQuantityInput(text: string): number | null {
  const m = /^(\d{1,6})(?:[.,](\d{1,3}))?$/.exec(text.replace(/[\s\u00a0\u202f]/g, ''));
  if (!m) return null;
  const milli = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return milli > 0 ? milli / 1000 : null;
}

/** The product search: type part of a name or barcode, pick a product, its quantity (and price), add. */
export function SearchDialog(props: { onClose(): void; onDone(basket: BasketView, name: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [query, setQuery] = useState('');
  const [products, setProducts] = useState<ProductView[]>([]);
  const [picked, setPicked] = useState<ProductView | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [price, setPrice] = useState('');
  const [managerName, setManagerName] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const q = query.trim();
    if (q.length === 0) { setProducts([]); return; }
    let live = true;
    const timer = setTimeout(() => {
      api.searchProducts(q).then((r) => { if (live) setProducts(r.products); }, (err: unknown) => { if (live) setMessage(errorText(err, lang)); });
    }, 150);
    return () => { live = false; clearTimeout(timer); };
  }, [api, lang, query]);
  const pick = (p: ProductView) => {
    setPicked(p);
    setQuantity(p.weighed ? '' : '1');
    // As money is written at the till: two decimals (899.90, not 899.9).
    setPrice(p.price === null ? '' : (p.price / 100).toFixed(2));
    setMessage(p.marked ? t('search.marked') : null);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!picked) return setMessage(t('search.pickFirst'));
    if (picked.marked) return setMessage(t('search.marked'));
    const q = parseQuantityInput(quantity);
    if (q === null || (!picked.weighed && !Number.isInteger(q))) return setMessage(picked.weighed ? t('search.kgFormat') : t('search.piecesFormat'));
    const typed = price.trim() === '' ? null : parseMoneyInput(price);
    if (price.trim() !== '' && typed === null) return setMessage(t('search.priceFormat'));
    if (picked.price === null && typed === null) return setMessage(t('search.priceRequired'));
    const other = typed !== null && typed !== picked.price;
    setBusy(true);
    try {
      const r = await api.addProduct({
        barcode: picked.barcode, quantity: q, ...(other ? { price: typed } : {}),
        ...(other && picked.price !== null && managerName.trim() && managerPin ? { managerName: managerName.trim(), managerPin } : {}),
      });
      if (r.verdict.lineId === null) return setMessage(r.verdict.messages[lang] ?? r.verdict.message);
      props.onDone(r.basket, picked.title);
    } catch (err) {
      setMessage(errorText(err, lang));
      setManagerPin('');
    } finally {
      setBusy(false);
    }
  };
  const priceChanged = picked !== null && picked.price !== null && price.trim() !== '' && parseMoneyInput(price) !== picked.price;
  return (
    <Dialog title={t('search.title')} onClose={props.onClose} id="search-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      <form onSubmit={submit}>
        <label class="field">
          <span>{t('search.query')}</span>
          <input id="search-query" value={query} autoComplete="off" onInput={(e) => setQuery(e.currentTarget.value)} data-autofocus />
        </label>
        <ul class="search-results" role="listbox" aria-label={t('search.results')}>
          {products.map((p) => (
            <li key={p.barcode} role="option" aria-selected={picked?.barcode === p.barcode}>
              <button type="button" class={`btn btn-wide${picked?.barcode === p.barcode ? ' selected' : ''}`} data-barcode={p.barcode} onClick={() => pick(p)}>
                <strong>{lang === 'kk' && p.titleKk ? p.titleKk : p.title}</strong>
                <span class="small"> {p.barcode} · {p.price === null ? t('search.freePrice') : formatMoney(p.price, lang)}{p.weighed ? ` / ${t('search.kg')}` : ''}{p.marked ? ` · ${t('search.markedShort')}` : ''}</span>
              </button>
            </li>
          ))}
          {query.trim() !== '' && products.length === 0 && <li class="muted" data-testid="search-none">{t('search.none')}</li>}
        </ul>
        {picked && !picked.marked && (
          <>
            <label class="field">
              <span>{picked.weighed ? t('search.quantityKg') : t('search.quantity')}</span>
              <input id="search-quantity" inputMode="decimal" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>{picked.price === null ? t('search.priceFree') : t('search.price')}</span>
              <input id="search-price" inputMode="decimal" value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
            </label>
            {priceChanged && (
              <p class="small" data-testid="search-approval">{t('search.approval')}
                <input id="search-manager" aria-label={t('override.manager')} value={managerName} onInput={(e) => setManagerName(e.currentTarget.value)} />
                <input id="search-pin" type="password" inputMode="numeric" aria-label={t('override.pin')} value={managerPin} onInput={(e) => setManagerPin(e.currentTarget.value)} />
              </p>
            )}
          </>
        )}
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.close')}</button>
          <button type="submit" class="btn btn-primary" id="search-add" disabled={busy || !picked || picked.marked}>{t('search.add')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** The selected line's quantity: unmarked goods (whole pieces, or kg). */
export function QuantityDialog(props: { line: BasketLineView; onClose(): void; onDone(basket: BasketView): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const { line } = props;
  const [quantity, setQuantity] = useState(String(line.quantityMilli / 1000));
  const [message, setMessage] = useState<string | null>(line.cis !== null ? t('quantity.marked') : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const q = parseQuantityInput(quantity);
    if (q === null) return setMessage(t('search.piecesFormat'));
    try {
      props.onDone((await api.setQuantity(line.id, q)).basket);
    } catch (err) {
      setMessage(errorText(err, lang));
    }
  };
  return (
    <Dialog title={t('quantity.title', { name: productName(line, lang) })} onClose={props.onClose} id="quantity-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      <form onSubmit={submit}>
        <label class="field">
          <span>{line.unit === 'kg' ? t('search.quantityKg') : t('search.quantity')}</span>
          <input id="quantity-input" inputMode="decimal" value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} data-autofocus disabled={line.cis !== null} />
        </label>
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.close')}</button>
          <button type="submit" class="btn btn-primary" id="quantity-save" disabled={line.cis !== null}>{t('quantity.save')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** Parked baskets: put this one aside, or bring one back (its codes are checked again). */
export function ParkedDialog(props: { basket: BasketView; onClose(): void; onDone(basket: BasketView, key: 'park.done' | 'park.recalled'): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [parked, setParked] = useState<ParkedBasketView[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    api.parkedBaskets().then((r) => setParked(r.parked), (err: unknown) => setMessage(errorText(err, lang)));
  }, [api, lang]);
  const park = () => api.parkBasket().then((r) => props.onDone(r.basket, 'park.done'), (err: unknown) => setMessage(errorText(err, lang)));
  const recall = (id: string) => api.recallBasket(id).then((r) => props.onDone(r.basket, 'park.recalled'), (err: unknown) => setMessage(errorText(err, lang)));
  const hasLines = props.basket.lines.length > 0;
  return (
    <Dialog title={t('park.title')} onClose={props.onClose} id="parked-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      {hasLines && <button type="button" class="btn btn-primary btn-wide" id="park-basket" data-autofocus onClick={() => void park()}>{t('park.park', { total: formatMoney(props.basket.total, lang) })}</button>}
      {parked === null ? <p role="status">{t('loading')}</p> : parked.length === 0 ? <p class="muted" data-testid="parked-none">{t('park.none')}</p> : (
        <ul class="parked-list">
          {parked.map((p) => (
            <li key={p.id}>
              <button type="button" class="btn btn-wide" data-parked={p.id} disabled={hasLines} onClick={() => void recall(p.id)}>
                {formatTime(p.parkedAt, lang)} · {p.cashier} · {formatMoney(p.total, lang)}
                <span class="small"> — {p.lines.map((l) => `${productName(l, lang)} × ${formatQuantity(l.quantityMilli, null, lang)}`).join(', ')}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {hasLines && parked !== null && parked.length > 0 && <p class="small muted">{t('park.emptyFirst')}</p>}
      <div class="form-actions"><button type="button" class="btn" onClick={props.onClose}>{t('action.close')}</button></div>
    </Dialog>
  );
}

/** A discount on the selected line: percent off, a reason, and a manager's name and PIN unless the user holds the permission. */
export function DiscountDialog(props: { line: BasketLineView; onClose(): void; onDone(basket: BasketView): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const { line } = props;
  const [percent, setPercent] = useState('');
  const [reason, setReason] = useState('');
  const [managerName, setManagerName] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [message, setMessage] = useState<string | null>(line.price === null ? t('error.NO_PRICE') : null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const p = Number(percent.replace(',', '.'));
    if (!(p > 0 && p <= 100)) return setMessage(t('discount.percentFormat'));
    if (reason.trim().length < 3) return setMessage(t('override.reasonShort'));
    try {
      props.onDone((await api.discountLine(line.id, {
        percent: p, reason: reason.trim(), ...(managerName.trim() && managerPin ? { managerName: managerName.trim(), managerPin } : {}),
      })).basket);
    } catch (err) {
      setMessage(errorText(err, lang));
      setManagerPin('');
    }
  };
  return (
    <Dialog title={t('discount.title', { name: productName(line, lang) })} onClose={props.onClose} id="discount-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      {line.price !== null && <p class="small">{t('search.price')}: {formatMoney(line.price, lang)}</p>}
      <form onSubmit={submit}>
        <label class="field"><span>{t('discount.percent')}</span>
          <input id="discount-percent" inputMode="decimal" value={percent} onInput={(e) => setPercent(e.currentTarget.value)} data-autofocus /></label>
        <label class="field"><span>{t('discount.reason')}</span>
          <input id="discount-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
        <p class="small muted">{t('discount.approval')}</p>
        <label class="field"><span>{t('override.manager')}</span>
          <input id="discount-manager" autoComplete="off" value={managerName} onInput={(e) => setManagerName(e.currentTarget.value)} /></label>
        <label class="field"><span>{t('override.pin')}</span>
          <input id="discount-pin" type="password" inputMode="numeric" autoComplete="off" value={managerPin} onInput={(e) => setManagerPin(e.currentTarget.value)} /></label>
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.close')}</button>
          <button type="submit" class="btn btn-primary" id="discount-save" disabled={line.price === null}>{t('discount.apply')}</button>
        </div>
      </form>
    </Dialog>
  );
}
