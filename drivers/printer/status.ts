/**
 * Real-time status (`DLE EOT n`, Epson): asked before a job so the cashier hears "paper out"
 * before the sale is printed into the void, and after it so a receipt cut short is noticed.
 */
import { TransportTimeout, type PrinterTransport } from './transport.ts';

/** What the printer reported. */
export interface PrinterStatus {
  online: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Cutter, mechanism or other error reported by DLE EOT 3 / 2. */
  error: boolean;
  drawerOpen: boolean;
}

/** Why a print failed; the code is stable, the message is for people. */
export type PrinterErrorCode = 'paper-out' | 'cover-open' | 'offline' | 'error' | 'no-response' | 'transport';

/** A print or status failure with a stable code and a plain message. */
export class PrinterError extends Error {
  override name = 'PrinterError';
  readonly code: PrinterErrorCode;
  constructor(code: PrinterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

function checked(n: number, b: number): number {
  // Bits 1 and 4 are fixed at 1, bits 0 and 7 at 0: anything else is not a status answer.
  if ((b & 0x93) !== 0x12) throw new PrinterError('error', `DLE EOT ${n}: unexpected answer 0x${b.toString(16).padStart(2, '0')} (not an ESC/POS status byte)`);
  return b;
}

/** Asks DLE EOT 1, 2, 3 and 4 in turn and decodes the answers. */
export async function queryStatus(t: PrinterTransport, timeoutMs = 2000): Promise<PrinterStatus> {
  t.discardInput();
  const ask = async (n: number): Promise<number> => {
    await t.write(Uint8Array.of(0x10, 0x04, n));
    try {
      const [b] = await t.read(1, timeoutMs);
      return checked(n, b ?? 0);
    } catch (e) {
      if (e instanceof TransportTimeout) {
        throw new PrinterError('no-response', `printer on ${t.description} does not answer status queries (off, unplugged, or wrong port?)`, { cause: e });
      }
      throw e;
    }
  };
  const s1 = await ask(1);
  const s2 = await ask(2);
  const s3 = await ask(3);
  const s4 = await ask(4);
  return {
    online: (s1 & 0x08) === 0,
    drawerOpen: (s1 & 0x04) !== 0,
    coverOpen: (s2 & 0x04) !== 0,
    paperOut: (s2 & 0x20) !== 0 || (s4 & 0x60) === 0x60,
    paperNearEnd: (s4 & 0x0c) === 0x0c,
    error: (s2 & 0x40) !== 0 || (s3 & 0x6c) !== 0,
  };
}

/** The error a status stands for, or undefined when the printer is ready. */
export function statusError(s: PrinterStatus, when: 'before' | 'after'): PrinterError | undefined {
  const during = when === 'after' ? ' while printing: the receipt is incomplete and kept for reprint' : ': load paper and print again';
  if (s.paperOut) return new PrinterError('paper-out', `printer is out of paper${during}`);
  if (s.coverOpen) return new PrinterError('cover-open', `printer cover is open${when === 'after' ? ' — the receipt may be incomplete' : ''}`);
  if (s.error) return new PrinterError('error', 'printer reports an error (cutter jam or mechanism); clear it and print again');
  if (!s.online) return new PrinterError('offline', `printer is offline${when === 'after' ? ' — the receipt may be incomplete' : ''}`);
  return undefined;
}
