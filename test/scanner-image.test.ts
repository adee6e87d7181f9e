/**
 * Image decoding: GS1 DataMatrix (FNC1 included), QR and EAN-13 images made with bwip-js
 * decode back to the same code, GS exactly where it belongs.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import bwipjs from 'bwip-js';
import { PNG } from 'pngjs';
import { decodePixels, decodePng, readPng } from '../drivers/scanner/image/index.ts';
import { decodeCommand } from '../src/cli/decode.ts';
import type { CliContext } from '../src/cli/types.ts';
import { codes } from './fixtures/scanner/codes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tanba-image-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The bracketed AI form bwip-js takes, from a code with GS separators (91/92/93 are variable length). */
function bracketed(code: string): string {
  const [head, ...rest] = code.split('\x1d');
  const m = /^01(\d{14})21(.+)$/s.exec(head ?? '');
  assert.ok(m, `a GS1 code: ${code}`);
  const tail = rest.map((part) => `(${part.slice(0, 2)})${part.slice(2)}`).join('');
  return `(01)${m[1] as string}(21)${m[2] as string}${tail}`;
}

async function png(options: Record<string, unknown>): Promise<Buffer> {
  return bwipjs.toBuffer({ scale: 3, ...options } as Parameters<typeof bwipjs.toBuffer>[0]);
}

describe('image decoding', () => {
  test('GS1 DataMatrix with FNC1 decodes back to the exact code, GS as 0x1D, AIM ]d2', async () => {
    // Parentheses in a serial would read as AI brackets in bwip-js's input syntax; skip those codes.
    const usable = codes(400, 17).filter((c) => c.startsWith('01') && !/[()]/.test(c));
    const gs1 = [...usable.filter((c) => c.includes('\x1d92')).slice(0, 3), ...usable.filter((c) => c.includes('\x1d93')).slice(0, 3)];
    assert.ok(gs1.some((c) => c.includes('\x1d92')) && gs1.some((c) => c.includes('\x1d93')));
    for (const code of gs1) {
      const got = decodePng(await png({ bcid: 'gs1datamatrix', text: bracketed(code) }));
      assert.ok(got, `decoded ${JSON.stringify(code)}`);
      assert.equal(got.text, code);
      assert.equal(got.aim, ']d2');
      assert.equal(got.symbology, 'gs1-datamatrix');
    }
  });

  test('plain DataMatrix, QR and EAN-13', async () => {
    const dm = decodePng(await png({ bcid: 'datamatrix', text: 'HELLO-123' }));
    assert.deepEqual(dm, { text: 'HELLO-123', aim: ']d1', symbology: 'datamatrix', format: 'datamatrix' });
    const qr = decodePng(await png({ bcid: 'qrcode', text: '(01)04870000000012(21)ABC' }));
    assert.equal(qr?.format, 'qr');
    assert.equal(qr?.text, '(01)04870000000012(21)ABC');
    const ean = decodePng(await png({ bcid: 'ean13', text: '4870000000012', includetext: false }));
    assert.equal(ean?.text, '4870000000012');
    assert.equal(ean?.symbology, 'ean-13');
  });

  test('a video frame (grey pixels) decodes; a blank frame gives null; bad input is a clear error', async () => {
    const code = codes(1, 23)[0] as string;
    const rgba = readPng(await png({ bcid: 'gs1datamatrix', text: bracketed(code.startsWith('01') && !/[()]/.test(code) ? code : '0104870000000012213ABC\x1d93XyZw') }));
    const grey = new Uint8Array(rgba.width * rgba.height);
    // A camera frame has no alpha: composite bwip-js's transparent background onto white.
    for (let i = 0; i < grey.length; i++) grey[i] = (rgba.data[i * 4 + 3] as number) < 128 ? 255 : rgba.data[i * 4] as number;
    assert.ok(decodePixels({ width: rgba.width, height: rgba.height, data: grey, channels: 1 })?.text.includes('\x1d'));
    assert.equal(decodePixels({ width: 50, height: 50, data: new Uint8Array(2500).fill(255), channels: 1 }), null);
    assert.throws(() => decodePixels({ width: 10, height: 10, data: new Uint8Array(10) }), /needs 400/);
    assert.throws(() => decodePng(Buffer.from('GIF89a')), /not a PNG/);
  });

  test('tanba decode IMAGE... prints each file with GS visible, --json as listen does', async () => {
    const code = '0104870000000012215AbCdE\x1d93XyZw';
    const a = join(dir, 'a.png');
    const blank = join(dir, 'blank.png');
    writeFileSync(a, await png({ bcid: 'gs1datamatrix', text: bracketed(code) }));
    writeFileSync(blank, blankPng());
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void) => new Writable({ write(c: Buffer, _e, cb) { add(c.toString()); cb(); } });
    const ctx: CliContext = { stdin: new PassThrough(), stdout: sink((s) => { out += s; }), stderr: sink((s) => { err += s; }), dataDir: dir, env: {}, config: () => { throw new Error('no'); }, logger: () => { throw new Error('no'); } };
    assert.equal(await decodeCommand.run(ctx, { flags: { json: true }, positionals: [a] }), 0, err);
    const line = JSON.parse(out.trim()) as { file: string; data: string; symbology: string; hex: string };
    assert.equal(line.data, code);
    assert.equal(line.symbology, 'gs1-datamatrix');
    assert.equal(line.hex, Buffer.from(`]d2${code}`).toString('hex'));
    out = '';
    assert.equal(await decodeCommand.run(ctx, { flags: {}, positionals: [a, blank, join(dir, 'missing.png')] }), 1);
    assert.match(out, /<GS>93XyZw/);
    assert.match(err, /blank\.png: no code found/);
    assert.match(err, /missing\.png: cannot read/);
  });
});

/** A white PNG with no code in it. */
function blankPng(): Buffer {
  const img = new PNG({ width: 40, height: 40 });
  img.data.fill(255);
  return PNG.sync.write(img);
}
