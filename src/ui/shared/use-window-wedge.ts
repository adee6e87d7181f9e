/**
 * Scanner bursts captured at the window level, whatever has the focus: after a dialog closes
 * the focus may sit on the page body or a button, and a burst there must not vanish (or press
 * the button with its Enter). Fields that run their own decoder (marked {@link WEDGE_FIELD})
 * are left alone; a burst that lands in any other text field is reported as such, because the
 * person may have been typing there.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { useWedgeFraming, WEDGE_FIELD } from './use-wedge.ts';
import { WedgeInput, type WedgeScan } from './wedge.ts';

/** Where the focus was when a burst arrived. */
export type BurstPlace = 'page' | 'text-field';

/** True for an element a person types into (a text-like input, a textarea, contenteditable). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/**
 * Calls `onScan` for every scanner burst whose keys did not go to a wedge field. Runs in the
 * capture phase so that a burst's Enter (or Tab) never reaches a focused button or form.
 */
export function useWindowWedge(onScan: (scan: WedgeScan, place: BurstPlace) => void, enabled = true): void {
  const callback = useRef(onScan);
  callback.current = onScan;
  const { prefix, suffix } = useWedgeFraming();
  // A layout effect: listening from the first frame, even in a tab the browser runs late.
  useLayoutEffect(() => {
    if (!enabled) return undefined;
    let place: BurstPlace = 'page';
    const wedge = new WedgeInput((out) => { if (out.kind === 'scan') callback.current(out, place); }, { prefix, suffix });
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest(`[${WEDGE_FIELD}]`)) return;
      if (e.type === 'keydown') {
        place = isTextField(target) ? 'text-field' : 'page';
        const ends = e.key === 'Enter' || e.key === 'Tab' || (e.ctrlKey && e.code === 'BracketRight');
        if (ends && wedge.inBurst()) {
          e.preventDefault();
          e.stopPropagation();
        }
      }
      wedge.handle(e);
    };
    addEventListener('keydown', onKey, true);
    addEventListener('keyup', onKey, true);
    return () => {
      removeEventListener('keydown', onKey, true);
      removeEventListener('keyup', onKey, true);
      wedge.dispose();
    };
  }, [enabled, prefix, suffix]);
}
