/**
 * Waiting for what a device or process does, instead of sleeping a fixed time: a test resumes the
 * moment the event it needs happens, and a hang fails with a message naming what never came.
 */
import type { EventEmitter } from 'node:events';

/**
 * Resolves with the arguments of the first `event` that `accept` takes (any, by default).
 * Listen BEFORE causing the event: `const scanned = nextEvent(m, 'scan'); device.send(...); await scanned`.
 * `timeoutMs` only turns a hang into a failure; it is no assertion about speed.
 */
export function nextEvent<A extends unknown[]>(
  emitter: Pick<EventEmitter, 'on' | 'off'>,
  event: string,
  accept: (...args: A) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      if (!accept(...(args as A))) return;
      done();
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no '${event}' event that the test accepts came within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      emitter.off(event, listener);
    };
    emitter.on(event, listener);
  });
}
