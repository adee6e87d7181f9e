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
  /**
   * The text of an earlier unterminated scan that this one continues: the keys resumed within
   * the rejoin window after a stall that had already ended the burst (a fragment). `text`
   * holds the whole code; the receiver drops what it did with the fragment.
   */
  continues?: string;
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
  /** A gap longer than this (ms) ends a person's typing (and a burst with no rhythm yet). Default 50. */
  maxGapMs?: number;
  /**
   * The longest stall (ms) tolerated inside a burst whose own rhythm is a scanner's (median key
   * gap ≤ maxMeanGapMs): a loaded machine delivers a scanner's keys with hiccups. Default 150.
   */
  stallMs?: number;
  /** Characters the scanner is set to send before each code (stripped; the burst is a scan whatever its timing). Default none. */
  prefix?: string;
  /** Characters the scanner is set to send after each code (stripped; they end the scan like Enter). Default none. */
  suffix?: string;
  /** A burst needs at least this speed: median ms between keys. Default 25. */
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
  const r = { maxGapMs: 50, stallMs: 150, maxMeanGapMs: 25, minLength: 8, terminatorKeys: ['Enter', 'Tab'], gsKeys: [] as string[], prefix: '', suffix: '', ...o };
  for (const k of ['maxGapMs', 'stallMs', 'maxMeanGapMs', 'minLength'] as const) {
    if (!Number.isFinite(r[k]) || r[k] <= 0) throw new RangeError(`${k} must be a number > 0, got ${String(r[k])}`);
  }
  if (r.maxMeanGapMs > r.maxGapMs) throw new RangeError('maxMeanGapMs cannot exceed maxGapMs');
  if (r.stallMs < r.maxGapMs) throw new RangeError('stallMs cannot be less than maxGapMs');
  if (typeof r.prefix !== 'string' || typeof r.suffix !== 'string') throw new TypeError('prefix and suffix must be strings');
  if (!Array.isArray(r.terminatorKeys) || !Array.isArray(r.gsKeys)) throw new TypeError('terminatorKeys and gsKeys must be arrays of strings');
  return r;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** An unterminated scan that a stall may have cut short. */
interface Fragment { text: string; repairs: WedgeRepair[]; endedAt: number }

/**
 * Streaming decoder: `push` each keydown/keyup; it returns what completed. Call `flush(now)`
 * from a timer (after `quietMs()` of quiet) or at the end to complete a pending burst.
 *
 * Framing follows the burst's own rhythm: keys a person types end at `maxGapMs`; a burst whose
 * median gap is a scanner's tolerates stalls up to `stallMs`; a configured prefix holds the
 * burst open until the suffix or Enter. An unterminated scan followed within twice the stall by
 * more keys at a scanner's pace is reported again, whole, with `continues` naming the fragment.
 */
export class WedgeDecoder {
  private readonly o: Required<WedgeOptions>;
  private entries: Entry[] = [];
  private times: number[] = [];
  private altDigits: string | null = null;
  private fragment: Fragment | null = null;
  /** A short piece at a scanner's pace that a stall ended: held back in case the rest follows. */
  private held: { entries: Entry[]; times: number[]; endedAt: number } | null = null;

  constructor(options: WedgeOptions = {}) {
    this.o = checkOptions(options);
  }

  /** Milliseconds of quiet that end the pending input, by its rhythm so far. */
  quietMs(): number {
    if (this.prefixed()) return this.o.stallMs * 4;
    const gaps = this.gaps();
    return gaps.length >= 2 && median(gaps) > this.o.maxMeanGapMs ? this.o.maxGapMs : this.o.stallMs;
  }

  /** True while the pending keys look like a scanner's burst (so Enter belongs to it, not to the page). */
  inBurst(): boolean {
    if (this.prefixed()) return true;
    const gaps = this.gaps();
    return this.entries.length >= Math.min(4, this.o.minLength) && median(gaps) <= this.o.maxMeanGapMs;
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
    if (last !== undefined && ev.timeStamp - last > this.quietMs()) out.push(...this.close(null));
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
    // A configured suffix ends the code as Enter would.
    if (this.o.suffix !== '' && (this.o.prefix === '' || this.prefixed()) && this.physicalText().endsWith(this.o.suffix)) out.push(...this.close(this.o.suffix));
    return out;
  }

  /** Completes a pending burst if `now` is past the quiet time (or always without `now`). */
  flush(now?: number): WedgeOutput[] {
    const last = this.times[this.times.length - 1];
    if (last === undefined) {
      // A held piece is typing once its rest can no longer come.
      const held = this.held;
      if (!held || (now !== undefined && now - held.endedAt <= this.heldWindow(held))) return [];
      this.held = null;
      return [{ kind: 'typing', text: held.entries.map((e) => e.typed).join(''), terminator: null }];
    }
    if (now !== undefined && now - last <= this.quietMs()) return [];
    return this.close(null);
  }

  private gaps(): number[] {
    return WedgeDecoder.gapsOf(this.times);
  }

  private physicalText(): string {
    return this.entries.map((e) => e.physical ?? e.typed).join('');
  }

  private prefixed(): boolean {
    return this.o.prefix !== '' && this.physicalText().startsWith(this.o.prefix);
  }

  /** Pieces of keys between stalls: gaps between consecutive key times. */
  private static gapsOf(times: readonly number[]): number[] {
    const g: number[] = [];
    for (let i = 1; i < times.length; i++) g.push((times[i] as number) - (times[i - 1] as number));
    return g;
  }

  /**
   * How long a held piece waits for its rest: a few keys at a scanner's pace are no person's
   * typing, so they wait four stalls; a single key waits two.
   */
  private heldWindow(held: { times: readonly number[] }): number {
    return (held.times.length >= 3 ? 4 : 2) * this.o.stallMs;
  }

  private scannerPace(gaps: readonly number[]): boolean {
    return gaps.length < 2 || median(gaps) <= this.o.maxMeanGapMs;
  }

  private close(terminator: string | null): WedgeOutput[] {
    const out: WedgeOutput[] = [];
    const prefixed = this.prefixed();
    let entries = this.entries;
    let times = this.times;
    const fragment = this.fragment;
    const held = this.held;
    this.entries = [];
    this.times = [];
    this.altDigits = null;
    this.fragment = null;
    this.held = null;
    const startedAt = times[0];
    // The start of a burst a stall cut off before it was long enough to be a scan: this piece
    // completes it if it comes soon at a scanner's pace.
    if (held && startedAt !== undefined && startedAt - held.endedAt <= this.heldWindow(held) && this.scannerPace(WedgeDecoder.gapsOf(times))) {
      entries = [...held.entries, ...entries];
      times = [...held.times, ...times];
    } else if (held) out.push({ kind: 'typing', text: held.entries.map((e) => e.typed).join(''), terminator: null });
    if (entries.length === 0) return terminator ? [...out, { kind: 'typing', text: '', terminator }] : out;
    const gaps = WedgeDecoder.gapsOf(times);
    const span = times.length > 1 ? (times[times.length - 1] as number) - (times[0] as number) : Infinity;
    const meanGap = span / Math.max(1, times.length - 1);
    const scannerPace = this.scannerPace(gaps);
    const firstAt = times[0] as number;
    // The rest of a scan a stall cut short: same pace, resumed soon after.
    const continues = fragment !== null && !prefixed && scannerPace && firstAt - fragment.endedAt <= 2 * this.o.stallMs;
    if (!prefixed && !continues && terminator === null && scannerPace && entries.length < this.o.minLength) {
      this.held = { entries, times, endedAt: times[times.length - 1] as number };
      return out;
    }
    if (!prefixed && !continues && (entries.length < this.o.minLength || gaps.length === 0 || !scannerPace)) {
      return [...out, { kind: 'typing', text: entries.map((e) => e.typed).join(''), terminator }];
    }
    let text = '';
    const repairs: WedgeRepair[] = [];
    for (const e of entries) {
      if (e.repair) repairs.push({ ...e.repair, index: text.length });
      else if (e.physical !== null && e.physical !== e.typed) repairs.push({ kind: 'layout', index: text.length, from: e.typed, to: e.physical });
      text += e.physical ?? e.typed;
    }
    if (prefixed) {
      const cut = this.o.prefix.length;
      const end = terminator === this.o.suffix && this.o.suffix !== '' ? text.length - this.o.suffix.length : text.length;
      text = text.slice(cut, end);
      for (let i = repairs.length - 1; i >= 0; i--) {
        const r = repairs[i] as WedgeRepair;
        if (r.index < cut || r.index >= end) repairs.splice(i, 1);
        else r.index -= cut;
      }
    }
    let scan: WedgeScan = { kind: 'scan', text, repairs, terminated: terminator !== null, startedAt: firstAt, endedAt: times[times.length - 1] as number, meanGapMs: meanGap };
    if (continues && fragment) {
      scan = {
        ...scan, text: fragment.text + text, continues: fragment.text, startedAt: fragment.endedAt - 1,
        repairs: [...fragment.repairs, ...repairs.map((r) => ({ ...r, index: r.index + fragment.text.length }))],
      };
    }
    if (!scan.terminated && !prefixed) this.fragment = { text: scan.text, repairs: scan.repairs, endedAt: scan.endedAt };
    return [...out, scan];
  }
}

/** Decodes a whole recorded key sequence; adjacent typing (keys a pause apart) is joined. */
export function decodeKeys(events: readonly KeyRecord[], options: WedgeOptions = {}): WedgeOutput[] {
  const d = new WedgeDecoder(options);
  const all: WedgeOutput[] = [];
  for (const ev of events) all.push(...d.push(ev));
  all.push(...d.flush());
  all.push(...d.flush()); // a piece held back for its rest
  const out: WedgeOutput[] = [];
  for (const o of all) {
    const prev = out[out.length - 1];
    if (o.kind === 'typing' && prev?.kind === 'typing' && prev.terminator === null) {
      out[out.length - 1] = { kind: 'typing', text: prev.text + o.text, terminator: o.terminator };
    } else out.push(o);
  }
  return out;
}
