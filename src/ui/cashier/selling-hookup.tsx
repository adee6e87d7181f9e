/** The selling dialogs as the cashier screen opens them (kept apart so the screen stays small). */
import { DiscountDialog, ParkedDialog, QuantityDialog, SearchDialog } from './selling.tsx';
import type { useCashier } from './use-cashier.ts';

export function SellingDialogs({ c }: { c: ReturnType<typeof useCashier> }) {
  const { state, dispatch } = c;
  const line = state.basket.lines.find((l) => l.id === state.selected) ?? null;
  const close = c.closeDialog;
  if (state.dialog === 'search') {
    return (
      <SearchDialog onClose={close} onDone={(basket, name) => {
        dispatch({ type: 'basket', basket });
        dispatch({ type: 'status', status: { key: 'search.added', params: { name }, kind: 'ok' } });
        close();
      }} />
    );
  }
  if (state.dialog === 'quantity' && line) {
    return (
      <QuantityDialog line={line} onClose={close} onDone={(basket) => {
        dispatch({ type: 'basket', basket });
        dispatch({ type: 'status', status: { key: 'quantity.done', kind: 'ok' } });
        close();
      }} />
    );
  }
  if (state.dialog === 'discount' && line) {
    return (
      <DiscountDialog line={line} onClose={close} onDone={(basket) => {
        dispatch({ type: 'basket', basket });
        dispatch({ type: 'status', status: { key: 'discount.done', kind: 'ok' } });
        close();
      }} />
    );
  }
  if (state.dialog === 'parked') {
    return (
      <ParkedDialog basket={state.basket} onClose={close} onDone={(basket, key) => {
        dispatch({ type: 'basket', basket });
        dispatch({ type: 'status', status: { key, kind: 'ok' } });
        close();
      }} />
    );
  }
  return null;
}
