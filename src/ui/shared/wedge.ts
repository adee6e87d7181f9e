/**
 * Binds the keyboard-wedge decoder (src/ui/wedge, pure) to DOM key events: scanner
 * bursts come out as scans with GS rebuilt and layout damage repaired; a person's typing comes
 * out as typing. This file is the UI's only import from outside the API contract.
 */
import { WedgeDecoder, type KeyRecord, type WedgeOptions, type WedgeOutput } from '../wedge/index.ts';

export type { WedgeOutput, WedgeOptions };

/** The decoder's view of a DOM keyboard event. */
export function keyRecord(e: Pick<KeyboardEvent, 'type' | 'key' | 'code' | 'timeStamp' | 'altKey' | 'ctrlKey' | 'shiftKey'>): KeyRecord {
  return {
    type: e.type === 'keyup' ? 'keyup' : 'keydown',
    key: e.key,
    code: e.code,
    timeStamp: e.timeStamp,
    altKey: e.altKey,
    ctrlKey: e.ctrlKey,
    shiftKey: e.shiftKey,
  };
}

const DEFAULT_GAP_MS = 50;

/**
 * Feeds key events to a decoder and completes a burst that ends without Enter once the keys
 * have been quiet for the decoder's gap.
 */
export class WedgeInput {
  private readonly decoder: WedgeDecoder;
  private readonly gapMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly emit: (output: WedgeOutput) => void, options: WedgeOptions = {}) {
    this.decoder = new WedgeDecoder(options);
    this.gapMs = options.maxGapMs ?? DEFAULT_GAP_MS;
  }

  /** Feeds a keydown or keyup. */
  handle(e: KeyboardEvent): void {
    for (const out of this.decoder.push(keyRecord(e))) this.emit(out);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // Every key restarts this timer, so when it fires the keys have been quiet long enough.
      for (const out of this.decoder.flush()) this.emit(out);
    }, this.gapMs + 10);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
