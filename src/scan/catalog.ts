/**
 * The National Catalogue answer for a scan: the product's barcode (the GTIN inside a marking
 * code, or the EAN itself) looked up through the register's catalogue within its budget. A
 * register with no OFD to ask (the CLI in training mode) uses the local table only.
 */
import type { CatalogFacts } from '../checkout/index.ts';
import { parseCode } from '../marking/index.ts';
import type { Register } from '../register/index.ts';

/** The catalogue facts for a scanned code, or null when it names no product barcode (a group pack, an unreadable code). */
export async function catalogFactsFor(register: Pick<Register, 'catalog' | 'parseOptions' | 'trainingMode' | 'training'>, code: string): Promise<CatalogFacts | null> {
  const parsed = parseCode(code, register.parseOptions);
  if (!parsed.ok || parsed.gtin === null || (parsed.cis === null && parsed.kind !== 'ean')) return null;
  try {
    // No OFD anywhere (the CLI in training mode): nothing to ask, the table decides.
    if (register.trainingMode && register.training === null) return register.catalog.local(parsed.gtin) ?? { found: false, ntin: null, candidates: [], title: null, titleKk: null, measureUnitCode: null, reason: 'catalogue unavailable' };
    return await register.catalog.lookup(parsed.gtin);
  } catch {
    return null;
  }
}
