// The shift's cash over real HTTP in training mode (the OFD emulator over TCP, the virtual
// printer rendering PNGs): an opening float, cash and card sales, a cash refund, cash in and
// out (each a money placement delivered to the OFD, audited), a withdrawal larger than the
// drawer refused, the X report on screen and printed, the Z report printed with the cash / card
// split and the drawer's cash.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, until, type Harness } from './server-harness.ts';
import type { AuditResponse, BasketView, CashResponse, CompleteResponse, ShiftReportResponse, SyncDashboard } from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-shift-cash');
});
after(async () => {
  await h.stop();
});

async function sell(code: { code: string; price: number | null }, type: 'cash' | 'card', extraCash = 0): Promise<CompleteResponse> {
  const s = await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: code.code, source: 'wedge', ...(code.price === null ? { price: 20_000 } : {}) });
  assert.equal(s.status, 200, s.text);
  const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
  const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type, amount: basket.total + extraCash }] });
  assert.equal(paid.status, 201, paid.text);
  return paid.body;
}

test('float, sales, refund, cash in and out: the X and Z reports add up, both print, every movement reaches the OFD', async () => {
  const badFloat = await h.call<{ error: { message: string } }>('POST', '/api/shifts/open', h.tokens.cashier, { float: 12.5 });
  assert.equal(badFloat.status, 400);
  assert.match(badFloat.body.error.message, /^float:/);
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, { float: 50_000 })).status, 201);
  const [a, b] = await h.sample('sellable', 2, 60);
  assert.ok(a && b);
  // Cash with change: only what stays in the drawer counts.
  const cashSale = await sell(a, 'cash', 5_000);
  const cardSale = await sell(b, 'card');
  const refund = await h.call<CompleteResponse>('POST', '/api/checkout/return', h.tokens.cashier, { saleId: cardSale.saleId, items: [b.code], refund: 'cash' });
  assert.equal(refund.status, 201, refund.text);
  const cashIn = await h.call<CashResponse>('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'deposit', amount: 10_000, reason: 'coins from the bank' });
  assert.equal(cashIn.status, 201, cashIn.text);
  assert.equal(cashIn.body.movement.operation, 'deposit');
  const drawer = 50_000 + 10_000 + cashSale.receipt.totals.total - refund.body.receipt.totals.total;
  assert.equal(cashIn.body.report.cash.inDrawer, drawer);
  const tooMuch = await h.call<{ error: { code: string } }>('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'withdrawal', amount: drawer + 1 });
  assert.equal(tooMuch.status, 409);
  assert.equal(tooMuch.body.error.code, 'NOT_ENOUGH_CASH');
  const cashOut = await h.call<CashResponse>('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'withdrawal', amount: 20_000 });
  assert.equal(cashOut.status, 201, cashOut.text);
  const bad = await h.call('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'withdrawal', amount: -5 });
  assert.equal(bad.status, 400);

  const expected = {
    float: 50_000, deposits: 10_000, withdrawals: 20_000, cashSales: cashSale.receipt.totals.total, cashRefunds: refund.body.receipt.totals.total,
    cardSales: cardSale.receipt.totals.total, cardRefunds: 0, inDrawer: drawer - 20_000,
  };
  const x = await h.call<ShiftReportResponse>('GET', '/api/shifts/x', h.tokens.cashier);
  assert.equal(x.status, 200, x.text);
  assert.deepEqual(x.body.report.cash, expected);
  const xPrint = await h.call<ShiftReportResponse>('POST', '/api/shifts/x/print', h.tokens.cashier);
  assert.equal(xPrint.status, 200, xPrint.text);
  assert.equal(xPrint.body.print?.state, 'printed', JSON.stringify(xPrint.body.print));
  const xPng = await h.call('GET', xPrint.body.print?.pngUrl as string, h.tokens.cashier);
  assert.equal(xPng.status, 200);
  assert.equal(xPng.headers.get('content-type'), 'image/png');

  // Goods in the basket: the close is refused with its own code (issue 16), not a generic BAD_INPUT.
  const [c] = await h.sample('sellable', 1, 70);
  assert.ok(c);
  assert.equal((await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: c.code, source: 'wedge', ...(c.price === null ? { price: 20_000 } : {}) })).status, 200);
  const notEmpty = await h.call<{ error: { code: string } }>('POST', '/api/shifts/close', h.tokens.cashier);
  assert.equal(notEmpty.status, 409, notEmpty.text);
  assert.equal(notEmpty.body.error.code, 'BASKET_NOT_EMPTY');
  assert.equal((await h.call('POST', '/api/checkout/cancel', h.tokens.cashier)).status, 200);

  const z = await h.call<ShiftReportResponse>('POST', '/api/shifts/close', h.tokens.cashier);
  assert.equal(z.status, 200, z.text);
  assert.deepEqual(z.body.report.cash, expected);
  assert.equal(z.body.report.sale.payments.card, cardSale.receipt.totals.total);
  assert.equal(z.body.print?.state, 'printed');
  assert.match(z.body.print?.pngUrl ?? '', /z-report-/);
  // Float, cash in and cash out are fiscal documents: delivered to the OFD like the sales.
  await until('the outbox drained', async () => {
    const d = await h.call<SyncDashboard>('GET', '/api/sync/status', h.tokens.manager);
    return d.body.status.queue.depth === 0 ? d : undefined;
  }, 30_000);
  const audit = await h.call<AuditResponse>('GET', '/api/audit?limit=100', h.tokens.manager);
  const actions = audit.body.entries.map((e) => `${e.action}:${e.outcome}`);
  for (const a of ['cash.in:ok', 'cash.out:ok', 'cash.out:failed', 'shift.x:ok', 'shift.close:ok']) assert.ok(actions.includes(a), a);
  assert.equal((audit.body.entries.find((e) => e.action === 'shift.open')?.details as { float?: number }).float, 50_000);
  // Without an open shift no cash moves.
  const closed = await h.call<{ error: { code: string } }>('POST', '/api/shifts/cash', h.tokens.cashier, { operation: 'deposit', amount: 100 });
  assert.equal(closed.body.error.code, 'SHIFT_CLOSED');
});
