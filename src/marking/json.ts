/** The JSON object `tanba parse --json` prints for one code. */
import type { ParseResult } from './types.ts';

export function toJson(result: ParseResult): Record<string, unknown> {
  if (!result.ok) {
    const error: Record<string, unknown> = { code: result.error.code, message: result.error.message };
    if (result.error.detail !== undefined) error.detail = result.error.detail;
    return { ok: false, error };
  }
  return {
    ok: true,
    kind: result.kind,
    gtin: result.gtin,
    serial: result.serial,
    cis: result.cis,
    verificationKey: result.verificationKey,
    cryptoCode: result.cryptoCode,
    cryptoTail: result.cryptoTail,
    ais: { ...result.ais },
    country: result.country,
    symbology: result.symbology,
    aimPrefix: result.aimPrefix,
    repairs: result.repairs.map((r) => ({ code: r.code, message: r.message })),
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
    normalized: result.normalized,
    productGroup: result.productGroup,
    expiry: result.expiry,
    maxRetailPrice: result.maxRetailPrice,
    batch: result.batch,
    netWeightGrams: result.netWeightGrams,
    gtinPrefixCountry: result.gtinPrefixCountry,
    mrpCode: result.mrpCode,
    packFormat: result.packFormat,
  };
}
