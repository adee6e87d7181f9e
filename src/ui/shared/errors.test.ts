import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiFailure } from './api.ts';
import { errorKey, errorText } from './errors.ts';
import { LANGUAGES } from './i18n.ts';

// Every code the core sends (src/server, src/checkout): each must have its own message.
const CODES = [
  'ALREADY_RETURNED', 'BAD_INPUT', 'BAD_PAYMENT', 'BAD_PIN', 'BAD_QUANTITY', 'EMPTY_BASKET', 'NOT_FOUND', 'NOT_IN_SALE', 'NOT_OVERRIDABLE',
  'NO_CONSENT', 'NO_PRICE', 'OFFLINE_LIMIT', 'REGISTER_BLOCKED', 'RETURN_REFUSED', 'SHIFT_CLOSED', 'SHIFT_EXPIRED', 'SHIFT_OPEN', 'SOLD_TWICE',
  'INVALID_REQUEST', 'INVALID_CODE', 'NOT_TRAINING', 'NOT_CONFIGURED', 'INVALID_DEVICE', 'INVALID_CONFIG', 'NOT_PRINTED', 'UNSUPPORTED_MEDIA_TYPE',
  'DEVICES_FILE', 'BAD_ORIGIN', 'BAD_HOST', 'NETWORK', 'BAD_RESPONSE', 'BAD_CREDENTIALS', 'TOO_MANY_ATTEMPTS', 'FORBIDDEN', 'UNAUTHENTICATED',
  'USER_EXISTS', 'ALREADY_SET_UP', 'USER_DISABLED', 'PIN_IN_USE', 'OWN_ACCOUNT', 'SHIFT_OWNER', 'NOT_BLOCKED', 'NTIN_CHOICE', 'APPROVAL_REQUIRED', 'NOT_ENOUGH_CASH',
  'NO_SCANNER', 'TEST_SCAN_SEND', 'TEST_SCAN_TIMEOUT', 'TEST_SCAN_FAILED', 'BASKET_NOT_EMPTY',
];

test('every error code the core sends has its own message in each language, without the code or the server\'s English', () => {
  for (const code of CODES) {
    assert.notEqual(errorKey(code), 'error.other', `${code} has a message`);
    for (const lang of LANGUAGES) {
      const text = errorText(new ApiFailure(400, code, 'body.items.0: Expected string, received number'), lang);
      assert.ok(!text.includes(code), `${lang} ${code}: no raw code`);
      assert.ok(!/Expected|received|body\.items/.test(text), `${lang} ${code}: no validator English, no field path`);
      if (lang !== 'en') assert.match(text, /[а-яәғқңөұүі]/i, `${lang} ${code} is in ${lang}`);
    }
  }
});

test('an unknown code and a non-API error are a plain sentence, translated', () => {
  assert.equal(errorText(new ApiFailure(500, 'SOMETHING_NEW', 'boom'), 'ru'), 'Касса не смогла это сделать; попробуйте ещё раз или позовите техника');
  assert.match(errorText(new Error('TypeError: x is undefined'), 'kk'), /Касса мұны орындай алмады/);
  assert.match(errorText(new ApiFailure(429, 'TOO_MANY_ATTEMPTS', 'wait', undefined, 30), 'en'), /Wait 30 s/);
});
