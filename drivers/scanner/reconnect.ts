/**
 * The scanners' one reconnect backoff (serial / USB CDC and HID POS): after a device is lost the
 * driver waits `initialMs`, then grows the wait by `factor` per failed reopen up to `maxMs`, and
 * starts again from `initialMs` once a reopen succeeds.
 */

/** Backoff between reopen attempts. */
export interface BackoffOptions {
  /** First delay, default 100 ms. */
  initialMs?: number;
  /** Largest delay, default 1000 ms. */
  maxMs?: number;
  /** Growth per failed attempt, default 2. */
  factor?: number;
}

const DEFAULTS = { initialMs: 100, maxMs: 1000, factor: 2 };

/**
 * Fills in the defaults and checks every number; throws a RangeError naming the bad option
 * (`reconnect.maxMs`, ...). `extra` are further non-negative numbers of the same option object
 * (the serial scanner's `watchMs`), checked and returned alongside.
 */
export function checkBackoff<E extends Record<string, number>>(r: BackoffOptions & Partial<E>, extra: E): Required<BackoffOptions> & E {
  const o = { ...DEFAULTS, ...extra, ...r } as Required<BackoffOptions> & E;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`reconnect.${k} must be a number >= 0, got ${String(v)}`);
  }
  if (o.initialMs < 1 || o.maxMs < o.initialMs) throw new RangeError('reconnect needs 1 <= initialMs <= maxMs');
  if (o.factor < 1) throw new RangeError('reconnect.factor must be >= 1');
  return o;
}

/** The wait before the next reopen: `delayMs`, grown by `failed()`, back to the start by `reset()`. */
export class ReconnectBackoff {
  private current: number;

  constructor(private readonly options: Required<BackoffOptions>) {
    this.current = options.initialMs;
  }

  /** How long to wait before the next attempt. */
  get delayMs(): number {
    return this.current;
  }

  /** A reopen failed: the next wait is longer (up to maxMs). */
  failed(): void {
    this.current = Math.min(this.options.maxMs, this.current * this.options.factor);
  }

  /** Connected: the next loss starts from the first delay again. */
  reset(): void {
    this.current = this.options.initialMs;
  }
}
