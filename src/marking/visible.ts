/** Printable forms for technicians: GS shown as <GS>, other control characters by name. */

const NAMES: Record<number, string> = { 0x1d: '<GS>', 0x1e: '<RS>', 0x04: '<EOT>', 0x0d: '<CR>', 0x0a: '<LF>', 0x09: '<TAB>', 0x1c: '<FS>' };

/** The text with GS as '<GS>' (and CR, LF, RS, EOT, other C0 controls, DEL and the C1 controls visible too). */
export function visibleGs(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c > 0x9f) continue;
    out += text.slice(last, i) + (NAMES[c] ?? `<0x${c.toString(16).toUpperCase().padStart(2, '0')}>`);
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Device bytes for technicians: GS as <GS>, printable ASCII as is, any other byte as <xx> (hex). */
export function visibleBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x1d) out += '<GS>';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `<${b.toString(16).padStart(2, '0')}>`;
  }
  return out;
}

/**
 * Text for a terminal: each line through {@link visibleGs}, so no control or escape byte from a
 * feed file, a code or a device (ESC sequences that move the cursor, retitle the window or
 * rewrite what was shown) reaches the terminal raw. Line breaks stay line breaks. Every `tanba`
 * command writes through this (src/cli/types.ts `write`).
 */
export function visibleLines(text: string): string {
  return text.split('\n').map(visibleGs).join('\n');
}
