// The refusal list of a basket is bounded: 800 junk scans (the probe grew the basket to 3.5 MB)
// keep the latest 50 refusals and count all of them; the basket answer stays small.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../server-harness.ts';
import type { BasketView } from '../../src/server/contract/index.ts';

let h: Harness;
before(async () => {
  h = await startHarness('sec-basket');
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
});
after(async () => { await h.stop(); });

test('800 junk scans: the basket keeps the latest 50 refusals and counts all 800', async () => {
  const junk = (i: number): string => `junk-${i}-${'x'.repeat(2000)}`;
  for (let i = 0; i < 800; i++) {
    const r = await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: junk(i), source: 'manual' });
    assert.equal(r.status, 200, r.text);
  }
  const b = await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier);
  assert.equal(b.body.refusalCount, 800);
  assert.equal(b.body.refusals.length, 50);
  assert.equal(b.body.refusals.at(-1)?.code, junk(799), 'the latest refusal is kept');
  assert.equal(b.body.refusals[0]?.code, junk(750));
  assert.ok(b.text.length < 400_000, `basket answer ${b.text.length} bytes`);
  await h.call('POST', '/api/checkout/cancel', h.tokens.cashier);
  const empty = await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier);
  assert.equal(empty.body.refusalCount, 0);
});
