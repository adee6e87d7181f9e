/**
 * Keyboard-wedge decoder (pure; used by the UI). A scanner in keyboard mode "types" a code
 * in a burst a few milliseconds per key; a person types slower. The decoder tells the two
 * apart by timing, rebuilds GS from Alt+numpad codes (Alt 0 2 9) and Ctrl+], and uses
 * KeyboardEvent.code (the physical key) to undo a keyboard layout that turned Latin letters
 * into Cyrillic ones. Every such change is reported as a repair; nothing is repaired silently.
 */

/** The fields of a KeyboardEvent the decoder needs (no DOM types required). */
export interface KeyRecord {
  type?: 'keydown' | 'keyup';
  key: string;
  code: string;
  /** Milliseconds, monotonic (KeyboardEvent.timeStamp). */
  timeStamp: number;
  altKey?: boolean;
  ctrlKey?: boolean;
  shiftKey?: boolean;
}

/** One change the decoder made to what the keys said. */
export interface WedgeRepair {
  kind: 'layout' | 'alt-code' | 'ctrl-gs' | 'gs-key';
  /** Index of the character in the decoded text. */
  index: number;
  /** What the keys said (the layout's character, the Alt digits, the key name). */
  from: string;
  to: string;
}

/** A scanner burst. */
export interface WedgeScan {
  kind: 'scan';
  /** The code with GS as 0x1D. */
  text: string;
  repairs: WedgeRepair[];
  /** Ended by Enter/Tab (true) or by a pause (false). */
  terminated: boolean;
  startedAt: number;
  endedAt: number;
  /** Mean milliseconds between key presses. */
  meanGapMs: number;
}

/** Keys a person typed: passed on unchanged (their layout is what they meant). */
export interface WedgeTyping {
  kind: 'typing';
  text: string;
  /** Enter/Tab that ended the input, if any. */
  terminator: string | null;
}

export type WedgeOutput = WedgeScan | WedgeTyping;

export interface WedgeOptions {
  /** A gap longer than this (ms) ends a burst. Default 50. */
  maxGapMs?: number;
  /** A burst needs at least this mean speed (ms between keys). Default 25. */
  maxMeanGapMs?: number;
  /** ...and at least this many characters. Default 8. */
  minLength?: number;
  /** Keys (KeyboardEvent.key) that end a code. Default Enter, Tab. */
  terminatorKeys?: readonly string[];
  /** Physical keys (KeyboardEvent.code) a scanner is set to send for GS, e.g. ['F8']. Default none. */
  gsKeys?: readonly string[];
}

const GS = '\x1d';

// US layout by physical key: [plain, shifted]. Scanners emulate a US keyboard by default.
const US: Record<string, [string, string]> = {
  Backquote: ['`', '~'], Minus: ['-', '_'], Equal: ['=', '+'], BracketLeft: ['[', '{'], BracketRight: [']', '}'],
  Backslash: ['\\', '|'], IntlBackslash: ['\\', '|'], Semicolon: [';', ':'], Quote: ["'", '"'], Comma: [',', '<'], Period: ['.', '>'],
  Slash: ['/', '?'], Space: [' ', ' '], NumpadDivide: ['/', '/'], NumpadMultiply: ['*', '*'], NumpadSubtract: ['-', '-'],
  NumpadAdd: ['+', '+'], NumpadDecimal: ['.', '.'],
};
'abcdefghijklmnopqrstuvwxyz'.split('').forEach((c) => { US[`Key${c.toUpperCase()}`] = [c, c.toUpperCase()]; });
')!@#$%^&*('.split('').forEach((s, d) => { US[`Digit${d}`] = [String(d), s]; US[`Numpad${d}`] = [String(d), String(d)]; });

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'ScrollLock', 'OS', 'Fn']);

interface Entry {
  /** What the key said in the current layout. */
  typed: string;
  /** What the same physical key means on a US keyboard, or null if unknown. */
  physical: string | null;
  repair?: Omit<WedgeRepair, 'index'>;
}

function checkOptions(o: WedgeOptions): Required<WedgeOptions> {
  const r = { maxGapMs: 50, maxMeanGapMs: 25, minLength: 8, terminatorKeys: ['Enter', 'Tab'], gsKeys: [] as string[], ...o };
  for (const k of ['maxGapMs', 'maxMeanGapMs', 'minLength'] as const) {
    if (!Number.isFinite(r[k]) || r[k] <= 0) throw new RangeError(`${k} must be a number > 0, got ${String(r[k])}`);
  }
  if (r.maxMeanGapMs > r.maxGapMs) throw new RangeError('maxMeanGapMs cannot exceed maxGapMs');
  if (!Array.isArray(r.terminatorKeys) || !Array.isArray(r.gsKeys)) throw new TypeError('terminatorKeys and gsKeys must be arrays of strings');
  return r;
}

/**
 * Streaming decoder: `push` each keydown/keyup; it returns what completed. Call `flush(now)`
 * from a timer (after maxGapMs of quiet) or at the end to complete a pending burst.
 */
export class WedgeDecoder {
  private readonly o: Required<WedgeOptions>;
  private entries: Entry[] = [];
  private times: number[] = [];
  private altDigits: string | null = null;

  constructor(options: WedgeOptions = {}) {
    this.o = checkOptions(options);
  }

  /** Feeds one key event. */
  push(ev: KeyRecord): WedgeOutput[] {
    if (ev === null || typeof ev !== 'object' || typeof ev.key !== 'string' || typeof ev.code !== 'string' || !Number.isFinite(ev.timeStamp)) {
      throw new TypeError('a key record needs key, code (strings) and timeStamp (number)');
    }
    const out: WedgeOutput[] = [];
    const last = this.times[this.times.length - 1];
    if (ev.type === 'keyup') {
      // Releasing Alt completes an Alt+numpad code.
      if (ev.key === 'Alt' && this.altDigits !== null) {
        const digits = this.altDigits;
        this.altDigits = null;
        if (digits !== '') {
          const ch = String.fromCharCode(parseInt(digits, 10) & 0xff);
          this.entries.push({ typed: ch, physical: ch, repair: { kind: 'alt-code', from: `Alt+${digits}`, to: ch } });
        }
      }
      return out;
    }
    if (last !== undefined && ev.timeStamp - last > this.o.maxGapMs) out.push(...this.close(null));
    this.times.push(ev.timeStamp);
    if (ev.key === 'Alt') { this.altDigits = ''; return out; }
    if (this.altDigits !== null && ev.altKey && /^Numpad\d$/.test(ev.code)) { this.altDigits += ev.code.slice(6); return out; }
    if (MODIFIERS.has(ev.key)) return out;
    if (this.o.terminatorKeys.includes(ev.key)) { out.push(...this.close(ev.key)); return out; }
    if (this.o.gsKeys.includes(ev.code)) { this.entries.push({ typed: GS, physical: GS, repair: { kind: 'gs-key', from: ev.code, to: GS } }); return out; }
    if (ev.ctrlKey && (ev.code === 'BracketRight' || ev.key === ']')) { this.entries.push({ typed: GS, physical: GS, repair: { kind: 'ctrl-gs', from: 'Ctrl+]', to: GS } }); return out; }
    if (ev.key === GS) { this.entries.push({ typed: GS, physical: GS }); return out; }
    if ([...ev.key].length !== 1) { this.times.pop(); return out; } // F-keys, arrows, Dead, Unidentified
    const us = US[ev.code];
    const upper = ev.key !== ev.key.toLowerCase();
    // The scanner presses Shift for what it means; CapsLock or the layout must not change that.
    const shifted = typeof ev.shiftKey === 'boolean' ? ev.shiftKey : upper;
    const physical = us ? us[shifted ? 1 : 0] : null;
    this.entries.push({ typed: ev.key, physical });
    return out;
  }

  /** Completes a pending burst if `now` is past the gap (or always without `now`). */
  flush(now?: number): WedgeOutput[] {
    const last = this.times[this.times.length - 1];
    if (last === undefined) return [];
    if (now !== undefined && now - last <= this.o.maxGapMs) return [];
    return this.close(null);
  }

  private close(terminator: string | null): WedgeOutput[] {
    const entries = this.entries;
    const times = this.times;
    this.entries = [];
    this.times = [];
    this.altDigits = null;
    if (entries.length === 0) return terminator ? [{ kind: 'typing', text: '', terminator }] : [];
    const span = times.length > 1 ? (times[times.length - 1] as number) - (times[0] as number) : Infinity;
    const meanGap = span / Math.max(1, times.length - 1);
    if (entries.length < this.o.minLength || !(meanGap <= this.o.maxMeanGapMs)) {
      return [{ kind: 'typing', text: entries.map((e) => e.typed).join(''), terminator }];
    }
    let text = '';
    const repairs: WedgeRepair[] = [];
    for (const e of entries) {
      if (e.repair) repairs.push({ ...e.repair, index: text.length });
      else if (e.physical !== null && e.physical !== e.typed) repairs.push({ kind: 'layout', index: text.length, from: e.typed, to: e.physical });
      text += e.physical ?? e.typed;
    }
    return [{ kind: 'scan', text, repairs, terminated: terminator !== null, startedAt: times[0] as number, endedAt: times[times.length - 1] as number, meanGapMs: meanGap }];
  }
}

/** Decodes a whole recorded key sequence; adjacent typing (keys a pause apart) is joined. */
export function decodeKeys(events: readonly KeyRecord[], options: WedgeOptions = {}): WedgeOutput[] {
  const d = new WedgeDecoder(options);
  const all: WedgeOutput[] = [];
  for (const ev of events) all.push(...d.push(ev));
  all.push(...d.flush());
  const out: WedgeOutput[] = [];
  for (const o of all) {
    const prev = out[out.length - 1];
    if (o.kind === 'typing' && prev?.kind === 'typing' && prev.terminator === null) {
      out[out.length - 1] = { kind: 'typing', text: prev.text + o.text, terminator: o.terminator };
    } else out.push(o);
  }
  return out;
}
