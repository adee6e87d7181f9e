/**
 * One protocol transaction (5.1): the same frame is sent, reconnecting after drops, timeouts,
 * malformed answers and 254/255, until a usable answer arrives or the transaction time runs out.
 */
import * as z from 'zod';
import { OfdCodecError, Result, decodeResponse, type ResponseMsg } from './codec.ts';
import { TransportError, exchange } from './transport.ts';

const responseCheck = z.object({
  command: z.number().int(),
  result: z.object({ result_code: z.number().int().nonnegative(), result_text: z.string().optional() }),
  ticket: z.object({ ticket_number: z.string().min(1), qr_code: z.instanceof(Uint8Array).optional() }).optional(),
  service: z.object({ ticket_ads: z.array(z.object({ info: z.object({ type: z.number() }), text: z.string() })).optional() }).loose().optional(),
}).loose();

const TRANSIENT_CODES: ReadonlySet<number> = new Set([Result.SERVICE_TEMPORARILY_UNAVAILABLE, Result.UNKNOWN_ERROR]);

/** Where and how long. */
export interface TransactionOptions {
  host: string;
  port: number;
  deviceId: number;
  reqNum: number;
  /** Total time, resends included. */
  transactionMs: number;
  /** TCP connect timeout per attempt (never beyond the time left). */
  connectMs: number;
  /** Pause between resends. */
  retryDelayMs: number;
}

/** How a transaction ended. */
export type TransactionResult =
  | { kind: 'answer'; response: ResponseMsg; token: number }
  /** No usable answer in time: the first failure's time and what went wrong. */
  | { kind: 'failed'; firstFailureAt: string | null; reason: string };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs one transaction. `frame()` gives the bytes of each attempt (the offline period's end time
 * is refreshed per attempt); `now()` stamps the first failure.
 */
export async function runTransaction(options: TransactionOptions, frame: () => Uint8Array, now: () => string): Promise<TransactionResult> {
  const { host, port, deviceId, reqNum, transactionMs } = options;
  const started = performance.now();
  let firstFailureAt: string | null = null;
  let firstReason: string | null = null;
  let lastReason = 'no attempt made';
  for (let attempt = 0; ; attempt++) {
    const remaining = transactionMs - (performance.now() - started);
    if (attempt > 0 && remaining <= 0) break;
    const bytes = frame();
    const budget = Math.max(1, remaining);
    try {
      const reply = await exchange(bytes, { host, port, connectTimeoutMs: Math.min(options.connectMs, budget), responseTimeoutMs: budget });
      if (reply.header.deviceId !== deviceId || reply.header.reqNum !== reqNum) {
        throw new TransportError('response', `response header is for device ${reply.header.deviceId} REQNUM ${reply.header.reqNum}, expected ${deviceId} / ${reqNum}`);
      }
      let response: ResponseMsg;
      try {
        response = decodeResponse(reply.payload);
        const check = responseCheck.safeParse(response);
        if (!check.success) throw new OfdCodecError(`unexpected response shape: ${check.error.issues[0]?.message ?? 'invalid'}`);
      } catch (err) {
        throw new TransportError('response', `malformed response: ${(err as Error).message}`);
      }
      const code = response.result.result_code;
      if (TRANSIENT_CODES.has(code)) {
        throw new TransportError('response', `OFD answered ${code} (${response.result.result_text ?? 'temporarily unavailable'})`);
      }
      return { kind: 'answer', response, token: reply.header.token };
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      firstFailureAt ??= now();
      firstReason ??= err.message;
      lastReason = err.message;
      const left = transactionMs - (performance.now() - started);
      if (left <= 0) break;
      await sleep(Math.min(options.retryDelayMs, left));
    }
  }
  // The first failure says what went wrong (254, a drop); the last may only be the budget running out.
  const why = firstReason === null || firstReason === lastReason ? lastReason : `${firstReason}; last attempt: ${lastReason}`;
  return { kind: 'failed', firstFailureAt, reason: why };
}
