/**
 * The technician's Test scan (training mode): the code travels the emulated scanner's pty and
 * the real serial driver, and the frame that arrives from the training scanner is recognised as
 * a test frame — parsed and decided (online check, then the cache, as the till would) but never
 * put into a basket, so a cashier selling at the same time never sees it. The result goes back
 * to the technician who sent it.
 *
 * Every frame of the training scanner is a test frame: Test scan is the emulated scanner's only
 * sender. A frame nobody waits for any more (its request timed out) is still kept out of the
 * basket, and logged.
 */
import { getProduct, answerContext, type CodeChecker } from '../cache/index.ts';
import { parseCode, type ParseOptions } from '../marking/index.ts';
import type { MarkingChain } from '../registry/index.ts';
import { onlineCheck } from '../scan/online.ts';
import { TRAINING_SCANNER_ID, type Register } from '../register/index.ts';
import type { ScanEvent } from '../devices/index.ts';
import type { TestScanResult } from './contract/index.ts';
import { ServiceError } from './service-error.ts';

/** What {@link createTestFrames} needs. */
export interface TestFramesDeps {
  register: Pick<Register, 'db' | 'checker' | 'parseOptions' | 'markingChain'>;
  log: { warn(o: object, m: string): void };
  /** How long a Test scan waits for its frame to come back from the driver (default 10 s). */
  waitMs?: number;
}

/** Test frames in flight: the sender waits, the device events hand the frame over. */
export interface TestFrames {
  /** Waits for the next frame of the training scanner and decides it; `send` writes the code. */
  expect(send: () => Promise<number>): Promise<{ bytes: number; result: TestScanResult }>;
  /** A frame from the training scanner arrived: decided and handed to the oldest waiter. */
  arrived(data: string): void;
}

/** Parses and decides a code without touching any basket. */
export async function decideTestCode(
  deps: { db: Register['db']; checker: CodeChecker; parseOptions: ParseOptions; markingChain: MarkingChain | null }, code: string,
): Promise<TestScanResult> {
  const parsed = parseCode(code, deps.parseOptions);
  const cis = parsed.ok ? parsed.cis : null;
  const price = parsed.ok && parsed.gtin !== null ? getProduct(deps.db, parsed.gtin)?.price ?? null : null;
  const asked = await onlineCheck(deps.markingChain, code, { parseOptions: deps.parseOptions, budgetMs: deps.markingChain?.budgetMs ?? 1_500 });
  const r = deps.checker.check(parsed, { operation: 'sale', price, inBasket: false, ...answerContext(asked.online, cis) });
  const v = r.verdict;
  return {
    received: code,
    parsed: parsed.ok
      ? { ok: true, kind: parsed.kind, gtin: parsed.gtin, cis: parsed.cis, error: null }
      : { ok: false, kind: null, gtin: null, cis: null, error: { code: parsed.error.code, messages: parsed.error.messages } },
    verdict: {
      decision: v.decision, reason: v.reason, message: v.message, messages: v.messages, source: v.source, decidedBy: v.decidedBy ?? 'none',
    },
    product: r.product?.name ?? null,
  };
}

/** Creates the hand-over between Test scan and the training scanner's frames. */
export function createTestFrames(deps: TestFramesDeps): TestFrames {
  const waiters: { resolve(result: TestScanResult): void; reject(err: Error): void }[] = [];
  const waitMs = deps.waitMs ?? 10_000;
  const { register } = deps;
  return {
    async expect(send) {
      let take: { resolve(result: TestScanResult): void; reject(err: Error): void } = { resolve: () => undefined, reject: () => undefined };
      const arrived = new Promise<TestScanResult>((resolve, reject) => { take = { resolve, reject }; });
      waiters.push(take);
      const drop = (): void => { const i = waiters.indexOf(take); if (i >= 0) waiters.splice(i, 1); };
      // One deadline for the write and the frame's return: a scanner whose pty is gone never hangs the request.
      let timer: NodeJS.Timeout | undefined;
      let bytes: number | null = null;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ServiceError('TEST_SCAN_TIMEOUT', 504, bytes === null
          ? `the emulated scanner could not send within ${waitMs / 1000} s (its port is not open); see the scanner's state in Devices`
          : `the test frame was sent (${bytes} bytes) but the training scanner's driver did not deliver it within ${waitMs / 1000} s; see the scanner's state in Devices`)), waitMs);
      });
      try {
        bytes = await Promise.race([send(), timedOut]);
        // A pty plugged back in just now may take the bytes before the driver has reopened its end
        // (they are lost): not back by half the deadline, the frame is sent once more. A late
        // duplicate finds no waiter and is only logged — training-scanner frames never reach a basket.
        const half = new Promise<null>((resolve) => { setTimeout(() => resolve(null), waitMs / 2).unref(); });
        const first = await Promise.race([arrived, half, timedOut]);
        if (first !== null) return { bytes, result: first };
        await Promise.race([send().catch(() => undefined), timedOut]);
        return { bytes, result: await Promise.race([arrived, timedOut]) };
      } finally {
        clearTimeout(timer);
        drop();
      }
    },
    arrived(data) {
      const waiter = waiters.shift();
      void decideTestCode({ db: register.db, checker: register.checker, parseOptions: register.parseOptions, markingChain: register.markingChain }, data)
        .then((result) => {
          if (waiter) waiter.resolve(result);
          else deps.log.warn({ length: data.length }, 'a training-scanner frame arrived with no Test scan waiting; kept out of the basket');
        })
        .catch((err: unknown) => {
          deps.log.warn({ err: (err as Error).message }, 'a test frame could not be decided');
          waiter?.reject(new ServiceError('TEST_SCAN_FAILED', 500, `the test frame arrived but could not be decided: ${(err as Error).message}`));
        });
    },
  };
}

/** Test scan as the services offer it: the frame filter for the device events and the send. */
export function createTestScans(deps: { register: Pick<Register, 'db' | 'checker' | 'parseOptions' | 'markingChain' | 'trainingMode' | 'training'>; log: TestFramesDeps['log'] }): {
  testFrame(e: ScanEvent): boolean;
  testScan(code: string): Promise<{ deviceId: string; bytes: number; result: TestScanResult }>;
} {
  const { register } = deps;
  const frames = createTestFrames(deps);
  return {
    // The training scanner's only sender is Test scan: its frames are decided for the technician, never sold.
    testFrame(e) {
      if (!register.trainingMode || e.deviceId !== TRAINING_SCANNER_ID) return false;
      frames.arrived(e.data);
      return true;
    },
    async testScan(code) {
      if (!register.trainingMode) throw new ServiceError('NOT_TRAINING', 409, 'test scans go through the emulated scanner, which runs only in training mode');
      const scanner = register.training?.scanner ?? null;
      if (scanner === null) throw new ServiceError('NO_SCANNER', 409, 'the emulated scanner is not running (is socat installed?); see the logs');
      const { bytes, result } = await frames.expect(() => scanner.send(code).catch((err: unknown) => {
        throw new ServiceError('TEST_SCAN_SEND', 503, `the emulated scanner could not send: ${(err as Error).message}`);
      }));
      return { deviceId: TRAINING_SCANNER_ID, bytes, result };
    },
  };
}
