import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WedgeDecoder, decodeKeys, type KeyRecord, type WedgeOutput } from './index.ts';

interface Seq { name: string; events: KeyRecord[]; expect: Array<{ kind: string; text: string; repairs?: string[] | string }> }
const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/scanner/wedge-sequences.json', import.meta.url), 'utf8')) as { sequences: Seq[] };
const seq = (name: string): Seq => {
  const s = fixture.sequences.find((x) => x.name.startsWith(name));
  assert.ok(s, name);
  return s;
};

describe('keyboard-wedge decoder (recorded key sequences)', () => {
  test('fast scanner burst: one scan, GS rebuilt from Alt+0029 and reported', () => {
    const s = seq('fast scanner burst');
    const out = decodeKeys(s.events);
    assert.equal(out.length, 1);
    const scan = out[0] as WedgeOutput;
    assert.equal(scan.kind, 'scan');
    if (scan.kind !== 'scan') return;
    assert.equal(scan.text, s.expect[0]?.text);
    assert.equal(scan.terminated, true);
    assert.deepEqual(scan.repairs.map((r) => r.kind), ['alt-code', 'alt-code']);
    assert.deepEqual(scan.repairs.map((r) => r.from), ['Alt+0029', 'Alt+0029']);
    assert.equal(scan.text[scan.repairs[0]?.index as number], '\x1d');
    assert.ok(scan.meanGapMs < 10);
  });

  test('slow human typing stays typing', () => {
    const s = seq('slow human typing');
    assert.deepEqual(decodeKeys(s.events), [{ kind: 'typing', text: 'Hello, 42', terminator: 'Enter' }]);
  });

  test('Russian layout: KeyboardEvent.code undoes Cyrillic letters and symbols, every change reported', () => {
    const s = seq('scanner burst in a Russian layout');
    const typed = s.events.filter((e) => e.type === 'keydown' && [...e.key].length === 1).map((e) => e.key).join('');
    assert.match(typed, /[а-яА-Я]/, 'the recording really has Cyrillic keys');
    const [scan] = decodeKeys(s.events);
    assert.ok(scan?.kind === 'scan');
    assert.equal(scan.text, s.expect[0]?.text);
    const kinds = new Set(scan.repairs.map((r) => r.kind));
    assert.deepEqual([...kinds].sort(), ['ctrl-gs', 'layout']);
    const first = scan.repairs.find((r) => r.kind === 'layout');
    assert.ok(first && /[а-яА-Я]/.test(first.from) && /[A-Za-z]/.test(first.to));
    assert.equal(scan.text[first.index], first.to);
  });

  test('a person typing Russian is left alone', () => {
    assert.deepEqual(decodeKeys(seq('a person typing Russian').events), [{ kind: 'typing', text: 'привет', terminator: null }]);
  });

  test('a burst without terminator ends at the pause; typing after it is separate', () => {
    const s = seq('burst without terminator');
    const out = decodeKeys(s.events);
    assert.deepEqual(out.map((o) => [o.kind, o.text]), s.expect.map((e) => [e.kind, e.text]));
    assert.equal(out[0]?.kind === 'scan' && out[0].terminated, false);
  });

  test('streaming: flush(now) completes a burst only after the gap', () => {
    const s = seq('burst without terminator');
    const d = new WedgeDecoder();
    const burst = s.events.filter((e) => e.timeStamp < 20_300);
    for (const e of burst) assert.deepEqual(d.push(e), []);
    const last = burst[burst.length - 1]?.timeStamp as number;
    assert.deepEqual(d.flush(last + 10), []);
    // A scanner's rhythm tolerates a stall of stallMs (150) before the burst ends.
    assert.equal(d.quietMs(), 150);
    assert.deepEqual(d.flush(last + 140), []);
    const out = d.flush(last + 151);
    assert.equal(out[0]?.kind, 'scan');
  });

  test('bad options and records are clear errors', () => {
    assert.throws(() => new WedgeDecoder({ maxGapMs: 0 }), /maxGapMs must be a number > 0/);
    assert.throws(() => new WedgeDecoder({ maxGapMs: 10, maxMeanGapMs: 20 }), /cannot exceed/);
    assert.throws(() => new WedgeDecoder().push({ key: 'a' } as KeyRecord), /needs key, code/);
  });
});

/** Key presses for `text` on a US layout at the given gaps (ms); Enter at the end if asked. */
function keys(text: string, t0: number, gapAt: (i: number) => number, enter = true): KeyRecord[] {
  const out: KeyRecord[] = [];
  let t = t0;
  [...text].forEach((ch, i) => {
    if (i > 0) t += gapAt(i);
    const code = /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`;
    out.push({ type: 'keydown', key: ch, code, timeStamp: t, shiftKey: ch !== ch.toLowerCase() });
  });
  if (enter) out.push({ type: 'keydown', key: 'Enter', code: 'Enter', timeStamp: t + 3 });
  return out;
}
const CODE = '0104600439931256215Zx8kL93abcd';

describe('keyboard-wedge framing by the burst\'s own rhythm', () => {
  test('a 74 ms stall inside a scanner burst (CPU load) does not split it', () => {
    const out = decodeKeys(keys(CODE, 1000, (i) => (i === 12 ? 74 : 3)));
    assert.deepEqual(out.map((o) => [o.kind, o.text]), [['scan', CODE]]);
  });

  test('a stall right after the first key does not split it either', () => {
    const out = decodeKeys(keys(CODE, 1000, (i) => (i === 1 ? 80 : 2)));
    assert.deepEqual(out.map((o) => [o.kind, o.text]), [['scan', CODE]]);
  });

  test('a person typing at 40 ms a key is typing, and their rhythm ends at the short gap', () => {
    const d = new WedgeDecoder();
    for (const e of keys('hello123', 1000, () => 40, false)) d.push(e);
    assert.equal(d.quietMs(), 50);
    assert.equal(d.inBurst(), false);
    assert.deepEqual(d.flush(), [{ kind: 'typing', text: 'hello123', terminator: null }]);
    assert.deepEqual(decodeKeys(keys('hello123', 1000, () => 60)), [{ kind: 'typing', text: 'hello123', terminator: 'Enter' }]);
  });

  test('a fragment cut by a long stall is reported again whole when the rest follows at scanner pace', () => {
    const out = decodeKeys(keys(CODE, 1000, (i) => (i === 20 ? 220 : 3)));
    assert.equal(out.length, 2);
    const [first, second] = out;
    assert.ok(first?.kind === 'scan' && second?.kind === 'scan');
    assert.equal(first.text, CODE.slice(0, 20));
    assert.equal(first.terminated, false);
    assert.equal(second.text, CODE);
    assert.equal(second.continues, CODE.slice(0, 20));
    assert.equal(second.terminated, true);
  });

  test('a stall longer than the tolerance after a short start: the start is held and the rest completes it', () => {
    const out = decodeKeys(keys(CODE, 1000, (i) => (i === 5 ? 220 : 3)));
    assert.deepEqual(out.map((o) => [o.kind, o.text]), [['scan', CODE]]);
    // A few keys at a scanner's pace wait longer (four stalls) than one key (two).
    assert.deepEqual(decodeKeys(keys(CODE, 1000, (i) => (i === 5 ? 500 : 3))).map((o) => [o.kind, o.text]), [['scan', CODE]]);
    assert.deepEqual(decodeKeys(keys(CODE, 1000, (i) => (i === 1 ? 500 : 3))).map((o) => [o.kind, o.text]), [['typing', CODE.slice(0, 1)], ['scan', CODE.slice(1)]]);
    // ...but a short piece with nothing after it is typing in the end.
    const alone = decodeKeys(keys('Q0621', 1000, () => 3, false));
    assert.deepEqual(alone, [{ kind: 'typing', text: 'Q0621', terminator: null }]);
  });

  test('a short tail with Enter after a stall continues the fragment (not typing)', () => {
    const out = decodeKeys(keys(CODE, 1000, (i) => (i === CODE.length - 3 ? 200 : 3)));
    const last = out[out.length - 1];
    assert.ok(last?.kind === 'scan');
    assert.equal(last.text, CODE);
    assert.equal(last.continues, CODE.slice(0, CODE.length - 3));
  });

  test('a second scan long after the first is its own scan', () => {
    const a = keys(CODE, 1000, () => 3, false);
    const b = keys(CODE.toLowerCase(), 2000, () => 3, false);
    const out = decodeKeys([...a, ...b]);
    assert.deepEqual(out.map((o) => [o.kind, o.text, o.kind === 'scan' ? o.continues : undefined]), [['scan', CODE, undefined], ['scan', CODE.toLowerCase(), undefined]]);
  });

  test('prefix and suffix: stripped, the suffix ends the scan, slow keys inside stay one scan', () => {
    const d = new WedgeDecoder({ prefix: '$$', suffix: '##' });
    const out: WedgeOutput[] = [];
    for (const e of keys('$$0104600439931256##', 1000, (i) => (i === 5 ? 300 : 4), false)) out.push(...d.push({ ...e, code: e.key === '$' ? 'Digit4' : e.key === '#' ? 'Digit3' : e.code, shiftKey: e.key === '$' || e.key === '#' }));
    assert.deepEqual(out.map((o) => [o.kind, o.text, o.kind === 'scan' && o.terminated]), [['scan', '0104600439931256', true]]);
    assert.deepEqual(d.flush(), []);
  });

  test('bad framing options are clear errors', () => {
    assert.throws(() => new WedgeDecoder({ stallMs: 20 }), /stallMs cannot be less than maxGapMs/);
    assert.throws(() => new WedgeDecoder({ stallMs: Number.NaN }), /stallMs must be a number > 0/);
    assert.throws(() => new WedgeDecoder({ prefix: 3 as unknown as string }), /prefix and suffix must be strings/);
  });
});
