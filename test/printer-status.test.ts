// Status and paper out: the driver asks DLE EOT before and after a job, a receipt cut short
// is reported and stays in the SQLite queue, and the reprint comes out whole.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { VirtualPrinter, decodeReceiptPng } from '../emulators/printer/index.ts';
import { storePrintQueue } from '../src/register/index.ts';
import { getPrintJob, openDatabase } from '../src/store/index.ts';
import { testClock } from './helpers/clock.ts';
import {
  DeviceFileTransport, PrintSpooler, PrinterError, ReceiptPrinter, SAMPLE_TICKET_URL, SerialTransport,
  TcpTransport, encodeReceipt, getProfile, saleReceipt, testReceipt, type PrinterTransport,
} from '../drivers/printer/index.ts';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tanba-printer-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function tcpPrinter(vp: VirtualPrinter, profileId = 'generic-80'): Promise<ReceiptPrinter> {
  const port = await vp.listenTcp(0);
  const p = new ReceiptPrinter(await TcpTransport.connect({ host: '127.0.0.1', port }), getProfile(profileId), { statusTimeoutMs: 5000 });
  cleanups.push(() => p.close());
  return p;
}

describe('status before printing', () => {
  for (const [control, code] of [['paper out', 'paper-out'], ['cover open', 'cover-open'], ['offline', 'offline']] as const) {
    test(`${control} is refused with a clear error and nothing is printed`, async () => {
      const vp = new VirtualPrinter({ outDir: tempDir() });
      cleanups.push(() => vp.close());
      const p = await tcpPrinter(vp);
      vp.control(control);
      await assert.rejects(p.printReceipt(testReceipt()), (e: unknown) => e instanceof PrinterError && e.code === code && e.message.includes(control.split(' ')[0]!));
      assert.equal(vp.receipts.length, 0);
    });
  }

  test('a printer that does not answer is reported, not waited on forever', async () => {
    // A TCP server that accepts and never answers: a wedged printer.
    const { createServer } = await import('node:net');
    const conns = new Set<Socket>();
    // resume(): read the client's FIN so the connection can close; never write a byte back.
    const server = createServer((s) => { conns.add(s); s.resume(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => { for (const c of conns) c.destroy(); server.close(() => r()); }));
    const port = (server.address() as { port: number }).port;
    const t = await TcpTransport.connect({ host: '127.0.0.1', port });
    const p = new ReceiptPrinter(t, getProfile('generic-58'), { statusTimeoutMs: 200 });
    await assert.rejects(p.status(), (e: unknown) => e instanceof PrinterError && e.code === 'no-response');
    t.discardInput();
    await p.close();
  });

  test('bad options fail with messages naming the option', async () => {
    await assert.rejects(TcpTransport.connect({ host: '127.0.0.1', port: 70000 }), /port must be 1\.\.65535/);
    assert.throws(() => new VirtualPrinter({ outDir: tempDir(), paperOutAfter: -1 }), /paperOutAfter/);
    assert.throws(() => encodeReceipt({ ...saleReceipt(), total: 12.5 }, getProfile('generic-58')), /total: money must be integer/);
  });
});

describe('paper out mid-receipt', () => {
  test('is reported, the job is kept, and the reprint works', async () => {
    const profile = getProfile('generic-80');
    const job = encodeReceipt(saleReceipt(), profile);
    const vp = new VirtualPrinter({ outDir: tempDir(), paperOutAfter: Math.floor(job.length / 2) });
    cleanups.push(() => vp.close());
    const printer = await tcpPrinter(vp);
    const dbDir = tempDir();
    const db = openDatabase(join(dbDir, 'tanba.db'));
    cleanups.push(() => { db.close(); });
    const clock = testClock('2026-03-01T10:00:00.000Z');
    const queue = storePrintQueue(db, clock);
    const spooler = new PrintSpooler(queue, printer);

    const first = await spooler.submit('sale 345', job);
    assert.equal(first.printed, false, 'submit does not throw: the sale is complete anyway');
    assert.ok(first.error instanceof PrinterError && first.error.code === 'paper-out', String(first.error));
    assert.match(first.error.message, /out of paper while printing/);
    assert.equal(vp.receipts.length, 1);
    assert.equal(vp.receipts[0]!.complete, false, 'the paper shows a receipt cut short');
    assert.match(vp.receipts[0]!.pngPath, /incomplete\.png$/);
    const kept = queue.unprinted();
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.state, 'failed');
    assert.equal(kept[0]!.lastErrorCode, 'paper-out');
    assert.deepEqual(Buffer.from(kept[0]!.bytes), Buffer.from(job));

    // Still out of paper: the reprint is refused before anything is sent.
    const again = await spooler.reprint(first.id);
    assert.equal(again.printed, false);
    assert.equal(vp.receipts.length, 1);

    vp.control('paper in');
    clock.advance(90_000);
    const re = await spooler.reprint(first.id);
    assert.equal(re.printed, true, String(re.error));
    assert.equal(queue.unprinted().length, 0);
    assert.equal(queue.get(first.id)!.attempts, 3);
    // Kept in the register's database (print_jobs), on the register's clock.
    assert.equal(getPrintJob(db, first.id)?.createdAt, '2026-03-01T10:00:00.000Z');
    assert.equal(getPrintJob(db, first.id)?.printedAt, '2026-03-01T10:01:30.000Z');
    const whole = vp.receipts[1]!;
    assert.equal(whole.complete, true);
    // The whole receipt again: its QR reads back exactly (no DataMatrix of a marking code is printed any more).
    const codes = decodeReceiptPng(readFileSync(whole.pngPath)).map((s) => [s.format, s.text]);
    assert.deepEqual(codes, [['qr', SAMPLE_TICKET_URL]]);
  });
});

describe('serial and device-file transports on a pty', () => {
  async function printVia(open: (path: string) => Promise<PrinterTransport>): Promise<void> {
    const dir = tempDir();
    const vp = new VirtualPrinter({ outDir: join(dir, 'out'), width: 58 });
    cleanups.push(() => vp.close());
    const path = await vp.openPty(join(dir, 'ttyPRN'));
    const t = await open(path);
    const p = new ReceiptPrinter(t, getProfile('epson-58'), { statusTimeoutMs: 2000 });
    try {
      await p.printReceipt(testReceipt());
    } finally {
      await p.close();
    }
    const saved = await new Promise<typeof vp.receipts[number]>((resolve) => {
      if (vp.receipts[0]) resolve(vp.receipts[0]);
      else vp.once('receipt', resolve);
    });
    const found = decodeReceiptPng(readFileSync(saved.pngPath));
    assert.ok(found.some((f) => f.format === 'qr' && f.text === SAMPLE_TICKET_URL), JSON.stringify(found));
    assert.ok(!found.some((f) => f.format === 'datamatrix'), 'no DataMatrix of the scanned code on a receipt');
    assert.ok(readFileSync(saved.textPath, 'utf8').includes('Ққ Ңң'));
  }

  test('serial (serialport) to the pty', () => printVia((path) => SerialTransport.open({ path, baudRate: 115200 })));
  test('device file (like /dev/usb/lp0) to the pty', () => printVia((path) => DeviceFileTransport.open(path)));
});
