/** The OFD emulator's public types: faults, devices, documents, the request log, the handle. */
import type { DateTimeMsg, NomenclatureCandidate } from '../../src/registry/ofd/index.ts';

/** Faults to inject. Probabilities are 0..1; `...Next` counts apply to the next N requests. */
export interface OfdFaults {
  /** Delay before each request is handled. */
  latencyMs?: number;
  /** Close the connection without processing. */
  dropBefore?: number;
  dropBeforeNext?: number;
  /** Process the request, then close without answering (the lost response). */
  dropAfter?: number;
  dropAfterNext?: number;
  /** Answer 254 or 255 without processing. */
  fail?: 254 | 255;
  failRate?: number;
  failNext?: number;
  /** Server block: answer 15 to everything from known devices until cleared. */
  blocked?: boolean;
  /** Lift the block when a COMMAND_SYSTEM with service.reg_info arrives (5.4). Default false. */
  unblockOnRegInfo?: boolean;
  /** Play an OFD that compares a retry against the last request of ANY kind (SYSTEM included). */
  strictPrevious?: boolean;
  /** Answer with a frame that breaks the framing rules, without processing. */
  malformed?: number;
  malformedNext?: number;
}

/** A registered device. */
export interface EmulatorDeviceInit {
  id: number;
  token: number;
  /** Shift the device starts in (default 1). */
  shiftNumber?: number;
}

/** Options of {@link startOfdEmulator}. */
export interface OfdEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The emulator's own SQLite file (":memory:" for throwaway runs). */
  dbPath: string;
  /** Registered devices; an id already in the file keeps its stored (maybe rotated) token. */
  devices?: EmulatorDeviceInit[];
  faults?: OfdFaults;
  /** National Catalogue answers by barcode (nomenclature lookups); unknown barcodes get result 18. */
  catalog?: ReadonlyMap<string, readonly NomenclatureCandidate[]>;
  /** Random source for probabilistic faults and tokens (tests may pass a seeded one). */
  random?: () => number;
}

/** One accepted document as `--dump` prints it. */
export interface EmulatorDocument {
  deviceId: number;
  command: string;
  operation: string | null;
  shiftNumber: number | null;
  documentNumber: number | null;
  printedDocumentNumber: number | null;
  ticketNumber: string | null;
  offlineTicketNumber?: number;
  exciseStamps: string[];
  total: number | null;
  acceptedAt: string;
  /** Tickets (2.0.3): each line's ntin, list_excise_stamp and barcode. */
  lines?: { name: string | null; ntin: string | null; listExciseStamp: string[]; barcode: string | null; measureUnitCode: string | null; quantity: number }[];
  /** Returns: the parent ticket they name. */
  parentTicket?: { number: string; dateTime: string; kgdKkmId: string; total: number; offline: boolean } | null;
  domainType?: number | null;
  payments?: { type: number; sum: number; card?: Record<string, unknown>; mobile?: Record<string, unknown> }[];
  /** CLOSE_SHIFT: the operator and whether a Z report came with it. */
  operator?: { code: number; name?: string } | null;
  zReport?: boolean;
  /** REPORT (X): the report was sent. */
  zxReport?: boolean;
}

/** One handled request (the emulator's log: what arrived and what it answered). */
export interface EmulatorRequestLog {
  deviceId: number;
  reqNum: number;
  token: number;
  command: string;
  result: number;
  replay: boolean;
  offlinePeriod: { begin: DateTimeMsg; end: DateTimeMsg } | null;
  at: string;
}

/** Server-side state of a device. */
export interface EmulatorDevice {
  id: number;
  token: number;
  shiftNumber: number;
  lastPrintedDocumentNumber: number;
  lastShiftDocumentNumber: number;
  lastReqNum: number | null;
}

/** A running emulator. */
export interface OfdEmulator {
  readonly host: string;
  readonly port: number;
  /** Replaces all faults. */
  setFaults(faults: OfdFaults): void;
  /** Changes some faults, keeps the others. */
  updateFaults(faults: Partial<OfdFaults>): void;
  faults(): OfdFaults;
  /** Applies one control line ("fault drop-after 0.3", "block on", ...); returns the reply. */
  control(line: string): string;
  addDevice(device: EmulatorDeviceInit): void;
  device(id: number): EmulatorDevice | undefined;
  documents(): EmulatorDocument[];
  requests(): EmulatorRequestLog[];
  close(): Promise<void>;
}

