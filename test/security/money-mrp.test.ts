// Money rules through the real server (training mode): every price rule sees the price the
// customer will pay — at scan (the catalogue price when none is typed), after a price change, and
// once more at payment. The probe: the training registry's "above max. retail price" tobacco pack
// (8005 MRP in the code, catalogue price above it) was allowed at scan and sold.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../server-harness.ts';
import type { BasketView, ScanResponse } from '../../src/server/contract/index.ts';

let h: Harness;
type ErrorBody = { error: { code: string; message: string } };

before(async () => {
  h = await startHarness('sec-mrp');
  const open = await h.call('POST', '/api/shifts/open', h.tokens.cashier, {});
  assert.equal(open.status, 201, open.text);
});
after(async () => { await h.stop(); });

async function cancel(): Promise<void> {
  assert.equal((await h.call('POST', '/api/checkout/cancel', h.tokens.cashier)).status, 200);
}

/** An EAN-13 of plain (unmarked) goods with its check digit. */
function ean(body12: string): string {
  const sum = [...body12].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${body12}${(10 - (sum % 10)) % 10}`;
}

/** The MRP printed in a tobacco pack code (AI 8005, six digits of minor units). */
function mrpOf(code: string): number {
  const m = /8005(\d{6})/.exec(code);
  assert.ok(m, `a tobacco code carrying 8005: ${JSON.stringify(code)}`);
  return Number(m[1]);
}

test('the above-MRP tobacco pack is refused at scan (no price typed: the catalogue price counts) and nothing can be paid', async () => {
  await cancel();
  const [s] = await h.sample('above_mrp', 1);
  assert.ok(s && s.price !== null);
  const mrp = mrpOf(s.code);
  assert.ok(s.price > mrp, `catalogue price ${s.price} above the code's MRP ${mrp}`);
  const r = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code: s.code, source: 'wedge' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.verdict.decision, 'refuse', JSON.stringify(r.body.verdict));
  assert.equal(r.body.verdict.reason, 'PRICE_ABOVE_MRP');
  assert.equal(r.body.verdict.overridable, false);
  assert.equal(r.body.basket.lines.length, 0);
  const pay = await h.call<ErrorBody>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: s.price }] });
  assert.equal(pay.status, 409, pay.text);
  assert.equal(pay.body.error.code, 'EMPTY_BASKET');
});

test('the same pack at a typed price within its MRP is sold; a price change above the MRP is refused and the line keeps its price', async () => {
  await cancel();
  const [s] = await h.sample('above_mrp', 1, 1);
  assert.ok(s);
  const mrp = mrpOf(s.code);
  const r = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code: s.code, source: 'wedge', price: mrp });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.verdict.decision, 'allow', JSON.stringify(r.body.verdict));
  const line = r.body.basket.lines[0];
  assert.ok(line);
  assert.equal(line.price, mrp);

  const up = await h.call<ErrorBody>('PUT', `/api/checkout/lines/${line.id}/price`, h.tokens.cashier, { price: mrp + 1 });
  assert.equal(up.status, 409, up.text);
  assert.equal(up.body.error.code, 'PRICE_REFUSED');
  assert.match(up.body.error.message, /maximum retail price|максимальной|ең жоғары/);
  const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
  assert.equal(basket.lines[0]?.price, mrp, 'the refused price did not reach the line');

  const paid = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: mrp }] });
  assert.equal(paid.status, 201, paid.text);
});

test('amounts near 2^53 and above the limits: a 400 naming the field, never a 500; a price that is accepted is payable', async () => {
  await cancel();
  const big = 2 ** 53 - 1;
  const cases: [string, string, unknown, RegExp][] = [
    ['POST', '/api/checkout/scan', { code: ean('200000000001'), price: big }, /price/],
    ['POST', '/api/checkout/scan', { code: ean('200000000001'), price: 1e300 }, /price/],
    ['POST', '/api/checkout/scan', { code: ean('200000000001'), price: 100, quantity: 1e12 }, /quantity/],
    ['POST', '/api/checkout/pay', { payments: [{ type: 'cash', amount: big }] }, /payments\.0\.amount/],
    ['POST', '/api/checkout/pay', { payments: Array.from({ length: 100 }, () => ({ type: 'cash', amount: 1 })) }, /payments/],
  ];
  for (const [method, path, body, field] of cases) {
    const r = await h.call<ErrorBody>(method, path, h.tokens.cashier, body);
    assert.equal(r.status, 400, `${path} ${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.match(r.body.error.message, field);
  }
  // The highest price at the highest quantity: accepted only within the total limit, and then payable.
  const ok = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code: ean('200000000001'), price: 10_000_000_000, quantity: 10 });
  assert.equal(ok.status, 200, ok.text);
  const tooMuch = await h.call<ErrorBody>('POST', '/api/checkout/scan', h.tokens.cashier, { code: ean('200000000002'), price: 10_000_000_000, quantity: 10_000 });
  assert.equal(tooMuch.status, 400, tooMuch.text);
  assert.match(tooMuch.body.error.message, /limit/);
  const total = ok.body.basket.total;
  assert.equal(total, 100_000_000_000);
  const paid = await h.call<{ receipt: { totals: { total: number; tax: number } } }>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: total }] });
  assert.equal(paid.status, 201, paid.text);
  assert.equal(paid.body.receipt.totals.total, total);
});
