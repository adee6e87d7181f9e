/**
 * `tanba catalog lookup|import|choose`: the National Catalogue (НКТ) as the register sees it.
 * lookup prints one JSON object per barcode per line (the same NDJSON `import` and the OFD
 * emulator's `--catalog` read); import loads such a file from head office into the local table;
 * choose remembers which of several NTINs this store sells a barcode under.
 */
import { readFileSync } from 'node:fs';
import { parseCatalogText } from '../registry/index.ts';
import type { CatalogResult } from '../sync/index.ts';
import { openRegister } from './register.ts';
import { UsageError, write, type Command, type CliContext } from './types.ts';
import { looksLikeCsv, parseStoreProductsCsv } from './catalog-csv.ts';
import { upsertStoreProducts } from '../store/index.ts';

/** The JSON line of one answer (the contract's field order). */
export function catalogJson(r: CatalogResult): Record<string, unknown> {
  if (!r.found) return { barcode: r.barcode, found: false, reason: r.reason ?? 'not in the National Catalogue', source: r.source };
  return {
    barcode: r.barcode, found: true, ntin: r.ntin, candidates: r.candidates.map((c) => ({ ntin: c.ntin, title: c.title, titleKk: c.titleKk })),
    title: r.title ?? r.candidates[0]?.title ?? null, titleKk: r.titleKk ?? r.candidates[0]?.titleKk ?? null,
    measureUnitCode: r.measureUnitCode, isMarked: r.isMarked, isSocial: r.isSocial, source: r.source,
    ...(r.vat ? { vat: r.vat } : {}), ...(r.needsChoice ? { needsChoice: true } : {}),
  };
}

export const catalogLookupCommand: Command = {
  async run(ctx, args) {
    if (args.positionals.length === 0) throw new UsageError('give at least one BARCODE (8 to 14 digits)');
    for (const b of args.positionals) if (!/^\d{8,14}$/.test(b)) throw new UsageError(`'${b}' is not a barcode: 8 to 14 digits (EAN / GTIN)`);
    const reg = openRegister(ctx);
    try {
      for (const barcode of args.positionals) {
        const r = await reg.catalog.lookup(barcode);
        await write(ctx.stdout, `${JSON.stringify(catalogJson(r))}\n`);
      }
      return 0;
    } finally {
      reg.close();
    }
  },
};

export const catalogImportCommand: Command = {
  async run(ctx, args) {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one FILE');
    const file = args.positionals[0] as string;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (looksLikeCsv(file, text)) return importStoreCsv(ctx, file, text);
    let lines;
    try {
      lines = parseCatalogText(text, file);
    } catch (err) {
      // Nothing is stored from a file with a bad line: fix it and import again.
      await write(ctx.stderr, `tanba: ${(err as Error).message} — nothing imported\n`);
      return 1;
    }
    const reg = openRegister(ctx);
    try {
      const n = reg.catalog.importLines(lines);
      await write(ctx.stdout, `imported ${n} barcode${n === 1 ? '' : 's'} from ${file}\n`);
      return 0;
    } finally {
      reg.close();
    }
  },
};

export const catalogChooseCommand: Command = {
  async run(ctx, args) {
    const [barcode, ntin] = args.positionals;
    if (args.positionals.length !== 2 || barcode === undefined || ntin === undefined || !/^\d{8,14}$/.test(barcode)) throw new UsageError('give BARCODE NTIN');
    const reg = openRegister(ctx);
    try {
      if (!reg.catalog.choose(barcode, ntin)) {
        await write(ctx.stderr, `tanba: ${ntin} is not one of the NTINs stored for ${barcode}: run tanba catalog lookup ${barcode} first\n`);
        return 1;
      }
      await write(ctx.stdout, `${barcode}: sold under NTIN ${ntin}\n`);
      return 0;
    } finally {
      reg.close();
    }
  },
};

/** A CSV price list: the store's own products (name, price, by the piece or by the kg). */
async function importStoreCsv(ctx: CliContext, file: string, text: string): Promise<number> {
  let products;
  try {
    products = parseStoreProductsCsv(text, file, '');
  } catch (err) {
    // Nothing is stored from a file with a bad row: fix it and import again.
    await write(ctx.stderr, `tanba: ${(err as Error).message} — nothing imported\n`);
    return 1;
  }
  const reg = openRegister(ctx);
  try {
    const at = reg.clock.now().toISOString();
    const n = upsertStoreProducts(reg.db, products.map((p) => ({ ...p, updatedAt: at })));
    await write(ctx.stdout, `imported ${n} product${n === 1 ? '' : 's'} into the store's price list from ${file}\n`);
    return 0;
  } finally {
    reg.close();
  }
}
