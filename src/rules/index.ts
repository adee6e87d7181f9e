/**
 * Pure decision rules: status + context -> verdict with a reason (ru / kk / en). No I/O, imports
 * nothing of ours. See README.md for the table and what each freshness state does.
 */
import { LANE_MESSAGES, MESSAGES, type Lang } from './messages.ts';
import { RULES } from './table.ts';
import type { DecisionInput, ReasonCode, RuleRow, Verdict } from './types.ts';

export type {
  CheckSource, CodeFacts, CodeStatus, Decision, DecisionInput, FreshnessState, ReasonCode, RuleRow, Verdict,
} from './types.ts';
export { RULES } from './table.ts';
export { LANE_MESSAGES, MESSAGES, type Lang } from './messages.ts';

/** True when `row` applies to the input's operation and product group. */
export function rowApplies(row: RuleRow, input: DecisionInput): boolean {
  if (!row.operations.includes(input.operation)) return false;
  if (row.groups === '*') return true;
  return input.group !== null && row.groups.includes(input.group);
}

/** Minor units as a decimal amount ("1234" -> "12.34"). */
function money(n: number | null | undefined): string {
  if (n == null) return '?';
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const BLOCKED_BY: Record<'code' | 'gtin' | 'batch', Record<Lang, string>> = {
  code: { ru: 'по коду', kk: 'код бойынша', en: 'by code' },
  gtin: { ru: 'по GTIN', kk: 'GTIN бойынша', en: 'by GTIN' },
  batch: { ru: 'по партии', kk: 'партия бойынша', en: 'by batch' },
};

function fill(template: string, input: DecisionInput, lang: Lang): string {
  if (!template.includes('{')) return template;
  const f = input.facts;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    switch (key) {
      case 'price': return money(input.price);
      case 'mrp': return money(f?.mrp);
      case 'minPrice': return money(f?.minPrice);
      case 'expires': return f?.expires ?? '?';
      case 'invalidReason': return input.invalidReason ?? '?';
      case 'blockedBy': return f?.blockedBy ? BLOCKED_BY[f.blockedBy][lang] : '?';
      default: return `{${key}}`;
    }
  });
}

/** The messages of `reason` for this input in all three languages. */
export function messagesFor(reason: ReasonCode, input: DecisionInput): Record<Lang, string> {
  const t = MESSAGES[reason];
  return { ru: fill(t.ru, input, 'ru'), kk: fill(t.kk, input, 'kk'), en: fill(t.en, input, 'en') };
}

/** Builds the verdict a row gives for an input. */
export function verdictOf(row: RuleRow, input: DecisionInput): Verdict {
  const messages = messagesFor(row.reason, input);
  return {
    decision: row.decision,
    reason: row.reason,
    message: messages[input.lang ?? 'ru'],
    messages,
    source: input.source,
    overridable: row.overridable,
    offline: input.source !== 'online',
    rule: row.id,
  };
}

/**
 * Decides one scan: walks {@link RULES} in order and returns the verdict of the first row that
 * applies and matches. The table ends in catch-all rows, so there is always a verdict.
 */
export function decide(input: DecisionInput): Verdict {
  for (const row of RULES) {
    if (rowApplies(row, input) && row.when(input)) return verdictOf(row, input);
  }
  // Unreachable while the table ends in catch-alls; refusing is the safe answer if it ever changes.
  throw new Error('rules table has no catch-all row');
}

/**
 * The verdict when another lane of the same store holds the code (issue 19): in its basket
 * (ALREADY_IN_BASKET) or sold there (SOLD). Never overridable: the other lane's sale is real.
 */
export function laneVerdict(reason: 'SOLD' | 'ALREADY_IN_BASKET', lane: string, lang: Lang = 'ru'): Verdict {
  const t = LANE_MESSAGES[reason];
  const messages = { ru: t.ru.replace('{lane}', lane), kk: t.kk.replace('{lane}', lane), en: t.en.replace('{lane}', lane) };
  return {
    decision: 'refuse', reason, message: messages[lang], messages, source: 'none', overridable: false, offline: false,
    rule: reason === 'SOLD' ? 'sold-other-lane' : 'in-other-basket', lane,
  };
}
