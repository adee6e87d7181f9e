/**
 * Conversions between Tanba's storage units and the protocol's:
 * - money: integer minor units (tiyn, 100 per tenge) <-> Money {bills, coins};
 * - time: UTC ISO-8601 <-> DateTime in the register's local wall-clock time;
 * - quantity: thousandths (the protocol's unit: 1000 == 1.0).
 */
import type { DateTimeMsg, MoneyMsg } from './codec.ts';

/**
 * Kazakhstan's single time zone since 2024-03-01 is UTC+5. The protocol's DateTime carries no
 * zone and the server stores it "as received, without regard to the time zone" (2.0.2, 4.1), so
 * we send the local wall-clock time printed on the receipt.
 */
export const KZ_UTC_OFFSET_MINUTES = 300;

/** Integer minor units -> Money. Refuses fractions, negatives and unsafe integers (no floats). */
export function toMoney(minor: number): MoneyMsg {
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new RangeError(`money must be a non-negative whole number of tiyn, got ${minor}`);
  }
  return { bills: Math.floor(minor / 100), coins: minor % 100 };
}

/** Money -> integer minor units. Accepts bills as a decimal string (as decoded) or a number. */
export function fromMoney(money: MoneyMsg): number {
  const bills = BigInt(money.bills);
  const coins = BigInt(money.coins);
  if (coins < 0n || coins > 99n) throw new RangeError(`Money.coins must be 0..99, got ${money.coins}`);
  const minor = bills * 100n + coins;
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Money ${money.bills}.${money.coins} is too large`);
  return Number(minor);
}

/** Formats minor units as "1234.50" (URLs, messages). */
export function formatMinor(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** A UTC ISO-8601 time -> protocol DateTime in local time at `offsetMinutes` east of UTC. */
export function toDateTime(isoUtc: string, offsetMinutes = KZ_UTC_OFFSET_MINUTES): DateTimeMsg {
  const ms = Date.parse(isoUtc);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 time: '${isoUtc}'`);
  const local = new Date(ms + offsetMinutes * 60_000);
  return {
    date: { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() },
    time: { hour: local.getUTCHours(), minute: local.getUTCMinutes(), second: local.getUTCSeconds() },
  };
}

/** Protocol DateTime (local at `offsetMinutes`) -> UTC ISO-8601. */
export function fromDateTime(dt: DateTimeMsg, offsetMinutes = KZ_UTC_OFFSET_MINUTES): string {
  const ms = Date.UTC(dt.date.year, dt.date.month - 1, dt.date.day, dt.time.hour, dt.time.minute, dt.time.second ?? 0);
  return new Date(ms - offsetMinutes * 60_000).toISOString();
}

/**
 * Quantity in thousandths as the protocol wants it ("1000 == 1.0, 2500 == 2.5"). Tanba's lines
 * already carry thousandths; this only checks the range (uint32 limited to the signed maximum).
 */
export function toQuantity(thousandths: number): number {
  if (!Number.isSafeInteger(thousandths) || thousandths <= 0 || thousandths > 0x7fffffff) {
    throw new RangeError(`quantity must be a positive whole number of thousandths up to 2147483647, got ${thousandths}`);
  }
  return thousandths;
}
