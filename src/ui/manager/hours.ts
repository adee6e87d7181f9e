/** Pure helpers of the manager's charts (unit-tested). */

const HOUR_MS = 3_600_000;

/**
 * One row per UTC hour from `from` to `to` (the stats window), with the server's rows where it
 * has them and zeros elsewhere, so a quiet hour shows as a gap and not as a missing bar. At most
 * `max` hours (the newest) are kept.
 */
export function hourSlots<K extends string>(from: string, to: string, rows: ReadonlyArray<{ hour: string } & Record<K, number>>, keys: readonly K[], max = 48): Array<{ hour: string } & Record<K, number>> {
  const start = Math.floor(Date.parse(from) / HOUR_MS) * HOUR_MS;
  const end = Date.parse(to);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return [...rows];
  const byHour = new Map(rows.map((r) => [Math.floor(Date.parse(r.hour) / HOUR_MS) * HOUR_MS, r]));
  const out: Array<{ hour: string } & Record<K, number>> = [];
  for (let t = Math.max(start, Math.floor(end / HOUR_MS) * HOUR_MS - (max - 1) * HOUR_MS); t <= end; t += HOUR_MS) {
    const row = byHour.get(t);
    const filled = { hour: new Date(t).toISOString() } as { hour: string } & Record<K, number>;
    for (const k of keys) (filled as Record<K, number>)[k] = row ? row[k] : 0;
    out.push(filled);
  }
  return out;
}
