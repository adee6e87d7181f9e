/**
 * A modal dialog: focus moves into it and stays there (Tab wraps), Escape closes it wherever
 * the focus is (an error inside it, or focus left on the page body, included), and focus
 * returns to where it was. The cashier screen does not pull focus back to the scan field
 * while one is open.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/** Open dialogs, innermost last: Escape closes the innermost one wherever the focus is. */
const open: Array<{ close(): void }> = [];

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** `wide`: a dialog that shows a picture (the receipt) gets most of the window. */
export function Dialog(props: { title: string; onClose(): void; children: ComponentChildren; id?: string; wide?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  // Layout effect: focus moves as soon as the dialog is in the DOM, before the next key.
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // A dialog may name its default control (e.g. Confirm) with data-autofocus.
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => previous?.focus?.();
  }, []);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  // A layout effect: Escape works from the first frame (a tab in the background runs effects late).
  useLayoutEffect(() => {
    const entry = { close: () => onClose.current() };
    open.push(entry);
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || open[open.length - 1] !== entry) return;
      e.preventDefault();
      e.stopPropagation();
      entry.close();
    };
    addEventListener('keydown', onEscape);
    return () => {
      removeEventListener('keydown', onEscape);
      const i = open.indexOf(entry);
      if (i >= 0) open.splice(i, 1);
    };
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  };
  const titleId = `${props.id ?? 'dialog'}-title`;
  return (
    <div class="dialog-backdrop" onKeyDown={onKeyDown}>
      <div class={props.wide ? 'dialog dialog-wide' : 'dialog'} role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} id={props.id}>
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
