import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRoute, routePath } from './route.ts';

test('a register drill-down path names its store and register, escapes undone', () => {
  assert.deepEqual(parseRoute('/register/S%201/L2', ''), { kind: 'register', store: 'S 1', register: 'L2' });
  assert.equal(routePath({ kind: 'register', store: 'S 1', register: 'L/2' }), '/register/S%201/L%2F2');
});

test('the overview keeps only well-formed filters', () => {
  assert.deepEqual(parseRoute('/', '?store=S1&problems=1&silent=3'), { kind: 'overview', filter: { store: 'S1', problems: '1', silent: 3 } });
  assert.deepEqual(parseRoute('/', '?store=%20&problems=yes&silent=-2'), { kind: 'overview', filter: {} });
  assert.deepEqual(parseRoute('/register/%E0%A4%A/L1', ''), { kind: 'overview', filter: {} });
  assert.equal(routePath({ kind: 'overview', filter: { store: 'S1', silent: 0 } }), '/?store=S1&silent=0');
  assert.equal(routePath({ kind: 'overview', filter: {} }), '/');
});
