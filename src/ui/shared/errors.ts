/**
 * Turns API failures into text for people, in the UI's language: every error code the core
 * sends has a message in each language, and an unknown one gets a plain sentence — never the
 * raw code, a validator's English or a field path.
 */
import { ApiFailure } from './api.ts';
import { MESSAGES, translate, type Lang, type MessageKey } from './i18n.ts';

/** The message key for an error code (`error.other` when the code has none). */
export function errorKey(code: string): MessageKey {
  const key = `error.${code}`;
  return key in MESSAGES.en ? (key as MessageKey) : 'error.other';
}

/** A message for an error, translated. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiFailure) return translate(lang, errorKey(err.code), { seconds: err.retryAfter ?? '?' });
  return translate(lang, 'error.other');
}

/** A short name for a rules reason code (charts, tables); the code itself only when the UI has none. */
export function reasonLabel(reason: string, lang: Lang): string {
  const key = `reason.${reason}`;
  return key in MESSAGES.en ? translate(lang, key as MessageKey) : reason;
}
