/** Small lookup tables: issuing country of a serial, GS1 prefix countries, AIM symbology identifiers. */

/** First character of the serial -> issuing EAEU country (ISO 3166 alpha-2). */
export const SERIAL_COUNTRY: Readonly<Record<string, string>> = {
  '1': 'AM',
  '2': 'BY',
  '3': 'KZ',
  '4': 'KG',
  '5': 'RU',
  E: 'RU',
};

export function countryOfSerial(serial: string | null): string | null {
  if (serial === null || serial.length === 0) return null;
  switch (serial.charCodeAt(0)) {
    case 49: return SERIAL_COUNTRY['1'] ?? null;
    case 50: return SERIAL_COUNTRY['2'] ?? null;
    case 51: return SERIAL_COUNTRY['3'] ?? null;
    case 52: return SERIAL_COUNTRY['4'] ?? null;
    case 53: return SERIAL_COUNTRY['5'] ?? null;
    case 69: return SERIAL_COUNTRY.E ?? null;
    default: return null;
  }
}

/**
 * Country of the GS1 prefix carried by a GTIN-14 (digits 2-4), or null. Informational: the GS1
 * prefix says which member organisation issued the number, not where goods were made.
 * 460-469 RU, 470 KG, 478 UZ, 481 BY, 485 AM, 487 KZ.
 */
export function gtinPrefixCountry(gtin14: string | null): string | null {
  if (gtin14 === null || gtin14.length !== 14) return null;
  const p = (gtin14.charCodeAt(1) - 48) * 100 + (gtin14.charCodeAt(2) - 48) * 10 + (gtin14.charCodeAt(3) - 48);
  if (p >= 460 && p <= 469) return 'RU';
  switch (p) {
    case 470: return 'KG';
    case 478: return 'UZ';
    case 481: return 'BY';
    case 485: return 'AM';
    case 487: return 'KZ';
    default: return null;
  }
}

/** AIM symbology identifiers (ISO/IEC 15424) -> symbology name. */
export const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  ']d0': 'datamatrix',
  ']d1': 'datamatrix',
  ']d2': 'gs1-datamatrix',
  ']d3': 'datamatrix',
  ']d4': 'datamatrix',
  ']d5': 'gs1-datamatrix',
  ']d6': 'datamatrix',
  ']Q0': 'qr',
  ']Q1': 'qr',
  ']Q2': 'qr',
  ']Q3': 'gs1-qr',
  ']Q4': 'qr',
  ']Q5': 'gs1-qr',
  ']Q6': 'qr',
  ']C0': 'code-128',
  ']C1': 'gs1-128',
  ']C2': 'code-128',
  ']C4': 'code-128',
  ']E0': 'ean-13',
  ']E1': 'ean-13',
  ']E2': 'ean-13',
  ']E3': 'ean-13',
  ']E4': 'ean-8',
  ']e0': 'gs1-databar',
  ']e1': 'gs1-composite',
  ']e2': 'gs1-composite',
  ']e3': 'gs1-composite',
  ']I0': 'itf',
  ']I1': 'itf-14',
  ']A0': 'code-39',
  ']J0': 'dotcode',
  ']J1': 'gs1-dotcode',
  ']z0': 'aztec',
  ']z1': 'aztec',
  ']z2': 'aztec',
  ']z3': 'aztec',
  ']L2': 'pdf417',
  ']X0': 'other',
};
