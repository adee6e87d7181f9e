import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../server/contract/index.ts';
import { filterAudit, isOverrideEntry } from './filter.ts';

const entry = (seq: number, action: string, outcome: string, userName: string | null, details: Record<string, unknown> = {}): AuditEntry =>
  ({ seq, at: '2026-03-01T10:00:00.000Z', userName, role: 'cashier', action, outcome, details, remote: '127.0.0.1' });

const log = [
  entry(4, 'login', 'ok', 'dana'),
  entry(3, 'denied:GET /api/config', 'denied', 'dana'),
  entry(2, 'user.create', 'ok', 'aigul', { name: 'Marat', role: 'manager' }),
  entry(1, 'override.refusal', 'ok', 'marat', { code: '0104600439931256' }),
];

test('filters combine: action, outcome and text (case-insensitive, details included)', () => {
  assert.deepEqual(filterAudit(log, { action: '', outcome: '', text: '' }).map((e) => e.seq), [4, 3, 2, 1]);
  assert.deepEqual(filterAudit(log, { action: 'login', outcome: '', text: '' }).map((e) => e.seq), [4]);
  assert.deepEqual(filterAudit(log, { action: '', outcome: 'denied', text: '' }).map((e) => e.seq), [3]);
  assert.deepEqual(filterAudit(log, { action: '', outcome: '', text: 'MARAT' }).map((e) => e.seq), [2, 1]);
  assert.deepEqual(filterAudit(log, { action: '', outcome: 'ok', text: 'dana' }).map((e) => e.seq), [4]);
  assert.deepEqual(filterAudit(log, { action: 'login', outcome: 'denied', text: '' }), []);
});

test('the overrides log takes override actions only', () => {
  assert.deepEqual(log.filter(isOverrideEntry).map((e) => e.seq), [1]);
});
