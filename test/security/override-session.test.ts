// Override approval from the approver's own session on a second screen: the cashier asks, the
// manager's screen hears an `override-request` event and lists it, the manager approves from
// their own session and the cashier's basket continues with the line. Declines, self-approval,
// a cashier trying to approve, expiry and the open-request limit are refused and audited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../server-harness.ts';
import type { AuditResponse, BasketView, OverrideAskResponse, OverrideAsksResponse, OverrideResponse, ScanResponse } from '../../src/server/contract/index.ts';

let h: Harness;
let offset = 0;
let unknownUsed = 0;

before(async () => {
  h = await startHarness('sec-ask', { core: { clock: { now: () => new Date(Date.now() + offset) } } });
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
  // The cache decides while the registry is down: an unknown code is an overridable refusal.
  assert.equal((await h.call('POST', '/api/training/emulators', h.tokens.technician, { registry: 'stopped' })).status, 200);
});
after(async () => {
  await h?.stop();
});

async function refusal(): Promise<string> {
  for (let tries = 0; tries < 20; tries++) {
    const code = h.core.services.training?.sample('unknown', unknownUsed + 1)[unknownUsed];
    unknownUsed++;
    assert.ok(code);
    const r = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code, source: 'wedge' });
    assert.equal(r.status, 200, r.text);
    if (r.body.verdict.overridable) return r.body.verdict.refusalId as string;
  }
  throw new Error('no overridable refusal among 20 unknown codes');
}

const ask = (refusalId: string, token = h.tokens.cashier) => h.call<OverrideAskResponse & { error?: { code: string } }>('POST', '/api/checkout/override/requests', token, { refusalId, reason: 'checked the invoice' });

test('asked at the till, approved from the manager\'s own session: the line joins the cashier\'s basket, audited with the approver', async () => {
  const managerScreen = await h.events(h.tokens.manager);
  const cashierScreen = await h.events(h.tokens.cashier);
  const refusalId = await refusal();
  const asked = await ask(refusalId);
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  const id = asked.body.request.id;
  assert.equal(asked.body.request.requestedBy, 'cashier');
  await managerScreen.waitFor((e) => e.type === 'override-request' && e.request.id === id);
  const listed = await h.call<OverrideAsksResponse>('GET', '/api/checkout/override/requests', h.tokens.manager);
  assert.deepEqual(listed.body.requests.map((r) => r.id), [id]);
  assert.equal((await h.call('GET', '/api/checkout/override/requests', h.tokens.cashier)).status, 403, 'a cashier does not see the approvers\' list');
  assert.equal((await h.call('POST', `/api/checkout/override/requests/${id}/approve`, h.tokens.cashier, {})).status, 403, 'a cashier cannot approve');

  const approved = await h.call<OverrideResponse>('POST', `/api/checkout/override/requests/${id}/approve`, h.tokens.manager, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.line.override?.manager, 'manager', JSON.stringify(approved.body.line));
  await cashierScreen.waitFor((e) => e.type === 'override-resolved' && e.id === id && e.outcome === 'approved');
  const basket = await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier);
  assert.ok(basket.body.lines.some((l) => l.id === approved.body.line.id), 'the cashier\'s basket holds the approved line');
  assert.ok(!basket.body.refusals.some((r) => r.id === refusalId), 'the refusal left the basket');
  assert.equal((await h.call('POST', `/api/checkout/override/requests/${id}/approve`, h.tokens.manager, {})).status, 404, 'answered once');
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=override&limit=5', h.tokens.admin);
  const entry = audit.body.entries.find((e) => e.outcome === 'ok' && (e.details as { requestId?: string }).requestId === id);
  assert.ok(entry, JSON.stringify(audit.body.entries));
  assert.equal(entry.userName, 'manager');
  assert.equal((entry.details as { via: string; requestedBy: string }).via, 'session');
  managerScreen.close();
  cashierScreen.close();
});

test('declined, self-approved, expired, too many open: refused and audited; the refusal stays in the basket', async () => {
  const refusalId = await refusal();
  const declined = (await ask(refusalId)).body.request.id;
  assert.equal((await h.call('POST', `/api/checkout/override/requests/${declined}/decline`, h.tokens.manager, {})).status, 200);
  assert.equal((await h.call('POST', `/api/checkout/override/requests/${declined}/approve`, h.tokens.manager, {})).status, 404);
  assert.ok((await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body.refusals.some((r) => r.id === refusalId));

  // A manager selling at the till cannot approve their own request.
  const own = await ask(refusalId, h.tokens.manager);
  assert.equal(own.status, 201);
  const self = await h.call<{ error: { code: string } }>('POST', `/api/checkout/override/requests/${own.body.request.id}/approve`, h.tokens.manager, {});
  assert.equal(self.status, 403);
  assert.equal(self.body.error.code, 'SELF_APPROVAL');
  assert.equal((await h.call('POST', `/api/checkout/override/requests/${own.body.request.id}/decline`, h.tokens.admin, {})).status, 200);

  const late = (await ask(refusalId)).body.request.id;
  offset += 121_000;
  assert.equal((await h.call('POST', `/api/checkout/override/requests/${late}/approve`, h.tokens.admin, {})).status, 404, 'expired after two minutes');

  for (let i = 0; i < 5; i++) assert.equal((await ask(refusalId)).status, 201);
  const flood = await ask(refusalId);
  assert.equal(flood.status, 429);
  assert.equal(flood.body.error?.code, 'TOO_MANY_ATTEMPTS');
  assert.equal((await h.call('POST', '/api/checkout/override/requests', h.tokens.cashier, { refusalId: 'no-such', reason: 'checked' })).status, 404);

  const audit = await h.call<AuditResponse>('GET', '/api/audit?limit=50', h.tokens.admin);
  const codes = audit.body.entries.map((e) => (e.details as { error?: string }).error).filter(Boolean);
  for (const c of ['DECLINED', 'SELF_APPROVAL', 'TOO_MANY_ATTEMPTS']) assert.ok(codes.includes(c), `${c} audited: ${codes.join(',')}`);
});
