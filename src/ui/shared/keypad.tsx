/**
 * A PIN field with a big on-screen keypad (touch) that also works from the keyboard: the field
 * takes digits typed directly, and every keypad key is a real button reachable with Tab.
 */
import { useT } from './context.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function PinPad(props: { id: string; label: string; value: string; onChange(value: string): void; onEnter?(): void; maxLength?: number }) {
  const t = useT();
  const max = props.maxLength ?? 12;
  const press = (digit: string) => {
    if (props.value.length < max) props.onChange(props.value + digit);
  };
  return (
    <div class="pinpad">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        class="pin-input"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={max}
        value={props.value}
        onInput={(e) => props.onChange((e.currentTarget as HTMLInputElement).value.replace(/\D/g, '').slice(0, max))}
        onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); props.onEnter?.(); } }}
      />
      <div class="keypad" role="group" aria-label={t('login.keypad')}>
        {KEYS.map((k) => <button type="button" key={k} class="key" onClick={() => press(k)}>{k}</button>)}
        <button type="button" class="key key-aux" onClick={() => props.onChange('')}>{t('login.clear')}</button>
        <button type="button" class="key" onClick={() => press('0')}>0</button>
        <button type="button" class="key key-aux" aria-label={t('login.backspace')} onClick={() => props.onChange(props.value.slice(0, -1))}>⌫</button>
      </div>
    </div>
  );
}
