/**
 * Binds a text field to the keyboard-wedge decoder: a scanner's burst becomes one code (GS
 * rebuilt, layout damage repaired) and a person's typing is sent with Enter. Used by the
 * cashier's scan field and by every dialog field that takes a scanned code.
 */
import { useContext, useEffect, useRef } from 'preact/hooks';
import { AppContext } from './context.ts';
import { WedgeInput, type WedgeOutput, type WedgeScan } from './wedge.ts';

/** The attribute that marks a field running its own decoder: the window-level decoder leaves its keys alone. */
export const WEDGE_FIELD = 'data-wedge-field';

/** Where a code came from: a scanner burst, or typed by a person. */
export type CodeSource = 'wedge' | 'manual';

/** The technician's prefix / suffix for keyboard-wedge scanners ('' each when none, or outside the app). */
export function useWedgeFraming(): { prefix: string; suffix: string } {
  const wedge = useContext(AppContext)?.wedge;
  return { prefix: wedge?.prefix ?? '', suffix: wedge?.suffix ?? '' };
}

/**
 * A ref for the field and the key handler to put on both onKeyDown and onKeyUp. `keepTab`:
 * Tab moves on as usual (dialog fields); otherwise Tab ends a code (scanners that send Tab).
 */
export function useWedgeField(onCode: (code: string, source: CodeSource, scan?: WedgeScan) => void, options: { keepTab?: boolean } = {}) {
  const keepTab = options.keepTab ?? false;
  const inputRef = useRef<HTMLInputElement>(null);
  const callback = useRef(onCode);
  callback.current = onCode;
  const wedgeRef = useRef<WedgeInput | null>(null);
  const { prefix, suffix } = useWedgeFraming();
  useEffect(() => {
    const wedge = new WedgeInput((out: WedgeOutput) => {
      const input = inputRef.current;
      if (out.kind === 'scan') {
        // The field shows what the keyboard layout made of the burst; the decoder has the real code.
        if (input) input.value = '';
        callback.current(out.text, 'wedge', out);
      } else if (out.terminator === 'Enter' && input) {
        const typed = input.value.trim();
        input.value = '';
        if (typed !== '') callback.current(typed, 'manual');
      }
    }, { prefix, suffix });
    wedgeRef.current = wedge;
    return () => wedge.dispose();
  }, [prefix, suffix]);
  const onKey = (e: KeyboardEvent) => {
    // Enter (and Tab unless kept) end a code; Ctrl+] is GS. None of them may act on the page.
    if (e.type === 'keydown' && (e.key === 'Enter' || (e.key === 'Tab' && !keepTab) || (e.ctrlKey && e.code === 'BracketRight'))) e.preventDefault();
    wedgeRef.current?.handle(e);
  };
  return { inputRef, onKey };
}
