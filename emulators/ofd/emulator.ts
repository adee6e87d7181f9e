/**
 * An OFD emulator speaking protocol 2.0.2 over TCP, for tests, benchmarks, training and demos.
 *
 * It registers devices (id -> token), rotates the token on TICKET / CLOSE_SHIFT /
 * MONEY_PLACEMENT, enforces the token / REQNUM rules (1 unknown id, 2 wrong token, 8 same REQNUM
 * with another token, 9 same REQNUM and token with another command; same REQNUM, token and
 * command = a retry: the stored response is replayed and nothing is recorded twice), checks the
 * device's shift and document numbers (13 with a text), answers tickets with a ticket number and
 * a consumer.oofd.kz-style receipt URL, and keeps what it accepted in its OWN SQLite file.
 *
 * What "the previous request" of rules 8 / 9 and of a retry is: the device's last request that
 * could record something (TICKET, CLOSE_SHIFT, MONEY_PLACEMENT, REPORT). The service commands
 * SYSTEM and INFO record nothing and are answered afresh, so they do not replace it: a register
 * that sent COMMAND_SYSTEM with reg_info to get out of a server block (15, protocol 5.4) can then
 * resend the document it was retrying with its TOKEN and REQNUM and get the stored answer (5.1).
 *
 * Faults (set at start or at run time): latency, connection dropped before processing, dropped
 * after processing (lost response), 254 / 255, server block (15), malformed frames.
 *
 * The same port also answers a plain HTTP GET of the receipt URL (`/t?i=TICKET`) with the
 * accepted document as JSON, so the QR code on a training receipt leads somewhere real.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { FrameDecoder, type Frame } from '../../src/registry/ofd/index.ts';
import { createFaultState, parseControlLine } from './faults.ts';
import { processFrame, type ProtocolContext } from './protocol.ts';
import { emulatorQueries, openEmulatorDb, readEmulatorDocuments, readEmulatorRequests, toDocument, type DeviceRow, type DocumentRow } from './store.ts';
import type { EmulatorDeviceInit, OfdEmulator, OfdEmulatorOptions } from './types.ts';

export type { EmulatorDeviceInit, EmulatorDevice, EmulatorDocument, EmulatorRequestLog, OfdEmulator, OfdEmulatorOptions, OfdFaults } from './types.ts';
export { openEmulatorDb, readEmulatorDocuments } from './store.ts';
export { parseControlLine } from './faults.ts';

/** Starts the emulator; resolves once it listens. */
export async function startOfdEmulator(options: OfdEmulatorOptions): Promise<OfdEmulator> {
  const host = options.host ?? '127.0.0.1';
  const random = options.random ?? Math.random;
  const db = openEmulatorDb(options.dbPath);
  const faults = createFaultState(options.faults ?? {}, random);
  let port = 0;
  const sockets = new Set<Socket>();

  const q = emulatorQueries(db);

  function addDevice(d: EmulatorDeviceInit): void {
    q.addDevice.run(d.id, d.token >>> 0, d.shiftNumber ?? 1);
  }
  for (const d of options.devices ?? []) addDevice(d);

  const ctx: ProtocolContext = { q, faults, host, port: () => port, catalog: options.catalog ?? new Map() };
  const processTx = db.transaction((frame: Frame) => processFrame(ctx, frame));

  function garbage(): Buffer {
    // Alternates a wrong APPCODE and an absurd SIZE: both must be refused by the client's decoder.
    const buf = Buffer.alloc(24, 0x55);
    if (random() < 0.5) buf.writeUInt16LE(0xdead, 0);
    else { buf.writeUInt16LE(0x81a2, 0); buf.writeUInt32LE(0x7fffffff, 4); }
    return buf;
  }

  async function onFrame(socket: Socket, frame: Frame): Promise<void> {
    const latencyMs = faults.get().latencyMs;
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    if (socket.destroyed) return;
    if (faults.fire('dropBeforeNext', 'dropBefore')) { socket.destroy(); return; }
    if (faults.fire('malformedNext', 'malformed')) { socket.end(garbage()); return; }
    const bytes = processTx.immediate(frame);
    if (faults.fire('dropAfterNext', 'dropAfter')) { socket.destroy(); return; }
    socket.end(bytes);
  }

  function serveHttp(socket: Socket, head: string): void {
    const path = head.split(' ')[1] ?? '/';
    const url = new URL(path, `http://${host}`);
    const ticket = url.searchParams.get('i');
    const row = ticket ? (q.docByTicket.get(ticket) as DocumentRow | undefined) : undefined;
    const body = row ? JSON.stringify(toDocument(row)) : JSON.stringify({ error: `no ticket '${ticket ?? ''}'` });
    const status = row ? '200 OK' : '404 Not Found';
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const decoder = new FrameDecoder();
    let first = true;
    let httpHead = '';
    socket.on('data', (chunk: Buffer) => {
      if (first && chunk.subarray(0, 4).toString('latin1') === 'GET ') httpHead = ' ';
      first = false;
      if (httpHead !== '') {
        httpHead += chunk.toString('latin1');
        if (httpHead.includes('\r\n\r\n')) serveHttp(socket, httpHead.trim());
        return;
      }
      let frames: Frame[];
      try {
        frames = decoder.push(chunk);
      } catch {
        socket.destroy(); // not our protocol: nothing sensible to answer
        return;
      }
      for (const f of frames) {
        onFrame(socket, f).catch(() => socket.destroy());
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    host,
    get port() { return port; },
    setFaults: faults.set,
    updateFaults: faults.update,
    faults() { return { ...faults.get() }; },
    control(line) {
      if (line.trim() === 'status') return JSON.stringify({ faults: faults.get(), documents: (db.prepare('SELECT count(*) FROM documents').pluck().get() as number) });
      faults.set(parseControlLine(line, faults.get()));
      return `ok ${JSON.stringify(faults.get())}`;
    },
    addDevice,
    device(id) {
      const r = q.device.get(id) as DeviceRow | undefined;
      return r ? { id: r.id, token: r.token, shiftNumber: r.shift_number, lastPrintedDocumentNumber: r.last_printed, lastShiftDocumentNumber: r.last_shift_doc, lastReqNum: r.last_reqnum } : undefined;
    },
    documents() { return readEmulatorDocuments(db); },
    requests() { return readEmulatorRequests(db); },
    close() {
      return new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          db.close();
          resolve();
        });
      });
    },
  };
}

