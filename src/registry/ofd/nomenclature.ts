/**
 * National Catalogue (НКТ) lookups through COMMAND_NOMENCLATURE with a barcode (2.0.3), and the
 * catalogue line format Tanba reads and writes (NDJSON: `tanba catalog lookup` prints it,
 * `tanba catalog import` and the emulator's `--catalog` read it).
 */
import * as z from 'zod';
import { Command, NomenclatureResult, Result, type NomenclatureResponseMsg, type RequestMsg, type ResponseMsg } from './codec.ts';

/** VAT categories a catalogue line may name (the dated rate table is the checkout's). */
export const VAT_CATEGORIES = ['standard', 'medicines', 'periodicals', 'zero', 'none'] as const;

const candidateSchema = z.object({ ntin: z.string().min(1), title: z.string().min(1), titleKk: z.string().nullable().optional() });

/** One catalogue line: a barcode and what the catalogue says about it (one object per NDJSON line). */
export const catalogLineSchema = z.object({
  barcode: z.string().regex(/^\d{8,14}$/, 'a barcode is 8 to 14 digits (EAN / GTIN)'),
  found: z.boolean(),
  ntin: z.string().min(1).nullable().optional(),
  candidates: z.array(candidateSchema).optional(),
  title: z.string().min(1).nullable().optional(),
  titleKk: z.string().nullable().optional(),
  measureUnitCode: z.string().regex(/^\d{3,4}$/, 'an IS ESF unit code such as 796').nullable().optional(),
  isMarked: z.boolean().optional(),
  isSocial: z.boolean().optional(),
  source: z.string().optional(),
  reason: z.string().optional(),
  vat: z.enum(VAT_CATEGORIES).optional(),
  price: z.number().int().nonnegative().optional(),
}).superRefine((l, ctx) => {
  if (l.found && !l.ntin && (l.candidates ?? []).length === 0) ctx.addIssue({ code: 'custom', path: ['ntin'], message: 'a found product needs its ntin (or candidates)' });
});

/** A parsed catalogue line. */
export type CatalogLine = z.output<typeof catalogLineSchema>;

/** One product the catalogue lists for a barcode. */
export interface NomenclatureCandidate {
  ntin: string;
  title: string;
  titleKk: string | null;
  measureUnitCode: string | null;
  isMarked: boolean;
  isSocial: boolean;
}

/** The products of a catalogue line: its candidates, or the one product it names. */
export function candidatesOfLine(l: CatalogLine): NomenclatureCandidate[] {
  if (!l.found) return [];
  const base = { measureUnitCode: l.measureUnitCode ?? null, isMarked: l.isMarked ?? false, isSocial: l.isSocial ?? false };
  if (l.candidates && l.candidates.length > 0) return l.candidates.map((c) => ({ ...base, ntin: c.ntin, title: c.title, titleKk: c.titleKk ?? null }));
  return [{ ...base, ntin: l.ntin as string, title: l.title ?? l.barcode, titleKk: l.titleKk ?? null }];
}

/** COMMAND_NOMENCLATURE asking the catalogue about one barcode. */
export function buildNomenclatureLookup(barcode: string): RequestMsg {
  return { command: Command.NOMENCLATURE, nomenclature: { barcode } };
}

/** The OFD's answer to a lookup: the products for the barcode, or not found (result 18 / nomenclature result 3). */
export type NomenclatureAnswer = { found: true; candidates: NomenclatureCandidate[] } | { found: false };

/** Reads a nomenclature answer (elements of type ITEM with their 2.0.3 fields). */
export function nomenclatureAnswerOf(response: ResponseMsg): NomenclatureAnswer {
  if (response.result.result_code === Result.ELEMENT_NOT_FOUND_BY_BARCODE) return { found: false };
  const n = response.nomenclature;
  if (!n || n.result === NomenclatureResult.ELEMENT_NOT_FOUND_BY_BARCODE) return { found: false };
  const candidates = (n.elements ?? []).filter((e) => e.type === 1 && e.item?.ntin).map((e) => ({
    ntin: e.item?.ntin as string, title: e.title, titleKk: e.title_kk ?? null, measureUnitCode: e.item?.measure_unit_code ?? null,
    isMarked: e.item?.is_markedeac === true, isSocial: e.item?.is_social === true,
  }));
  return candidates.length > 0 ? { found: true, candidates } : { found: false };
}

/** The nomenclature part of an answer listing `candidates` for `barcode` (the emulator's side). */
export function nomenclatureResponseFor(barcode: string, candidates: readonly NomenclatureCandidate[]): NomenclatureResponseMsg {
  if (candidates.length === 0) return { version: 0, result: NomenclatureResult.ELEMENT_NOT_FOUND_BY_BARCODE };
  return {
    version: 1, result: NomenclatureResult.OK,
    elements: candidates.map((c, i) => ({
      type: 1, id: i + 1, title: c.title, ...(c.titleKk ? { title_kk: c.titleKk } : {}),
      item: {
        barcode, ntin: c.ntin, is_markedeac: c.isMarked, is_social: c.isSocial,
        ...(c.measureUnitCode ? { measure_unit_code: c.measureUnitCode } : {}),
      },
    })),
  };
}

/** Parses NDJSON catalogue text; a bad line is an error naming its line number and field. */
export function parseCatalogText(text: string, file = 'catalogue'): CatalogLine[] {
  const out: CatalogLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
    }
    const r = catalogLineSchema.safeParse(value);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Error(`${file}:${i + 1}: ${issue ? `${issue.path.join('.') || '(line)'}: ${issue.message}` : 'invalid'}`);
    }
    out.push(r.data);
  });
  return out;
}
