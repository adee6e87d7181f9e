/**
 * One request, one TCP connection (what OFD clients do): connect, write the frame, read one
 * response frame (18 header bytes, then SIZE-18), close. Every failure is a TransportError
 * saying at which stage it happened, so the caller can tell "never reached the OFD" from "the
 * OFD may have processed it" — both are resent with the same TOKEN and REQNUM.
 */
import { createConnection } from 'node:net';
import { FrameDecoder, FrameError, type Frame } from './frame.ts';

/** Where an exchange failed. `response`: the request may have been processed (lost response). */
export type TransportStage = 'connect' | 'response';

/** A failed exchange. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(readonly stage: TransportStage, message: string) {
    super(message);
  }
}

/** Options of one exchange. */
export interface ExchangeOptions {
  host: string;
  port: number;
  /** Milliseconds to establish the TCP connection. */
  connectTimeoutMs: number;
  /** Milliseconds from the connection to the complete response frame. */
  responseTimeoutMs: number;
}

/** Sends `frame` on a fresh connection and resolves with the first complete response frame. */
export function exchange(frame: Uint8Array, options: ExchangeOptions): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: options.host, port: options.port });
    const decoder = new FrameDecoder();
    let connected = false;
    let settled = false;
    const finish = (err: Error | null, result?: Frame): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(result as Frame);
    };
    let timer = setTimeout(() => finish(new TransportError('connect', `no TCP connection to ${options.host}:${options.port} within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    socket.setNoDelay(true);
    socket.once('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => finish(new TransportError('response', `no complete response from ${options.host}:${options.port} within ${options.responseTimeoutMs} ms`)), options.responseTimeoutMs);
      socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        const frames = decoder.push(chunk);
        if (frames.length > 0) finish(null, frames[0]);
      } catch (err) {
        const msg = err instanceof FrameError ? `malformed response: ${err.message}` : String(err);
        finish(new TransportError('response', msg));
      }
    });
    socket.on('error', (err) => {
      finish(new TransportError(connected ? 'response' : 'connect', `${connected ? 'connection lost' : 'cannot connect'} to ${options.host}:${options.port}: ${err.message}`));
    });
    socket.on('close', () => {
      finish(new TransportError(connected ? 'response' : 'connect', connected
        ? `connection to ${options.host}:${options.port} closed before a complete response (${decoder.buffered} bytes received)`
        : `connection to ${options.host}:${options.port} closed`));
    });
  });
}
