/**
 * The scan lane: scans, basket changes and payments run one after another in the order they
 * arrived, even though a scan awaits an online check in between, so the in-memory basket never
 * sees two of them interleaved.
 */

/** A queue of jobs run one at a time. */
export interface Lane {
  /** Runs `fn` after every job queued before it; its failure does not stop later jobs. */
  run<T>(fn: () => Promise<T> | T): Promise<T>;
  /** Resolves when every job queued so far has finished. */
  idle(): Promise<void>;
}

/** Creates an empty lane. */
export function createLane(): Lane {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(fn) {
      const next = tail.then(fn);
      tail = next.catch(() => undefined);
      return next;
    },
    async idle() {
      await tail;
    },
  };
}
