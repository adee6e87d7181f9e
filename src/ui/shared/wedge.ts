/**
 * Binds the keyboard-wedge decoder (src/ui/wedge, pure) to DOM key events: scanner
 * bursts come out as scans with GS rebuilt and layout damage repaired; a person's typing comes
 * out as typing. This file is the UI's only import from outside the API contract.
 */
import { WedgeDecoder, type KeyRecord, type WedgeOptions, type WedgeOutput, type WedgeRepair, type WedgeScan } from '../wedge/index.ts';

export type { WedgeOutput, WedgeOptions, WedgeRepair, WedgeScan };

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

/**
 * Feeds key events to a decoder and completes a burst that ends without Enter once the keys
 * have been quiet for the decoder's gap (which follows the burst's rhythm).
 */
export class WedgeInput {
  private readonly decoder: WedgeDecoder;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly emit: (output: WedgeOutput) => void, options: WedgeOptions = {}) {
    this.decoder = new WedgeDecoder(options);
  }

  /** True while the keys so far look like a scanner's burst: its Enter must not act on the page. */
  inBurst(): boolean {
    return this.decoder.inBurst();
  }

  /** Feeds a keydown or keyup. */
  handle(e: KeyboardEvent): void {
    for (const out of this.decoder.push(keyRecord(e))) this.emit(out);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // Every key restarts this timer, so when it fires the keys have been quiet long enough.
      for (const out of this.decoder.flush()) this.emit(out);
    }, this.decoder.quietMs() + 10);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
