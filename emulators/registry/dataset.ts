/**
 * The emulated marking registry's data: a seeded, deterministic dataset of products, codes and
 * blocks, its change history (so deltas have content), and the NDJSON status feed built from it.
 *
 * Deterministic: the same seed, size and `today` give the same products, codes (as scanned, GS
 * kept), statuses, blocks, expiries and prices, byte for byte. Only the cursor's epoch differs
 * between runs, so a cursor of one emulator run is never mistaken for one of another.
 *
 * Codes are valid GS1 DataMatrix marking codes: GTIN-14 with the Kazakhstan prefix 487 and a
 * correct check digit, serials from CSET 82 starting with '3' (issued in Kazakhstan), lengths and
 * crypto tails per product group (7 + (93) for tobacco in GS1 form, 13 + (91)/(92) or (93)
 * otherwise, see src/marking/groups.ts), plus (17) expiry and (10) batch for medicines and (17)
 * for dairy, (8005) maximum retail price for tobacco. The types and group layouts are in
 * dataset-spec.ts, the feed lines in dataset-lines.ts.
 */
import { randomBytes } from 'node:crypto';
import { gs1CheckDigit } from '../../src/marking/index.ts';
import type { CheckResultWire } from '../../src/registry/marking/protocol.ts';
import {
  addDays, blockKey, EMULATED_GROUPS, GS, Rng, round100, seededRandom, SPECS, todayUtc,
  type Block, type DatasetOptions, type EmulatedAggregate, type EmulatedCode, type EmulatedGroup, type EmulatedProduct, type SampleCode,
  type SampleKind, type Status,
} from './dataset-spec.ts';
import { aggregateLine, blockLine, codeLine, productLine } from './dataset-lines.ts';

export * from './dataset-spec.ts';
export { writeFeedFile } from './dataset-lines.ts';


/**
 * The registry's state: catalogue, codes, blocks, and the history of changes since the
 * snapshot (each with a sequence number; the cursor is `<epoch>.<seq>`).
 */
export class RegistryDataset {
  readonly products = new Map<string, EmulatedProduct>();
  readonly codes = new Map<string, EmulatedCode>();
  readonly blocks = new Map<string, Block>();
  /** Group packs by SSCC. */
  readonly aggregates = new Map<string, EmulatedAggregate>();
  /** CIS in insertion order, for random picks. */
  private readonly cisList: string[] = [];
  private readonly productList: EmulatedProduct[] = [];
  private readonly history: { seq: number; line: string }[] = [];
  /** Lowest sequence number a delta can still start from. */
  private floor = 0;
  private seq = 0;
  readonly epoch: string;
  readonly today: string;
  private readonly historyLimit: number;
  private readonly mutationRng: Rng;
  private readonly codeRng: Rng;

  constructor(readonly options: DatasetOptions) {
    const count = options.codes ?? 10_000;
    if (!Number.isInteger(count) || count < 1 || count > 50_000_000) throw new RangeError(`codes must be 1..50000000, got ${count}`);
    if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be a whole number, got ${options.seed}`);
    this.today = options.today ?? todayUtc();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.today)) throw new RangeError(`today must be YYYY-MM-DD, got '${this.today}'`);
    this.epoch = options.epoch ?? randomBytes(4).toString('hex');
    if (!/^[0-9A-Za-z_-]{1,32}$/.test(this.epoch)) throw new RangeError(`epoch must be 1-32 of [0-9A-Za-z_-], got '${this.epoch}'`);
    this.historyLimit = options.historyLimit ?? 100_000;
    const seed = options.seed >>> 0;
    const rng = new Rng(seededRandom(seed));
    this.codeRng = rng;
    this.mutationRng = new Rng(seededRandom(seed ^ 0x9e3779b9));

    // Catalogue: ~1 product per 100 codes, at least one of every group.
    const productCount = Math.max(EMULATED_GROUPS.length, Math.min(5000, Math.ceil(count / 100)));
    const gtins = new Set<string>();
    for (let i = 0; i < productCount; i++) {
      const group = EMULATED_GROUPS[i % EMULATED_GROUPS.length] as EmulatedGroup;
      const spec = SPECS[group];
      let gtin: string;
      do {
        const body = `0487${rng.digits(9)}`;
        gtin = body + String(gs1CheckDigit(body));
      } while (gtins.has(gtin));
      gtins.add(gtin);
      const price = round100(rng.int(spec.price[0], spec.price[1]));
      const product: EmulatedProduct = {
        gtin,
        name: `${rng.pick(spec.names)} №${i + 1}`,
        group,
        // One product in twelve is labelled as made with AI (the seed law's label), never none.
        ai: i % 12 === 5,
        // Tobacco has a state minimum price; the emulator keeps it below every product price.
        minPrice: group === 'tobacco' ? round100(price * 0.85) : null,
        price,
        unit: spec.unit,
        batches: spec.batch ? [`B${rng.digits(6)}`, `B${rng.digits(6)}`, `B${rng.digits(6)}`] : [],
      };
      this.products.set(gtin, product);
      this.productList.push(product);
    }

    for (let i = 0; i < count; i++) {
      const product = this.productList[Math.floor(rng.next() * this.productList.length)] as EmulatedProduct;
      const r = rng.next();
      const status: Status = r < 0.8 ? 'in_circulation' : r < 0.9 ? 'sold' : r < 0.95 ? 'withdrawn' : 'not_introduced';
      this.addCode(this.makeCode(rng, product, status));
    }

    // Blocks: ~1 % of codes by code, one GTIN (a shoes product), one batch of a medicine.
    const blockCount = Math.max(1, Math.floor(count / 100));
    for (let i = 0; i < blockCount; i++) {
      const cis = this.cisList[Math.floor(rng.next() * this.cisList.length)] as string;
      this.setBlock({ kind: 'code', cis }, true);
    }
    const shoes = this.productList.find((p) => p.group === 'shoes');
    if (shoes !== undefined) this.setBlock({ kind: 'gtin', gtin: shoes.gtin }, true);
    const medicine = this.productList.find((p) => p.group === 'medicines');
    if (medicine !== undefined) this.setBlock({ kind: 'batch', gtin: medicine.gtin, batch: medicine.batches[0] as string }, true);

    // Group packs: the first sellable codes, 3 per pack, so a training scan of the SSCC sells them.
    const packs = options.aggregates ?? 2;
    if (!Number.isInteger(packs) || packs < 0 || packs > 1000) throw new RangeError(`aggregates must be 0..1000, got ${packs}`);
    const units = this.sample('sellable', packs * 3, { today: this.today }).map((c) => c.cis);
    for (let i = 0; i + 3 <= units.length; i += 3) {
      const body = `0487${String(i / 3 + 1).padStart(13, '0')}`;
      const sscc = body + String(gs1CheckDigit(body));
      this.aggregates.set(sscc, { sscc, code: `00${sscc}`, contents: units.slice(i, i + 3) });
    }
  }

  /** Builds a new code (not yet added) for `product`. */
  private makeCode(rng: Rng, product: EmulatedProduct, status: Status): EmulatedCode {
    const spec = SPECS[product.group];
    let cis: string;
    let serial: string;
    do {
      serial = `3${rng.cset(spec.serial - 1)}`;
      cis = `01${product.gtin}21${serial}`;
    } while (this.codes.has(cis));
    let expires: string | null = null;
    // About one in eight expired, the rest up to a year ahead.
    if (spec.expiry !== false) expires = addDays(this.today, rng.int(-60, 400));
    const batch = spec.batch ? rng.pick(product.batches) : null;
    let mrp: number | null = null;
    if (product.group === 'tobacco') {
      // MRP printed in the code; one in twenty below the shop's price (refused: price above MRP).
      mrp = rng.chance(0.05) ? round100(product.price * 0.9) : round100(product.price * (1 + rng.int(0, 15) / 100));
    }
    let code = cis + GS;
    if (expires !== null && spec.expiry !== false && spec.expiry.inCode) code += `17${expires.slice(2, 4)}${expires.slice(5, 7)}${expires.slice(8, 10)}`;
    if (batch !== null) code += `10${batch}${GS}`;
    if (mrp !== null) code += `8005${String(mrp).padStart(6, '0')}${GS}`;
    code += spec.crypto === '93' ? `93${rng.cset(4)}` : `91${rng.cset(4)}${GS}92${rng.cset(44)}`;
    return { cis, code, gtin: product.gtin, group: product.group, status, expires, mrp, batch };
  }

  private addCode(c: EmulatedCode): void {
    this.codes.set(c.cis, c);
    this.cisList.push(c.cis);
  }

  private setBlock(b: Block, on: boolean): void {
    if (on) this.blocks.set(blockKey(b), b);
    else this.blocks.delete(blockKey(b));
  }

  /** The current cursor. */
  cursor(): string {
    return `${this.epoch}.${this.seq}`;
  }

  /** Number of retained changes. */
  historySize(): number {
    return this.history.length;
  }

  private record(line: string): void {
    this.seq++;
    this.history.push({ seq: this.seq, line });
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.floor = (dropped[dropped.length - 1] as { seq: number }).seq;
    }
  }

  /** Forgets every retained change: deltas from any earlier cursor get 410 Gone (test hook). */
  compact(): void {
    this.history.length = 0;
    this.floor = this.seq;
  }

  /** The feed line of a code (the format of src/cache/feed.ts). */
  static codeLine = codeLine;
  static productLine = productLine;
  static aggregateLine = aggregateLine;
  static blockLine = blockLine;

  /**
   * The full snapshot, line by line (no newlines): a snapshot header, the catalogue, the codes,
   * the blocks, and the closing cursor. The cursor is taken first: a change made while the
   * snapshot streams may be in it already and is repeated by the next delta, which is harmless
   * because every record carries a whole state (last one wins).
   */
  *snapshotLines(): Generator<string> {
    const cursor = this.cursor();
    yield '{"type":"snapshot"}';
    for (const p of this.productList) yield RegistryDataset.productLine(p);
    for (const cis of this.cisList) {
      const c = this.codes.get(cis);
      if (c !== undefined) yield RegistryDataset.codeLine(c);
    }
    for (const b of [...this.blocks.values()]) yield RegistryDataset.blockLine(b, true);
    for (const a of this.aggregates.values()) yield RegistryDataset.aggregateLine(a);
    yield JSON.stringify({ type: 'cursor', cursor });
  }

  /**
   * The delta after `from`, line by line, or null when `from` is not a cursor of this registry
   * or older than the retained history (the caller must resync in full: 410 Gone).
   */
  deltaLines(from: string): string[] | null {
    const m = /^([0-9A-Za-z_-]{1,32})\.(\d{1,15})$/.exec(from);
    if (m === null || m[1] !== this.epoch) return null;
    const seq = Number(m[2]);
    if (seq < this.floor || seq > this.seq) return null;
    const lines = [JSON.stringify({ type: 'delta', from })];
    // History is ordered by seq: binary search would do, a linear scan from the end is enough.
    let i = this.history.length;
    while (i > 0 && (this.history[i - 1] as { seq: number }).seq > seq) i--;
    for (; i < this.history.length; i++) lines.push((this.history[i] as { line: string }).line);
    lines.push(JSON.stringify({ type: 'cursor', cursor: this.cursor() }));
    return lines;
  }

  /**
   * Applies `n` random changes (sales, withdrawals, new codes, blocks and unblocks, price
   * changes), each recorded for the next delta. Deterministic for a given seed and call sequence.
   */
  mutate(n: number): number {
    const rng = this.mutationRng;
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      const cis = this.cisList[Math.floor(rng.next() * this.cisList.length)] as string;
      const c = this.codes.get(cis) as EmulatedCode;
      if (r < 0.4) {
        c.status = c.status === 'in_circulation' ? 'sold' : 'in_circulation';
        this.record(RegistryDataset.codeLine(c));
      } else if (r < 0.5) {
        c.status = 'withdrawn';
        this.record(RegistryDataset.codeLine(c));
      } else if (r < 0.65) {
        const product = rng.pick(this.productList);
        const fresh = this.makeCode(this.codeRng, product, 'in_circulation');
        this.addCode(fresh);
        this.record(RegistryDataset.codeLine(fresh));
      } else if (r < 0.85) {
        const b: Block = { kind: 'code', cis };
        const on = !this.blocks.has(blockKey(b));
        this.setBlock(b, on);
        this.record(RegistryDataset.blockLine(b, on));
      } else if (r < 0.95) {
        const p = rng.pick(this.productList);
        p.price = round100(p.price * (1 + rng.int(-5, 10) / 100));
        if (p.minPrice !== null && p.minPrice > p.price) p.minPrice = p.price;
        this.record(RegistryDataset.productLine(p));
      } else {
        if (c.status === 'not_introduced') c.status = 'in_circulation';
        else c.status = 'not_introduced';
        this.record(RegistryDataset.codeLine(c));
      }
    }
    return n;
  }

  /** How a code is blocked, if it is. */
  blockedBy(c: { cis: string; gtin: string; batch: string | null }): 'code' | 'gtin' | 'batch' | null {
    if (this.blocks.has(`c|${c.cis}`)) return 'code';
    if (this.blocks.has(`g|${c.gtin}`)) return 'gtin';
    if (c.batch !== null && this.blocks.has(`b|${c.gtin}|${c.batch}`)) return 'batch';
    return null;
  }

  /**
   * The CIS of a code as scanned (AIM prefix, leading GS, bracket form tolerated) or of a bare
   * CIS; null when it is no marking code. A code whose separators were lost is matched against
   * the serial lengths in use, the way a registry that knows its codes would.
   */
  resolveCis(input: string): string | null {
    let s = input;
    if (s.startsWith(']') && s.length > 3) s = s.slice(3);
    while (s.startsWith(GS)) s = s.slice(1);
    if (s.startsWith('(01)')) {
      const g = /^\(01\)(\d{14})\(21\)([^(]+)/.exec(s);
      return g === null ? null : `01${g[1] as string}21${(g[2] as string).split(GS)[0] as string}`;
    }
    if (/^01\d{14}21/.test(s)) {
      const gs = s.indexOf(GS);
      if (gs !== -1) return s.slice(0, gs);
      for (const len of [13, 7]) {
        const candidate = s.slice(0, 18 + len);
        if (this.codes.has(candidate)) return candidate;
      }
      return s.length <= 18 + 20 ? s : s.slice(0, 31);
    }
    // Tobacco pack code (29 characters, no separators): the CIS is its first 21.
    if (/^\d{14}[\x21-\x7e]{15}$/.test(s)) return s.slice(0, 21);
    return null;
  }

  /** The online-check answer for one code. */
  checkOne(code: string): CheckResultWire {
    const cis = this.resolveCis(code);
    const c = cis === null ? undefined : this.codes.get(cis);
    if (cis === null || c === undefined) {
      return { code, cis, found: false, status: null, blocked: false, blockedBy: null, expires: null, mrp: null, minPrice: null, group: null };
    }
    const p = this.products.get(c.gtin);
    const by = this.blockedBy(c);
    return {
      code, cis, found: true, status: c.status, blocked: by !== null, blockedBy: by, expires: c.expires, mrp: c.mrp,
      minPrice: p?.minPrice ?? null, group: p?.group ?? c.group,
    };
  }

  private toSample(c: EmulatedCode, known: boolean): SampleCode {
    const p = this.products.get(c.gtin);
    return {
      code: c.code, cis: c.cis, gtin: c.gtin, group: c.group, status: known ? c.status : null, blockedBy: known ? this.blockedBy(c) : null,
      expires: known ? c.expires : null, mrp: c.mrp, price: p?.price ?? null, minPrice: p?.minPrice ?? null,
    };
  }

  /** Whether a code falls under a sample kind (expiry against `today`, YYYY-MM-DD). */
  matches(c: EmulatedCode, kind: SampleKind, today: string): boolean {
    const expired = c.expires !== null && c.expires < today;
    const p = this.products.get(c.gtin);
    const aboveMrp = c.mrp !== null && p !== undefined && p.price > c.mrp;
    switch (kind) {
      case 'sellable':
        return c.status === 'in_circulation' && this.blockedBy(c) === null && !expired && !aboveMrp
          && (p === undefined || p.minPrice === null || p.price >= p.minPrice);
      case 'blocked': return this.blockedBy(c) !== null;
      case 'expired': return expired;
      case 'above_mrp': return aboveMrp && c.status === 'in_circulation' && this.blockedBy(c) === null;
      case 'unknown': return false;
      default: return c.status === kind;
    }
  }

  /**
   * Up to `n` codes of a kind, in a stable order, skipping the first `offset` matches;
   * optionally of one product group. `unknown` gives valid codes the registry does not know.
   */
  sample(kind: SampleKind, n: number, options: { group?: string; offset?: number; today?: string } = {}): SampleCode[] {
    const out: SampleCode[] = [];
    const today = options.today ?? todayUtc();
    let skip = options.offset ?? 0;
    if (kind === 'unknown') {
      const candidates = options.group === undefined ? this.productList : this.productList.filter((p) => p.group === options.group);
      if (candidates.length === 0) return out;
      // A separate generator, so asking for unknown codes never changes the dataset.
      const rng = new Rng(seededRandom((this.options.seed >>> 0) ^ 0x5eed5eed));
      while (out.length < n) {
        const c = this.makeCode(rng, rng.pick(candidates), 'in_circulation');
        if (skip > 0) { skip--; continue; }
        out.push(this.toSample(c, false));
      }
      return out;
    }
    for (const cis of this.cisList) {
      if (out.length >= n) break;
      const c = this.codes.get(cis) as EmulatedCode;
      if (options.group !== undefined && c.group !== options.group) continue;
      if (!this.matches(c, kind, today)) continue;
      if (skip > 0) { skip--; continue; }
      out.push(this.toSample(c, true));
    }
    return out;
  }

  /** Up to `n` group packs (for `GET /admin/sample?kind=aggregate`), skipping the first `offset`. */
  sampleAggregates(n: number, offset = 0): EmulatedAggregate[] {
    return [...this.aggregates.values()].slice(offset, offset + n);
  }

  /** Counts for `GET /admin/stats`. */
  stats(): { products: number; codes: number; blocks: number; cursor: string; history: number } {
    return { products: this.products.size, codes: this.codes.size, blocks: this.blocks.size, cursor: this.cursor(), history: this.history.length };
  }
}

/** A seeded dataset (see {@link RegistryDataset}). */
export function generateDataset(options: DatasetOptions): RegistryDataset {
  return new RegistryDataset(options);
}
