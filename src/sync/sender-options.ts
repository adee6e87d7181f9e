/**
 * The sender's options, checked up front: a bad value is a TypeError naming the option, thrown
 * by the factory before anything runs (not a loop that spins or never wakes later).
 */
import type { Clock } from '../clock.ts';
import type { OfdClient, RegInfoInput } from '../registry/index.ts';
import type { Db } from '../store/index.ts';
import type { SenderEvent } from './deliver.ts';

/** Options of createOutboxSender. */
export interface OutboxSenderOptions {
  db: Db;
  client: OfdClient;
  clock?: Clock;
  /** Called after every attempt; must not throw (errors are swallowed to keep delivering). */
  onStatus?: (event: SenderEvent) => void;
  /** Backoff after transient failures: baseMs * 2^(attempts-1), capped at maxMs, with jitter. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** The client's reconnect interval while offline (the sender does not wake earlier). Default 60 s. */
  reconnectIntervalMs?: number;
  /** Registration data sent with COMMAND_SYSTEM to lift a server block (15), 5.4. */
  regInfo?: RegInfoInput;
  /** The register's КГД registration number, sent in a return's parent_ticket (default: regInfo.kkm.fns_kkm_id). */
  kgdKkmId?: string;
  /** How long an e-receipt contact is kept after delivery (days). */
  contactRetentionDays?: number;
  /** Local time offset of the register for protocol DateTimes (default: the builders' UTC+5). */
  utcOffsetMinutes?: number;
  /** Jitter source (tests pass a seeded one). */
  random?: () => number;
  /** Idle re-check interval of the loop when nothing is due (new rows wake it via notify()). Default 30 s. */
  idleMs?: number;
  /**
   * The delivery lease (invariant 7). `ttlMs` (default 60 s) must exceed the OFD client's
   * transaction time: the lease is renewed before each row and every ttl/3 while sending.
   */
  lease?: { owner?: string; ttlMs?: number };
}

/** A positive finite number of ms, or a TypeError naming the option. */
function positiveMs(name: string, v: unknown): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) {
    throw new TypeError(`${name} must be a positive number of milliseconds, got ${String(v)}`);
  }
}

function fn(name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'function') throw new TypeError(`${name} must be a function, got ${typeof v}`);
}

/**
 * Checks the sender's options; throws a TypeError naming the first bad one (`backoff.baseMs`,
 * `idleMs`, `lease.ttlMs`, ...). Absent options take their defaults.
 */
export function checkSenderOptions(options: OutboxSenderOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('createOutboxSender needs an options object');
  if (typeof options.db?.prepare !== 'function') throw new TypeError('db must be an open database');
  if (typeof options.client?.send !== 'function') throw new TypeError('client must be an OFD client');
  if (options.clock !== undefined && typeof options.clock?.now !== 'function') throw new TypeError('clock must have a now() method');
  fn('onStatus', options.onStatus);
  fn('random', options.random);
  const backoff = options.backoff;
  if (backoff !== undefined && (typeof backoff !== 'object' || backoff === null)) throw new TypeError(`backoff must be an object { baseMs, maxMs }, got ${String(backoff)}`);
  positiveMs('backoff.baseMs', backoff?.baseMs);
  positiveMs('backoff.maxMs', backoff?.maxMs);
  if (backoff?.baseMs !== undefined && backoff.maxMs !== undefined && backoff.maxMs < backoff.baseMs) {
    throw new TypeError(`backoff.maxMs (${backoff.maxMs}) must not be below backoff.baseMs (${backoff.baseMs})`);
  }
  const reconnect = options.reconnectIntervalMs;
  if (reconnect !== undefined && !(typeof reconnect === 'number' && Number.isFinite(reconnect) && reconnect >= 0)) {
    throw new TypeError(`reconnectIntervalMs must be a number of milliseconds ≥ 0, got ${String(reconnect)}`);
  }
  positiveMs('idleMs', options.idleMs);
  positiveMs('lease.ttlMs', options.lease?.ttlMs);
  const owner = options.lease?.owner;
  if (owner !== undefined && (typeof owner !== 'string' || owner === '')) throw new TypeError(`lease.owner must be a non-empty string, got ${JSON.stringify(owner)}`);
  const days = options.contactRetentionDays;
  if (days !== undefined && !(typeof days === 'number' && Number.isFinite(days) && days >= 0)) {
    throw new TypeError(`contactRetentionDays must be a number of days ≥ 0, got ${String(days)}`);
  }
  const offset = options.utcOffsetMinutes;
  if (offset !== undefined && !(Number.isInteger(offset) && offset >= -720 && offset <= 840)) {
    throw new TypeError(`utcOffsetMinutes must be whole minutes from -720 to 840, got ${String(offset)}`);
  }
  if (options.regInfo !== undefined && (typeof options.regInfo !== 'object' || options.regInfo === null)) throw new TypeError('regInfo must be an object { kkm, org }');
}
