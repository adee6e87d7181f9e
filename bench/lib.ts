/**
 * Small benchmark helpers. Every figure Tanba prints is a ratio against a baseline measured in
 * the same run on the same machine, so numbers from different machines stay comparable.
 */
import { performance } from 'node:perf_hooks';

/** Percentile (0..100) of an unsorted list of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Runs `fn` over `inputs` repeatedly for at least `minMs`, returns operations per second. */
export function throughput<T>(inputs: readonly T[], fn: (input: T) => unknown, minMs = 1000): number {
  if (inputs.length === 0) throw new Error('throughput of no inputs');
  // Warm up so the JIT has compiled both sides before we time them.
  for (let i = 0; i < Math.min(inputs.length, 2000); i++) fn(inputs[i] as T);
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const input of inputs) fn(input);
    ops += inputs.length;
    elapsed = performance.now() - start;
  }
  return (ops / elapsed) * 1000;
}

/** Per-call latencies in microseconds. */
export function latencies<T>(inputs: readonly T[], fn: (input: T) => unknown): number[] {
  const out: number[] = new Array<number>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const t0 = performance.now();
    fn(inputs[i] as T);
    out[i] = (performance.now() - t0) * 1000;
  }
  return out;
}

/** Prints one result line in a fixed, greppable format. */
export function report(name: string, fields: Record<string, string | number>): void {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`);
  console.log(`${name.padEnd(28)} ${parts.join('  ')}`);
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/** A benchmark module's default export. `quick` shortens runs (used by the smoke test). */
export type Bench = (options: { quick: boolean }) => Promise<void>;
