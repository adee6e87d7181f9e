/** Small lookup tables: issuing country of a serial, GS1 prefix countries (AIM identifiers: aim.ts). */

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
