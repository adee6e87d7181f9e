// Returns at the till over real HTTP (training core: OFD and marking emulators on loopback, a
// real SQLite file): the sale found by a scanned item (also in another GS form), by receipt
// number, by the OFD's ticket number (fiscal sign) and from today's list; the refund method
// chosen; the store's manager-approval flag enforced with the override's PIN checks, audited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, until, type Harness } from './server-harness.ts';
import type { AuditResponse, BasketView, CompleteResponse, ReturnSalesResponse, SaleSummary, SalesResponse } from '../src/server/contract/index.ts';

let h: Harness;
let sale: CompleteResponse;
let codes: { code: string; cis: string; price: number | null }[];

before(async () => {
  h = await startHarness('srv-returns');
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
  codes = await h.sample('sellable', 3, 40);
  for (const c of codes) {
    const r = await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: c.code, source: 'wedge', ...(c.price === null ? { price: 10_000 } : {}) });
    assert.equal(r.status, 200, r.text);
  }
  const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
  assert.equal(basket.lines.length, 3);
  const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'card', amount: basket.total }] });
  assert.equal(paid.status, 201, paid.text);
  sale = paid.body;
});
after(async () => {
  await h.stop();
});

const find = async (q: string) => {
  const r = await h.call<ReturnSalesResponse>('GET', `/api/checkout/returns/sales?q=${encodeURIComponent(q)}`, h.tokens.cashier);
  assert.equal(r.status, 200, r.text);
  return r.body;
};

test('the sale is found by a scanned item (as scanned, or with its GS as a stand-in), by receipt number, by ticket number, and in today\'s list', async () => {
  const first = codes[0] as { code: string; cis: string };
  const byCode = await find(first.code);
  assert.deepEqual(byCode.sales.map((s) => s.id), [sale.saleId]);
  assert.equal(byCode.sales[0]?.lines.length, 3);
  assert.equal(byCode.approvalRequired, false);
  // A rescan by a wedge that types GS as "<GS>" text still names the same item (its CIS).
  if (first.code.includes('\x1d')) assert.deepEqual((await find(first.code.replaceAll('\x1d', '<GS>'))).sales.map((s) => s.id), [sale.saleId]);
  assert.deepEqual((await find(String(sale.receipt.printedDocumentNumber))).sales.map((s) => s.id), [sale.saleId]);
  assert.deepEqual((await find(sale.saleId)).sales.map((s) => s.id), [sale.saleId]);
  const delivered = await until('the sale delivered with a ticket number', async () => {
    const s = (await find(sale.saleId)).sales[0];
    return s?.ticketNumber ? s : undefined;
  }, 30_000);
  assert.deepEqual((await find(delivered.ticketNumber as string)).sales.map((s) => s.id), [sale.saleId]);
  assert.deepEqual((await find('no-such-thing')).sales, []);
  const today = await h.call<ReturnSalesResponse>('GET', `/api/checkout/returns/sales?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`, h.tokens.cashier);
  assert.equal(today.status, 200, today.text);
  assert.ok(today.body.sales.some((s) => s.id === sale.saleId));
  const future = await h.call<ReturnSalesResponse>('GET', '/api/checkout/returns/sales?since=2999-01-01T00:00:00Z', h.tokens.cashier);
  assert.deepEqual(future.body.sales, []);
  const bad = await h.call<{ error: { code: string; message: string } }>('GET', '/api/checkout/returns/sales?since=yesterday', h.tokens.cashier);
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /^since:/);
});

test('the chosen lines are returned with the chosen refund method; a returned line is marked and a return is never listed as a sale', async () => {
  const second = codes[1] as { code: string };
  const found = (await find(second.code)).sales[0];
  const line = found?.lines.find((l) => l.code === second.code);
  assert.ok(line && !line.returned);
  // The sale was paid by card; the customer asks for cash.
  const ret = await h.call<CompleteResponse>('POST', '/api/checkout/return', h.tokens.cashier, { saleId: sale.saleId, items: [line.id], refund: 'cash' });
  assert.equal(ret.status, 201, ret.text);
  assert.deepEqual(ret.body.receipt.payments.map((p) => [p.type, p.amount]), [['cash', line.sum]]);
  const after = (await find(second.code)).sales;
  assert.deepEqual(after.map((s) => s.id), [sale.saleId], 'the return document is not offered for a return');
  assert.equal(after[0]?.lines.find((l) => l.id === line.id)?.returned, true);
  const both = await h.call<{ error: { code: string } }>('POST', '/api/checkout/return', h.tokens.cashier, { saleId: sale.saleId, items: [codes[2]?.code], refund: 'cash', payments: [{ type: 'cash', amount: 1 }] });
  assert.equal(both.status, 400);
  assert.equal(both.body.error.code, 'INVALID_REQUEST');
});

test('where the store requires it, a return needs a manager\'s name and PIN: refused without, with a cashier\'s PIN, with a wrong PIN; all audited', async () => {
  const cfg = await h.call('PUT', '/api/config', h.tokens.admin, { returns: { requireApproval: true } });
  assert.equal(cfg.status, 200, cfg.text);
  const third = codes[2] as { code: string };
  assert.equal((await find(third.code)).approvalRequired, true);
  const attempt = (extra: Record<string, unknown>) => h.call<CompleteResponse & { error: { code: string } }>('POST', '/api/checkout/return', h.tokens.cashier, { saleId: sale.saleId, items: [third.code], ...extra });
  const none = await attempt({});
  assert.equal(none.status, 403);
  assert.equal(none.body.error.code, 'APPROVAL_REQUIRED');
  const self = await attempt({ managerName: 'cashier', managerPin: h.pins.cashier });
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'BAD_PIN');
  const wrong = await attempt({ managerName: 'manager', managerPin: '9999' });
  assert.equal(wrong.body.error.code, 'BAD_PIN');
  assert.equal((await find(third.code)).sales[0]?.lines.find((l) => l.code === third.code)?.returned, false, 'nothing returned by a refused approval');
  // Names are matched as the login matches them.
  const ok = await attempt({ managerName: 'manager', managerPin: h.pins.manager });
  assert.equal(ok.status, 201, ok.text);
  // Refund defaults to card: the sale was paid all by card.
  assert.deepEqual(ok.body.receipt.payments.map((p) => p.type), ['card']);
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=return&limit=20', h.tokens.manager);
  assert.equal(audit.status, 200, audit.text);
  const entries = audit.body.entries.filter((e) => e.action === 'return');
  assert.ok(entries.some((e) => e.outcome === 'denied' && (e.details as { error?: string }).error === 'APPROVAL_REQUIRED'));
  assert.ok(entries.some((e) => e.outcome === 'denied' && (e.details as { error?: string }).error === 'BAD_PIN'));
  assert.ok(entries.some((e) => e.outcome === 'ok' && (e.details as { approver?: string }).approver === 'manager'));
  const returns = await h.call<SalesResponse>('GET', '/api/sales?kind=return', h.tokens.manager);
  assert.equal(returns.body.sales.filter((s: SaleSummary) => s.originalSaleId === sale.saleId).length, 2);
});
