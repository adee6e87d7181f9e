// Receipts travel the real path: encoder -> TCP -> virtual printer -> PNG, then zxing reads
// the PNG back. The round trip proves the ticket URL and the marking codes (GS included)
// survived every byte of the way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPrinter, decodeReceiptPng, type SavedReceipt } from '../emulators/printer/index.ts';
import type { Bitmap } from '../drivers/printer/index.ts';
import {
  ReceiptPrinter, SAMPLE_MARKING_CODE, SAMPLE_MARKING_CODE_2, SAMPLE_TICKET_URL, TcpTransport, buildReceipt,
  encodeReceipt, getProfile, label, renderText, saleReceipt, testReceipt, wrap,
} from '../drivers/printer/index.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tanba-printer-'));
  dirs.push(d);
  return d;
}
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function printOnce(profileId: string, doc: Parameters<typeof encodeReceipt>[0]): Promise<SavedReceipt> {
  const profile = getProfile(profileId);
  const vp = new VirtualPrinter({ outDir: tempDir(), width: profile.paperWidth });
  const port = await vp.listenTcp(0);
  const printer = new ReceiptPrinter(await TcpTransport.connect({ host: '127.0.0.1', port }), profile);
  try {
    const status = await printer.printReceipt(doc);
    assert.equal(status?.paperOut, false);
  } finally {
    await printer.close();
    await vp.close();
  }
  assert.equal(vp.receipts.length, 1, 'one receipt from initialise to cut');
  return vp.receipts[0]!;
}


for (const profileId of ['generic-58', 'generic-80', 'epson-58', 'epson-80']) {
  describe(`sale receipt on ${profileId}`, () => {
    let r: SavedReceipt;
    before(async () => { r = await printOnce(profileId, saleReceipt()); });

    test('renders a PNG of the paper width', () => {
      const png = readFileSync(r.pngPath);
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      assert.equal(r.image.width, getProfile(profileId).dots);
      assert.ok(r.complete);
      assert.equal(r.drawerKicks, 1, 'cash sale kicks the drawer');
    });

    test('every symbol in the image decoded: only the QR, exactly the OFD URL; no DataMatrix of a scanned code, no crypto tail (91/92/93) in image or text', () => {
      const found = decodeReceiptPng(readFileSync(r.pngPath));
      assert.deepEqual(found.map((f) => [f.format, f.text]), [['qr', SAMPLE_TICKET_URL]]);
      const text = existsSync(r.textPath) ? readFileSync(r.textPath, 'utf8') : '';
      for (const code of [SAMPLE_MARKING_CODE, SAMPLE_MARKING_CODE_2]) {
        const tail = code.slice(code.indexOf('\x1d') + 1).split('\x1d');
        for (const part of tail) assert.ok(!text.includes(part) && !text.includes(part.slice(2, 14)), `no ${part.slice(0, 6)}... on the receipt`);
        assert.ok(!found.some((f) => f.text.includes(tail[0] as string)));
      }
    });

    test('the AI label is printed on the AI line', () => {
      const profile = getProfile(profileId);
      const first = wrap(`  * ${label('aiLabel', ['kk', 'ru'])}`, profile.columns)[0]!;
      if (profile.codePages.rk1048 !== undefined) {
        // Text path: the transcript has the letters.
        assert.ok(readFileSync(r.textPath, 'utf8').split('\n').includes(first), first);
      } else {
        // Image path: the dots of the line are on the paper.
        assert.ok(containsAt(r.image, renderText(first)), first);
      }
    });
  });
}

describe('Kazakh text', () => {
  const kazakh = 'Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі';

  test('with KZ-1048 the printer gets code page 53 and the text comes out as letters', async () => {
    const r = await printOnce('epson-80', testReceipt(['kk']));
    const text = readFileSync(r.textPath, 'utf8');
    assert.ok(text.includes(`1. Сынақ: ${kazakh}`), text);
    assert.ok(text.includes('Сатып алғаныңызға рахмет!'));
    assert.ok(!text.split('\n').filter((l) => !l.startsWith('[QR]')).join('\n').includes('?'), 'no question marks');
    const job = Buffer.from(encodeReceipt(testReceipt(['kk']), getProfile('epson-80')));
    assert.ok(job.includes(Buffer.from([0x1b, 0x74, 53])), 'ESC t 53 selects KZ-1048');
  });

  test('without a Kazakh code page the line is printed as an image of the right letters', async () => {
    const profile = getProfile('generic-80');
    const w = buildReceipt(testReceipt(['kk']), profile);
    assert.ok(w.stats.imageLines > 0);
    const r = await printOnce('generic-80', testReceipt(['kk']));
    const text = readFileSync(r.textPath, 'utf8');
    assert.ok(!text.split('\n').filter((l) => !l.startsWith('[QR]')).join('\n').includes('?'), 'no question marks');
    // The line as the 12x24 font draws it must appear dot for dot on the paper.
    const expected = renderText(`1. Сынақ: ${kazakh}`, { bold: true });
    assert.ok(containsAt(r.image, expected), 'the Kazakh line is on the paper');
    // A wrong letter would not match: Ұ (U+04B0) and Ү (U+04AE) differ only in the bar.
    const wrong = renderText(`1. Сынақ: ${kazakh.replace('Ұұ', 'Үұ')}`, { bold: true });
    assert.ok(!containsAt(r.image, wrong));
  });
});

/** True when `needle` appears in `hay` at x = 0 of some row (lines are printed from the left margin). */
function containsAt(hay: Bitmap, needle: Bitmap): boolean {
  outer: for (let y = 0; y + needle.height <= hay.height; y++) {
    for (let ny = 0; ny < needle.height; ny++) {
      for (let nx = 0; nx < needle.width; nx++) if (hay.get(nx, y + ny) !== needle.get(nx, ny)) continue outer;
    }
    return true;
  }
  return false;
}

test("the test print's sample marking code passes Tanba's own parser (GTIN check digit, serial and crypto lengths)", async () => {
  const { parseCode } = await import('../src/marking/index.ts');
  const r = parseCode(SAMPLE_MARKING_CODE);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.ok ? r.cis : null, SAMPLE_MARKING_CODE.split('\x1d')[0]);
});
