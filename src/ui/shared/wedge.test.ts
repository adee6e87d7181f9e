import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WedgeInput, type WedgeOutput } from './wedge.ts';

/** A key event as the browser would deliver it (only the fields the decoder reads). */
function key(type: 'keydown' | 'keyup', k: string, code: string, timeStamp: number, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}): KeyboardEvent {
  return { type, key: k, code, timeStamp, altKey: false, ctrlKey: mods.ctrlKey ?? false, shiftKey: mods.shiftKey ?? false } as KeyboardEvent;
}

function burst(input: WedgeInput, text: string, t0: number, gap: number): number {
  let t = t0;
  for (const ch of text) {
    const code = /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`;
    input.handle(key('keydown', ch, code, t, { shiftKey: ch !== ch.toLowerCase() }));
    input.handle(key('keyup', ch, code, t + 1));
    t += gap;
  }
  return t;
}

test('a fast burst with Ctrl+] and Enter is one scan with GS', () => {
  const out: WedgeOutput[] = [];
  const input = new WedgeInput((o) => out.push(o));
  let t = burst(input, '0104600439931256215abc', 1000, 3);
  input.handle(key('keydown', ']', 'BracketRight', t, { ctrlKey: true }));
  t = burst(input, '93Zx', t + 3, 3);
  input.handle(key('keydown', 'Enter', 'Enter', t));
  input.dispose();
  assert.equal(out.length, 1);
  const scan = out[0];
  assert.equal(scan?.kind, 'scan');
  assert.equal(scan?.kind === 'scan' && scan.text, '0104600439931256215abc\x1d93Zx');
});

test('slow keys are typing; a burst without Enter completes after the quiet its rhythm allows', (t) => {
  // The quiet gap is a timer: the test ticks the mocked clock past it instead of waiting.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const out: WedgeOutput[] = [];
  const input = new WedgeInput((o) => out.push(o), { maxGapMs: 40 });
  const end = burst(input, '12345', 0, 120);
  input.handle(key('keydown', 'Enter', 'Enter', end));
  // A person's keys are never a scan; together they are what was typed, ended by Enter.
  assert.ok(out.length > 0 && out.every((o) => o.kind === 'typing'));
  assert.equal(out.map((o) => o.text).join(''), '12345');
  const last = out[out.length - 1];
  assert.ok(last?.kind === 'typing' && last.terminator === 'Enter');
  input.dispose();
  const later: WedgeOutput[] = [];
  const scanner = new WedgeInput((o) => later.push(o), { maxGapMs: 40 });
  burst(scanner, '0104600439931256', 1000, 2);
  assert.equal(later.length, 0, 'nothing yet: the burst has no terminator');
  // A scanner's rhythm tolerates a stall (stallMs, 150 by default) before the burst is over.
  t.mock.timers.tick(100);
  assert.equal(later.length, 0, 'nothing yet: a stall under the tolerance does not end the burst');
  t.mock.timers.tick(61);
  scanner.dispose();
  assert.equal(later.length, 1);
  const scan = later[0];
  assert.ok(scan?.kind === 'scan' && scan.text === '0104600439931256' && !scan.terminated);
});
