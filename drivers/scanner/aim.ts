/**
 * AIM symbology identifiers (ISO/IEC 15424): `]` + symbology letter + modifier, sent by a
 * scanner in front of the data when it is configured to. Kept as a table so an unknown
 * identifier is reported, not guessed.
 */

/** Known AIM identifiers and the symbology names Tanba uses for them. */
export const AIM_SYMBOLOGIES: Readonly<Record<string, string>> = {
  ']d0': 'datamatrix',
  ']d1': 'datamatrix',
  ']d2': 'gs1-datamatrix',
  ']d3': 'datamatrix',
  ']d4': 'datamatrix-eci',
  ']d5': 'gs1-datamatrix-eci',
  ']Q0': 'qr',
  ']Q1': 'qr',
  ']Q2': 'qr-eci',
  ']Q3': 'gs1-qr',
  ']Q4': 'gs1-qr-eci',
  ']Q5': 'qr',
  ']Q6': 'qr',
  ']C0': 'code128',
  ']C1': 'gs1-128',
  ']C2': 'code128',
  ']E0': 'ean-13',
  ']E1': 'ean-13-addon',
  ']E2': 'ean-13-addon',
  ']E3': 'ean-13-addon',
  ']E4': 'ean-8',
  ']e0': 'gs1-databar',
  ']A0': 'code39',
  ']I0': 'itf',
  ']I1': 'itf',
  ']L0': 'pdf417',
  ']L2': 'pdf417',
  ']z0': 'aztec',
  ']z1': 'aztec',
};

const AIM_RE = /^\][A-Za-z][0-9A-Za-z]$/;

/** True if the first three bytes of `bytes` look like an AIM identifier. */
export function hasAimPrefix(bytes: Uint8Array): boolean {
  if (bytes.length < 3 || bytes[0] !== 0x5d) return false;
  return AIM_RE.test(String.fromCharCode(bytes[0], bytes[1] as number, bytes[2] as number));
}

/** The symbology name for an AIM identifier such as `]d2`; unknown ones come back as `aim:]X9`. */
export function symbologyOf(aim: string): string {
  return AIM_SYMBOLOGIES[aim] ?? `aim:${aim}`;
}

/** Splits an AIM prefix off a frame: `{ aim, data }`, `aim` null when there is none. */
export function splitAim(bytes: Buffer): { aim: string | null; data: Buffer } {
  if (!hasAimPrefix(bytes)) return { aim: null, data: bytes };
  return { aim: bytes.subarray(0, 3).toString('latin1'), data: bytes.subarray(3) };
}
