/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + symbology letter + modifier, sent by a scanner
 * in front of the data when it is configured to. The one table of them: the scanner drivers name a
 * frame's symbology from it and the parser names a code's, so the two never disagree. ECI and
 * add-on modifiers do not change the symbology's name; FNC1 in the first position (GS1) does.
 */

/** Known AIM identifiers and the symbology names Tanba uses for them. */
export const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  ']d0': 'datamatrix', // ECC 000-140
  ']d1': 'datamatrix', // ECC 200
  ']d2': 'gs1-datamatrix', // ECC 200, FNC1 first: GS1
  ']d3': 'datamatrix', // ECC 200, FNC1 second: an AIM application, not GS1
  ']d4': 'datamatrix', // ECC 200 with ECI
  ']d5': 'gs1-datamatrix', // ECC 200 with ECI, FNC1 first
  ']d6': 'datamatrix', // ECC 200 with ECI, FNC1 second
  ']Q0': 'qr', // model 1
  ']Q1': 'qr',
  ']Q2': 'qr', // with ECI
  ']Q3': 'gs1-qr', // FNC1 first
  ']Q4': 'gs1-qr', // with ECI, FNC1 first
  ']Q5': 'qr', // FNC1 second: not GS1
  ']Q6': 'qr', // with ECI, FNC1 second
  ']C0': 'code-128',
  ']C1': 'gs1-128', // FNC1 first
  ']C2': 'code-128', // FNC1 second
  ']C4': 'code-128', // concatenated
  ']E0': 'ean-13', // EAN-13, UPC-A, UPC-E
  ']E1': 'ean-13', // with a 2-digit add-on
  ']E2': 'ean-13', // with a 5-digit add-on
  ']E3': 'ean-13', // with an add-on, one transmission
  ']E4': 'ean-8',
  ']e0': 'gs1-databar',
  ']e1': 'gs1-composite',
  ']e2': 'gs1-composite',
  ']e3': 'gs1-composite',
  ']I0': 'itf',
  ']I1': 'itf', // check digit checked and sent: any even length, not only ITF-14
  ']I3': 'itf', // check digit checked, not sent
  ']A0': 'code-39',
  ']J0': 'dotcode',
  ']J1': 'gs1-dotcode',
  ']L0': 'pdf417',
  ']L1': 'pdf417',
  ']L2': 'pdf417',
  ']z0': 'aztec',
  ']z1': 'aztec',
  ']z2': 'aztec',
  ']z3': 'aztec',
  ']X0': 'other',
};

/**
 * The symbology of an AIM identifier, undefined when unknown. The code character is
 * case-sensitive (']e0' GS1 DataBar, ']E0' EAN-13), so an exact match wins; a keyboard wedge with
 * Caps Lock on flips the case (']D2', ']q3'), so an identifier unknown as received is looked up
 * with its letter's case flipped.
 */
export function aimSymbology(aim: string): string | undefined {
  const exact = AIM_SYMBOLOGIES[aim];
  if (exact !== undefined || aim.length < 3) return exact;
  const c = aim.charCodeAt(1);
  const flipped = c >= 97 ? c - 32 : c + 32;
  return AIM_SYMBOLOGIES[aim[0] + String.fromCharCode(flipped) + aim.slice(2)];
}
