/**
 * The dataset as status-feed lines (the NDJSON format of src/cache/feed.ts) and as a feed file.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Block, EmulatedAggregate, EmulatedCode, EmulatedProduct } from './dataset-spec.ts';

/** The feed line of a code. */
export function codeLine(c: EmulatedCode): string {
  const rec: Record<string, unknown> = { type: 'code', cis: c.cis, gtin: c.gtin, status: c.status };
  if (c.expires !== null) rec.expires = c.expires;
  if (c.mrp !== null) rec.mrp = c.mrp;
  return JSON.stringify(rec);
}

/** The feed line of a product. */
export function productLine(p: EmulatedProduct): string {
  const rec: Record<string, unknown> = { type: 'product', gtin: p.gtin, name: p.name, group: p.group, ai: p.ai };
  if (p.minPrice !== null) rec.minPrice = p.minPrice;
  rec.price = p.price;
  rec.unit = p.unit;
  return JSON.stringify(rec);
}

/** The feed line of a group pack (src/cache/feed.ts `aggregate`). */
export function aggregateLine(a: EmulatedAggregate): string {
  return JSON.stringify({ type: 'aggregate', code: a.sscc, contents: a.contents });
}

/** The feed line of a block or an unblock. */
export function blockLine(b: Block, on: boolean): string {
  const type = on ? 'block' : 'unblock';
  return JSON.stringify(b.kind === 'code' ? { type, cis: b.cis } : b.kind === 'gtin' ? { type, gtin: b.gtin } : { type, gtin: b.gtin, batch: b.batch });
}


/**
 * Writes the dataset's full snapshot as an NDJSON file (the same bytes `GET /feed/snapshot`
 * serves, cursor included), so a test or bench can compare the file and HTTP paths on one feed.
 * Returns the number of lines and bytes written.
 */
export function writeFeedFile(path: string, dataset: { snapshotLines(): Iterable<string> }): { lines: number; bytes: number } {
  const fd = openSync(path, 'w');
  let lines = 0;
  let bytes = 0;
  try {
    let chunk: string[] = [];
    let size = 0;
    const flush = (): void => {
      if (chunk.length === 0) return;
      const buf = Buffer.from(chunk.join(''));
      writeSync(fd, buf);
      bytes += buf.length;
      chunk = [];
      size = 0;
    };
    for (const line of dataset.snapshotLines()) {
      chunk.push(line, '\n');
      size += line.length + 1;
      lines++;
      if (size >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { lines, bytes };
}
