import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialLang, LANGUAGES, MESSAGES, translate } from './i18n.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every language has every key, non-empty, with the same placeholders as English', () => {
  const keys = Object.keys(MESSAGES.en);
  for (const lang of LANGUAGES) {
    const table = MESSAGES[lang];
    assert.deepEqual(Object.keys(table).sort(), [...keys].sort(), `${lang} has exactly the English keys`);
    for (const key of keys) {
      const text = table[key as keyof typeof table];
      assert.ok(text.trim().length > 0, `${lang}.${key} is not empty`);
      assert.deepEqual(placeholders(text), placeholders(MESSAGES.en[key as keyof typeof MESSAGES.en]), `${lang}.${key} placeholders`);
    }
  }
});

test('the Kazakh table is Kazakh: it uses the letters Russian does not have', () => {
  const all = Object.values(MESSAGES.kk).join(' ');
  for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) assert.ok(all.includes(letter), `Kazakh text uses ${letter}`);
  // ...and it is not a copy of the Russian one.
  const same = Object.keys(MESSAGES.kk).filter((k) => MESSAGES.kk[k as keyof typeof MESSAGES.kk] === MESSAGES.ru[k as keyof typeof MESSAGES.ru] && /[а-я]/i.test(MESSAGES.ru[k as keyof typeof MESSAGES.ru]));
  assert.ok(same.length < 12, `few strings identical to Russian (names like "Касса"): ${same.join(', ')}`);
});

test('translate fills placeholders and leaves unknown ones visible', () => {
  assert.equal(translate('en', 'setup.stepOf', { n: 1, total: 2 }), 'Step 1 of 2');
  assert.equal(translate('kk', 'setup.stepOf', { n: 2, total: 2 }), '2 қадамның 2-қадамы');
  assert.equal(translate('ru', 'setup.stepOf', { n: 1 }), 'Шаг 1 из {total}');
});

test('the starting language: saved choice, else the browser, else Russian', () => {
  assert.equal(initialLang('kk', ['en-US']), 'kk');
  assert.equal(initialLang('xx', ['kk-KZ', 'ru']), 'kk');
  assert.equal(initialLang(null, ['de-DE', 'EN-gb']), 'en');
  assert.equal(initialLang(null, ['de-DE']), 'ru');
});
