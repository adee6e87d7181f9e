/**
 * The untranslated-text scan's pieces, shared by the language e2e tests: the English table's
 * phrases that would betray an untranslated text, and a page's visible text without the raw
 * details deliberately shown in English for the technician (`.failure-raw`).
 */
import type { Page } from 'playwright-core';
import { MESSAGES } from '../../src/ui/shared/i18n.ts';

/** English phrases of the string table: pieces between placeholders with at least two words, skipping those every language shares. */
export function englishPhrases(): string[] {
  const out = new Set<string>();
  for (const [key, en] of Object.entries(MESSAGES.en)) {
    if (MESSAGES.ru[key as keyof typeof MESSAGES.ru] === en || MESSAGES.kk[key as keyof typeof MESSAGES.kk] === en) continue;
    for (const piece of en.split(/\{\w+\}/)) {
      const p = piece.trim().replace(/[:.,;—·()]+$/, '').trim();
      if (p.length >= 10 && /[a-z]{3,} [a-z]{2,}/i.test(p)) out.add(p);
    }
  }
  return [...out];
}

/** English the core itself writes (not in the UI's tables), which must never reach a person untranslated. */
export const CORE_ENGLISH = /rendering to|no answer within|cannot connect|cannot reach|next reconnect attempt|\be-receipt\b|ECONNREFUSED|ENOTFOUND/;

/** The body's visible text, raw failure details (shown in English on purpose, as a second line) left out. */
export async function translatedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const raw = [...document.querySelectorAll<HTMLElement>('.failure-raw')];
    for (const el of raw) el.style.display = 'none';
    const text = document.body.innerText;
    for (const el of raw) el.style.display = '';
    return text;
  });
}
