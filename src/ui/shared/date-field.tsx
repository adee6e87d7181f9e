/**
 * A date field that shows and accepts the UI language's format (dd.mm.yyyy in Russian and
 * Kazakh, dd/mm/yyyy in English) instead of Chromium's `<input type=date>`, which follows the
 * browser locale. The value in and out is an ISO date (yyyy-mm-dd) or '' (no date); a text that
 * is not a date is kept in the field, marked invalid and explained, and not passed on.
 */
import { useEffect, useState } from 'preact/hooks';
import { useApp, useT } from './context.ts';
import { formatDateInput, parseDateInput } from './dates.ts';

export function DateField(props: { id: string; value: string; onChange(iso: string): void }) {
  const { lang } = useApp();
  const t = useT();
  const [text, setText] = useState(formatDateInput(props.value, lang));
  // A new value from outside, or another language: shown in that language's format.
  useEffect(() => {
    if (parseDateInput(text) !== props.value) setText(formatDateInput(props.value, lang));
  }, [props.value]);
  useEffect(() => {
    const iso = parseDateInput(text);
    if (iso) setText(formatDateInput(iso, lang));
  }, [lang]);
  const parsed = parseDateInput(text);
  const invalid = parsed === null;
  return (
    <>
      <input id={props.id} class="date-input" type="text" inputMode="numeric" autoComplete="off" placeholder={t('date.placeholder')} value={text} size={10} maxLength={10}
        aria-invalid={invalid} aria-describedby={invalid ? `${props.id}-error` : undefined}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setText(value);
          const iso = parseDateInput(value);
          if (iso !== null) props.onChange(iso);
        }} />
      {invalid && <span class="small form-error" id={`${props.id}-error`} role="alert">{t('date.invalid', { example: formatDateInput('2026-12-31', lang) })}</span>}
    </>
  );
}
