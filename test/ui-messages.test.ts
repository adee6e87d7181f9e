// Every code the core can answer the till or the manager with has text in ru, kk and en (issue 16):
// the codes are read from the source itself — every `sendError(reply, status, 'CODE'`, every
// `new CheckoutError|ServiceError|FeedError('CODE'`, every `code: 'CODE'` of the server, the
// CheckoutErrorCode union and the UI's own transport failures — so a code added tomorrow
// without a UI string fails here, not on a cashier's screen as "(SOME_CODE)". The refusal
// reasons of the rules engine travel with their own three texts; each must have all three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ApiFailure } from '../src/ui/shared/api.ts';
import { errorKey, errorText, reasonLabel } from '../src/ui/shared/errors.ts';
import { LANGUAGES, MESSAGES } from '../src/ui/shared/i18n.ts';
import { LANE_MESSAGES, MESSAGES as REASONS, RULES } from '../src/rules/index.ts';

const root = new URL('..', import.meta.url).pathname;
/** Where the codes a person can see come from: the server, the layers it maps errors of, the UI transport. */
const SOURCES = ['src/server', 'src/checkout', 'src/cache', 'src/sync', 'src/register', 'src/scan', 'src/status', 'src/hub/hq-web.ts', 'src/ui/shared/transport.ts', 'src/ui/hq'];
/** Codes a person never sees: internal plumbing answered only to other programs. */
const NOT_SHOWN = new Set<string>([]);

function files(path: string): string[] {
  const full = join(root, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) => (name === 'dist' || name === 'contract' ? [] : files(join(path, name))))
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
}

/** The error codes written in the source, each with the first file that sends it. */
function emittedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /sendError\(\s*\w+,\s*\d+,\s*'([A-Z][A-Z0-9_]+)'/g,
    /new (?:CheckoutError|ServiceError|FeedError|ApiFailure)\(\s*(?:\d+,\s*)?'([A-Z][A-Z0-9_]+)'/g,
    /\bcode: '([A-Z][A-Z0-9_]+)'/g,
    /\? '([A-Z][A-Z0-9_]+)' : '([A-Z][A-Z0-9_]+)'/g,
  ];
  for (const file of SOURCES.flatMap(files)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const m of text.matchAll(pattern)) for (const code of m.slice(1)) if (code && !found.has(code)) found.set(code, relative(root, file));
    }
  }
  const union = /export type CheckoutErrorCode =([\s\S]*?);/.exec(readFileSync(join(root, 'src/checkout/types.ts'), 'utf8'))?.[1] ?? '';
  for (const m of union.matchAll(/'([A-Z_]+)'/g)) if (m[1] && !found.has(m[1])) found.set(m[1], 'src/checkout/types.ts');
  return found;
}

test('the scan finds the codes it should (it reads the source, so it must see the known ones)', () => {
  const codes = emittedCodes();
  for (const known of ['PRICE_REFUSED', 'SELF_APPROVAL', 'BAD_CREDENTIALS', 'INVALID_REQUEST', 'NOT_BLOCKED', 'BUSY', 'CURSOR_GAP', 'NETWORK', 'INTERNAL']) {
    assert.ok(codes.has(known), `${known} found in the source`);
  }
  assert.ok(codes.size > 50, `${codes.size} codes found`);
});

test('every error code the core emits has its own ru, kk and en text, without the code or the server\'s English', () => {
  const missing: string[] = [];
  for (const [code, file] of emittedCodes()) {
    if (NOT_SHOWN.has(code)) continue;
    if (errorKey(code) === 'error.other') { missing.push(`${code} (${file})`); continue; }
    for (const lang of LANGUAGES) {
      const text = errorText(new ApiFailure(409, code, 'body.items.0: Expected string, received number', undefined, 30), lang);
      assert.ok(text.trim().length > 0 && !text.includes(code), `${lang} ${code}: a sentence, not the code`);
      assert.doesNotMatch(text, /Expected|received|body\.items/, `${lang} ${code}: no validator English`);
      if (lang !== 'en') assert.match(text, /[а-яәғқңөұүі]/i, `${lang} ${code} is in ${lang}`);
      if (lang === 'kk') assert.notEqual(text, MESSAGES.ru[errorKey(code)], `kk ${code} is not the Russian text`);
    }
  }
  assert.deepEqual(missing, [], 'codes without a UI string');
});

test('every refusal reason of the rules engine carries ru, kk and en text, and a short UI name in each', () => {
  const reasons = new Set([...RULES.map((r) => r.reason), ...Object.keys(REASONS)]);
  for (const reason of reasons) {
    const texts = REASONS[reason as keyof typeof REASONS];
    assert.ok(texts, `${reason} has texts`);
    for (const lang of LANGUAGES) assert.ok(texts[lang].trim().length > 0, `${reason} ${lang}`);
    assert.match(texts.kk, /[а-яәғқңөұүі]/i, `${reason} kk is Cyrillic`);
    assert.match(texts.en, /^[\x20-\x7e—–’]+$/, `${reason} en is English`);
  }
  for (const reason of reasons) {
    assert.ok(`reason.${reason}` in MESSAGES.en, `${reason} has a short UI name (charts)`);
    for (const lang of LANGUAGES) assert.notEqual(reasonLabel(reason, lang), reason, `${reason} ${lang}`);
  }
  for (const [reason, texts] of Object.entries(LANE_MESSAGES)) for (const lang of LANGUAGES) assert.ok(texts[lang].trim(), `${reason} ${lang}`);
});
