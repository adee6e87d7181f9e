import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BasketLineView, BasketView, CompleteResponse, VerdictEvent } from '../../server/contract/index.ts';
import { cashierReducer, INITIAL, NO_BASKET, type CashierAction, type CashierState } from './state.ts';

const verdict = (code: string, decision: VerdictEvent['decision'] = 'allow'): VerdictEvent =>
  ({ type: 'verdict', code, decision, reason: 'OK', message: '', messages: {}, at: '2026-12-04T10:00:00Z', name: 'Milk', source: 'cache', scanSource: 'wedge' }) as unknown as VerdictEvent;
const line = (id: string): BasketLineView => ({ id, code: `code-${id}`, name: id, verdict: verdict(`code-${id}`) }) as unknown as BasketLineView;
const basket = (...ids: string[]): BasketView => ({ ...NO_BASKET, lines: ids.map(line), total: ids.length * 100 });
const run = (...actions: CashierAction[]): CashierState => actions.reduce(cashierReducer, INITIAL);

test('a basket keeps the selected line while it exists, else selects the newest', () => {
  let s = run({ type: 'basket', basket: basket('a', 'b') });
  assert.equal(s.selected, 'b');
  s = cashierReducer(s, { type: 'select', id: 'a' });
  s = cashierReducer(s, { type: 'basket', basket: basket('a', 'b', 'c') });
  assert.equal(s.selected, 'a', 'a new line does not steal the selection');
  s = cashierReducer(s, { type: 'basket', basket: basket('b', 'c') });
  assert.equal(s.selected, 'c', 'the selected line was removed: the newest is selected');
  s = cashierReducer(s, { type: 'basket', basket: basket() });
  assert.equal(s.selected, null);
});

test('a stale answer (an event overtook it) does not replace the basket', () => {
  const s = run({ type: 'basket', basket: basket('a', 'b') }, { type: 'basket', basket: basket('a'), stale: true });
  assert.deepEqual(s.basket.lines.map((l) => l.id), ['a', 'b']);
});

test('arrow keys move the selection within the lines, never off them', () => {
  let s = run({ type: 'basket', basket: basket('a', 'b', 'c') }, { type: 'select', id: 'b' });
  s = cashierReducer(s, { type: 'move-selection', step: -1 });
  assert.equal(s.selected, 'a');
  s = cashierReducer(s, { type: 'move-selection', step: -1 });
  assert.equal(s.selected, 'a');
  s = cashierReducer(s, { type: 'move-selection', step: 5 });
  assert.equal(s.selected, 'c');
});

test('a scan goes pending, then shows its verdict; repairs are kept by code', () => {
  let s = run({ type: 'scan-sent', raw: 'X1', repairs: ['layout'] });
  assert.deepEqual(s.verdict, { kind: 'pending', raw: 'X1', note: null });
  assert.deepEqual(s.repairs.get('X1'), ['layout']);
  s = cashierReducer(s, { type: 'verdict', verdict: verdict('X1', 'refuse') });
  assert.equal(s.verdict.kind === 'verdict' && s.verdict.verdict.decision, 'refuse');
  assert.equal(s.lastScan, 'X1');
  s = cashierReducer(s, { type: 'scan-sent', raw: 'X2', repairs: [] });
  assert.equal(s.repairs.has('X2'), false, 'nothing repaired, nothing noted');
  s = cashierReducer(s, { type: 'scan-failed', raw: 'X2', note: 'core down' });
  assert.deepEqual(s.verdict, { kind: 'error', raw: 'X2', note: 'core down' });
});

test('one burst, one message: the rest of a fragment replaces its notice; a new burst gets a new number', () => {
  let s = run({ type: 'notice', code: 'Q0001ABC', reason: 'dialog' });
  assert.deepEqual(s.notice, { seq: 1, code: 'Q0001ABC', reason: 'dialog' });
  s = cashierReducer(s, { type: 'notice', code: 'Q0001ABCDEF', reason: 'dialog', continues: 'Q0001ABC' });
  assert.deepEqual(s.notice, { seq: 1, code: 'Q0001ABCDEF', reason: 'dialog' });
  s = cashierReducer(s, { type: 'dismiss-notice' });
  assert.equal(s.notice, null);
  s = cashierReducer(s, { type: 'notice', code: 'Q0002', reason: 'field' });
  assert.deepEqual(s.notice, { seq: 2, code: 'Q0002', reason: 'field' }, 'numbers never repeat after a dismissal');
});

test('a completed sale empties the basket, records the last sale, and print/delivery events update it', () => {
  const res = {
    saleId: 'S1', kind: 'sale', basket: basket(), training: true, print: { state: 'queued' },
    receipt: { totals: { total: 500 }, fiscal: { state: 'queued', ticketNumber: null, offline: true } },
  } as unknown as CompleteResponse;
  let s = run({ type: 'basket', basket: basket('a') }, { type: 'scan-sent', raw: 'a', repairs: [] }, { type: 'completed', res, stale: false });
  assert.equal(s.basket.lines.length, 0);
  assert.deepEqual(s.verdict, { kind: 'idle' });
  assert.equal(s.lastSale?.saleId, 'S1');
  assert.equal(s.lastSale?.delivered, false);
  s = cashierReducer(s, { type: 'delivery', event: { type: 'delivery', ok: true, outboxId: 1, documentId: 'OTHER', ticketNumber: 'T9', error: null, at: '2026-12-04T10:00:01Z' } });
  assert.equal(s.lastSale?.delivered, false, 'another document\'s delivery does not count');
  s = cashierReducer(s, { type: 'delivery', event: { type: 'delivery', ok: true, outboxId: 1, documentId: 'S1', ticketNumber: 'T9', error: null, at: '2026-12-04T10:00:01Z' } });
  assert.equal(s.lastSale?.delivered, true);
  assert.equal(s.lastSale?.ticketNumber, 'T9');
  s = cashierReducer(s, { type: 'print', event: { type: 'print', documentId: 'S1', print: { state: 'printed' } as never } });
  assert.deepEqual(s.lastSale?.print, { state: 'printed' });
});

test('dialogs, status and paying are plain fields', () => {
  const s = run({ type: 'dialog', dialog: 'shift' }, { type: 'status', status: { key: 'pay.busy', kind: 'error' } }, { type: 'paying', paying: true });
  assert.equal(s.dialog, 'shift');
  assert.deepEqual(s.status, { key: 'pay.busy', kind: 'error' });
  assert.equal(s.paying, true);
});
