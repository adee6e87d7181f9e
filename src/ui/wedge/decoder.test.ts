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
    const out = d.flush(last + 51);
    assert.equal(out[0]?.kind, 'scan');
  });

  test('bad options and records are clear errors', () => {
    assert.throws(() => new WedgeDecoder({ maxGapMs: 0 }), /maxGapMs must be a number > 0/);
    assert.throws(() => new WedgeDecoder({ maxGapMs: 10, maxMeanGapMs: 20 }), /cannot exceed/);
    assert.throws(() => new WedgeDecoder().push({ key: 'a' } as KeyRecord), /needs key, code/);
  });
});
