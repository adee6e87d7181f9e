import { test, describe, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrameParser, checkFrameOptions, type FrameEvent, type FrameParserOptions, type ScanFrame } from './framer.ts';

const GS = '\x1d';
const CODE = `0104870000000001215ABCDEFGHIJKLM${GS}91EE06${GS}92c2VzIHNpZ25hdHVyZSBvZiB0aGUgY29kZSBpcyBoZXJlIQ==`;

/**
 * Feeds chunks to a parser, ends it, returns every event. With `pace`, time moves `gapMs` after
 * each chunk: on the parser's clock and on the test's mocked timers together, so a pause is a
 * tick, never a wait.
 */
async function run(options: FrameParserOptions, chunks: Buffer[], pace?: { t: TestContext; gapMs: number }): Promise<FrameEvent[]> {
  let now = 0;
  pace?.t.mock.timers.enable({ apis: ['setTimeout'] });
  const p = new FrameParser({ ...options, now: () => now });
  const out: FrameEvent[] = [];
  p.on('data', (e: FrameEvent) => out.push(e));
  for (const c of chunks) {
    p.write(c);
    if (pace) {
      now += pace.gapMs;
      pace.t.mock.timers.tick(pace.gapMs);
    }
  }
  await new Promise<void>((r) => p.end(r));
  pace?.t.mock.timers.reset();
  return out;
}

const frames = (evs: FrameEvent[]): ScanFrame[] => evs.filter((e): e is ScanFrame => e.kind === 'frame');

describe('FrameParser', () => {
  test('CR, LF and CRLF end a frame; GS stays inside it', async () => {
    for (const [terminator, t] of [['cr', '\r'], ['lf', '\n'], ['crlf', '\r\n']] as const) {
      const evs = await run({ terminator }, [Buffer.from(`${CODE}${t}second${t}`)]);
      const f = frames(evs);
      assert.equal(f.length, 2, terminator);
      assert.equal(f[0]?.data.toString('latin1'), CODE);
      assert.equal(f[0]?.endedBy, 'terminator');
      assert.equal(f[1]?.data.toString(), 'second');
      assert.equal(f[0]?.data.includes(0x1d), true);
    }
  });

  test('an AIM prefix is split off and named; raw keeps it', async () => {
    const [f] = frames(await run({}, [Buffer.from(`]d2${CODE}\r]E04870000000001\rplain\r`)]));
    assert.equal(f?.aim, ']d2');
    assert.equal(f?.symbology, 'gs1-datamatrix');
    assert.equal(f?.data.toString('latin1'), CODE);
    assert.equal(f?.raw.toString('latin1'), `]d2${CODE}`);
    const all = frames(await run({}, [Buffer.from(`]E04870000000001\rplain\r]X9abc\r`)]));
    assert.deepEqual(all.map((x) => [x.symbology, x.data.toString()]), [['ean-13', '4870000000001'], [null, 'plain'], ['aim:]X9', 'abc']]);
    const off = frames(await run({ aim: false }, [Buffer.from(`]d2${CODE}\r`)]));
    assert.equal(off[0]?.aim, null);
    assert.equal(off[0]?.data.toString('latin1'), `]d2${CODE}`);
  });

  test('writes split at any points give the same frames (property)', async () => {
    const code = fc.string({ unit: fc.constantFrom(...'0123456789ABCxyz!%&\x1d'.split('')), minLength: 1, maxLength: 120 });
    await fc.assert(fc.asyncProperty(
      fc.array(code, { minLength: 1, maxLength: 20 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      fc.constantFrom('cr', 'lf', 'crlf'),
      async (codes, cuts, terminator) => {
        const t = { cr: '\r', lf: '\n', crlf: '\r\n' }[terminator];
        const bytes = Buffer.from(codes.map((c) => `]d2${c}${t}`).join(''), 'latin1');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) { chunks.push(bytes.subarray(prev, p)); prev = p; }
        const got = frames(await run({ terminator, idleMs: 0 }, chunks));
        assert.deepEqual(got.map((f) => f.data.toString('latin1')), codes);
      },
    ), { numRuns: 200 });
  });

  test('line noise between frames is dropped and counted', async () => {
    const evs = frames(await run({}, [Buffer.from([0x00, 0x11, 0xff, 0x0a]), Buffer.from(`${CODE}\r\n\n\x13second\r`, 'latin1')]));
    assert.deepEqual(evs.map((f) => f.data.toString('latin1')), [CODE, 'second']);
    assert.equal(evs[0]?.noiseDropped, 4);
    assert.equal(evs[1]?.noiseDropped, 3);
  });

  test('a frame over maxLength is cut with one error and the next code still reads', async () => {
    const junk = Buffer.alloc(1024 * 1024, 0x41);
    const chunks: Buffer[] = [];
    for (let i = 0; i < junk.length; i += 4096) chunks.push(junk.subarray(i, i + 4096));
    chunks.push(Buffer.from(`\r${CODE}\r`, 'latin1'));
    const evs = await run({ maxLength: 4096, idleMs: 0 }, chunks);
    assert.equal(evs.length, 2);
    const [err, next] = evs;
    assert.equal(err?.kind, 'error');
    if (err?.kind === 'error') {
      assert.equal(err.code, 'FRAME_TOO_LONG');
      assert.equal(err.dropped, junk.length);
      assert.match(err.message, /maximum of 4096 bytes/);
    }
    assert.equal(next?.kind === 'frame' && next.data.toString('latin1'), CODE);
  });

  test('terminator none: a pause ends the frame', async (t) => {
    const halves = [Buffer.from(CODE.slice(0, 10), 'latin1'), Buffer.from(CODE.slice(10), 'latin1')];
    const evs = frames(await run({ terminator: 'none', idleMs: 20 }, halves, { t, gapMs: 60 }));
    // Two writes 60 ms apart with idleMs 20 are two frames: the pause is the only boundary.
    assert.deepEqual(evs.map((f) => f.data.toString('latin1')), [CODE.slice(0, 10), CODE.slice(10)]);
    assert.deepEqual(evs.map((f) => f.endedBy), ['idle', 'idle']);
    assert.deepEqual(evs.map((f) => [f.firstByteAt, f.lastByteAt]), [[0, 0], [60, 60]], 'frame times come from the injected clock');
    const one = frames(await run({ terminator: 'none', idleMs: 200 }, halves, { t, gapMs: 5 }));
    assert.deepEqual(one.map((f) => f.data.toString('latin1')), [CODE]);
    assert.equal(one[0]?.endedBy, 'end');
  });

  test('the pause is measured from the last byte: bytes that keep coming hold the frame open', async (t) => {
    // idleMs 20, a chunk every 15 ms: the timer armed by the first chunk fires at 20 ms, sees
    // only 5 quiet ms and waits out the rest; the frame ends 20 ms after the LAST chunk.
    const evs = frames(await run({ terminator: 'none', idleMs: 20 }, [Buffer.from('ab'), Buffer.from('cd'), Buffer.from('ef')], { t, gapMs: 15 }));
    assert.deepEqual(evs.map((f) => [f.data.toString(), f.endedBy]), [['abcdef', 'end']]);
    const paused = frames(await run({ terminator: 'none', idleMs: 20 }, [Buffer.from('ab'), Buffer.from('cd')], { t, gapMs: 21 }));
    assert.deepEqual(paused.map((f) => [f.data.toString(), f.endedBy]), [['ab', 'idle'], ['cd', 'idle']]);
  });

  test('with a terminator, a pause still completes a frame (fallback)', async (t) => {
    const evs = frames(await run({ terminator: 'cr', idleMs: 20 }, [Buffer.from('abc')], { t, gapMs: 60 }));
    assert.equal(evs[0]?.endedBy, 'idle');
    assert.equal(evs[0]?.data.toString(), 'abc');
  });

  test('a partial frame at the end of the stream is reported, not delivered', async () => {
    const evs = await run({ terminator: 'cr', idleMs: 0 }, [Buffer.from('ok\rpart')]);
    assert.equal(evs.length, 2);
    assert.equal(evs[1]?.kind, 'error');
    assert.equal(evs[1]?.kind === 'error' && evs[1].code, 'INCOMPLETE_FRAME');
  });

  test('bad options throw clear errors', () => {
    assert.throws(() => checkFrameOptions({ terminator: 'tab' as 'cr' }), /terminator must be one of cr, lf, crlf, none/);
    assert.throws(() => checkFrameOptions({ idleMs: -1 }), RangeError);
    assert.throws(() => checkFrameOptions({ terminator: 'none', idleMs: 0 }), /needs idleMs > 0/);
    assert.throws(() => checkFrameOptions({ maxLength: 0 }), /maxLength/);
    assert.throws(() => new FrameParser({ aim: 'yes' as unknown as boolean }), TypeError);
    assert.throws(() => new FrameParser({ now: 5 as unknown as () => number }), /now must be a function/);
  });
});
