/** Turns API failures into text for people, in the UI's language. */
import { ApiFailure } from './api.ts';
import { translate, type Lang, type MessageKey } from './i18n.ts';

const KNOWN = new Set<string>([
  'BAD_CREDENTIALS', 'TOO_MANY_ATTEMPTS', 'FORBIDDEN', 'UNAUTHENTICATED', 'USER_EXISTS', 'ALREADY_SET_UP', 'BAD_PIN', 'USER_DISABLED', 'PIN_IN_USE',
]);

/** A message for an error: a translated one for known codes, else the server's own words. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiFailure) {
    if (KNOWN.has(err.code)) return translate(lang, `error.${err.code}` as MessageKey, { seconds: err.retryAfter ?? '?' });
    // Validation errors name the field; the server's message already says which and why.
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
