/**
 * Tickets delivered per second to the OFD emulator over loopback (client state in a real SQLite
 * file with synchronous=FULL, emulator with its own file), as a ratio against a bare TCP
 * request/response loop with the SAME byte sizes and the same one-connection-per-request
 * pattern, measured in the same run. The ratio is what the protocol layer costs on top of TCP;
 * most of it is the two durable commits per request the token / REQNUM rules require (REQNUM
 * reserved before sending, token stored after the answer), each an fsync with synchronous=FULL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { allocateOfdDocumentNumbers, initOfdState, openDatabase } from '../src/store/index.ts';
import { FrameDecoder, createOfdClient, encodeFrame, encodeRequest, encodeResponse, exchange, type RequestMsg } from '../src/registry/index.ts';
import { ticketRequestOf } from '../test/helpers/ticket.ts';
import { startOfdEmulator } from '../emulators/index.ts';
import { report, type Bench } from './lib.ts';

const GS = '\x1d';
const STAMP = `0104600439931256215Kcz+sHv4vb_E${GS}91EE06${GS}92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;

const bench: Bench = async ({ quick }) => {
  const n = quick ? 30 : 600;
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-ofd-'));
  try {
    const db = openDatabase(join(dir, 'tanba.db'));
    initOfdState(db, { deviceId: 1, token: 1, now: new Date().toISOString() });
    const emu = await startOfdEmulator({ dbPath: join(dir, 'emu.db'), devices: [{ id: 1, token: 1 }] });
    const client = createOfdClient({ db, host: '127.0.0.1', port: emu.port, deviceId: 1, transactionTimeoutMs: 10_000 });
    const ticket = (): RequestMsg => {
      const nums = allocateOfdDocumentNumbers(db, 1, new Date().toISOString());
      return ticketRequestOf({
        dateTime: new Date().toISOString(), operator: { code: 1, name: 'Bench' },
        items: [
          { name: 'Cigarettes', sectionCode: '1', quantity: 1000, price: 120000, sum: 120000, exciseStamp: STAMP },
          { name: 'Water', sectionCode: '1', quantity: 2000, price: 25000, sum: 50000 },
        ],
        payments: [{ type: 'cash', sum: 170000 }], amounts: { total: 170000, taken: 200000, change: 30000 },
        shiftNumber: nums.shiftNumber, shiftDocumentNumber: nums.shiftDocumentNumber, printedDocumentNumber: nums.printedDocumentNumber,
      });
    };

    // Byte sizes of one real exchange, for the baseline.
    const sample = ticket();
    const requestFrame = encodeFrame({ version: 203, deviceId: 1, token: 1, reqNum: 1 }, encodeRequest(sample));
    const responseFrame = encodeFrame({ version: 203, deviceId: 1, token: 2, reqNum: 1 }, encodeResponse({
      command: 1, result: { result_code: 0 },
      ticket: { ticket_number: '100000000001', qr_code: Buffer.from(`http://127.0.0.1:${emu.port}/t?i=100000000001&f=1&s=1700.00&t=20250301T150000`) },
    }));
    const bare = createServer((socket) => {
      const decoder = new FrameDecoder();
      socket.on('data', (c: Buffer) => { if (decoder.push(c).length > 0) socket.end(responseFrame); });
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    const barePort = (bare.address() as AddressInfo).port;
    const opts = { host: '127.0.0.1', port: barePort, connectTimeoutMs: 5000, responseTimeoutMs: 5000 };

    for (let i = 0; i < Math.min(20, n); i++) await exchange(requestFrame, opts); // warm-up
    let t0 = performance.now();
    for (let i = 0; i < n; i++) await exchange(requestFrame, opts);
    const bareRps = n / ((performance.now() - t0) / 1000);

    for (let i = 0; i < Math.min(20, n); i++) await client.send(ticket()); // warm-up
    // Built (and numbered) beforehand: in Tanba that happens inside the sale's transaction, not at delivery.
    const tickets = Array.from({ length: n }, ticket);
    t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await client.send(tickets[i] as RequestMsg);
      if (r.kind !== 'ok') throw new Error(`ticket ${i} not delivered: ${JSON.stringify(r)}`);
    }
    const ofdRps = n / ((performance.now() - t0) / 1000);

    report('ofd tickets over loopback', {
      tickets: n, request_bytes: requestFrame.length, response_bytes: responseFrame.length,
      bare_tcp_per_s: bareRps, ofd_per_s: ofdRps, ratio: ofdRps / bareRps,
    });
    await new Promise<void>((r) => bare.close(() => r()));
    await emu.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
