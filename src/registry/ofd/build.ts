/**
 * Builders: plain descriptions in Tanba's units (integer tiyn, UTC ISO times) -> protocol
 * requests for the shift, report, cash and service commands. Inputs are validated with zod
 * because they arrive from the outbox (written by the checkout, possibly by an older Tanba) — a
 * bad one is refused with the field named, never sent half-right. The fiscal ticket
 * (COMMAND_TICKET) is built from its one versioned payload schema in src/sync/ticket.ts.
 */
import * as z from 'zod';
import {
  Command, MoneyPlacement, ReportType, type KkmRegInfoMsg, type OrgRegInfoMsg, type RequestMsg, type ServiceRequestMsg,
} from './codec.ts';
import { KZ_UTC_OFFSET_MINUTES, toDateTime, toMoney } from './convert.ts';

/** Money in minor units (tiyn): a whole number ≥ 0. */
export const minorUnitsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** A time as the outbox stores it: ISO-8601 with a zone (UTC). */
export const isoTimeSchema = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /T.*(Z|[+-]\d\d:?\d\d)$/.test(s), 'must be an ISO-8601 time with a zone (UTC)');
/** A protocol uint32 we send (shift, document numbers, codes), kept within int32. */
export const u32Schema = z.number().int().nonnegative().max(0x7fffffff);
const minor = minorUnitsSchema;
const isoTime = isoTimeSchema;
const u32 = u32Schema;
const operatorSchema = z.object({ code: u32, name: z.string().optional() });

/**
 * Units of measure as the protocol wants them: `measure_unit_code` is "the unit code of IS ESF"
 * (the e-invoice system's classifier of units, numeric codes after OKEI), mandatory for protocol
 * versions above 2.0.0. The checkout keeps short unit names ('pcs', 'kg', 'l'); this maps them.
 */
export const MEASURE_UNIT_CODES: Readonly<Record<string, string>> = {
  pcs: '796', pc: '796', piece: '796', 'шт': '796', 'дана': '796',
  kg: '166', 'кг': '166',
  g: '163', 'г': '163',
  l: '112', 'л': '112',
  ml: '111', 'мл': '111',
  m: '006', 'м': '006',
  m2: '055', 'м2': '055',
  pack: '778', 'уп': '778',
  // Shoes are sold by the pair (OKEI 715); the marking registry's catalogue uses 'pair'.
  pair: '715', 'пара': '715', 'пар': '715', 'жұп': '715',
};
/** The default unit when a line names none: one piece (796). */
export const MEASURE_UNIT_PIECE = '796';

/**
 * The IS ESF unit code for a unit name or code: a known name is mapped, a numeric code (3 digits,
 * OKEI style) is kept, nothing means a piece. Anything else is an {@link OfdInputError} naming it.
 */
export function measureUnitCode(unit: string | null | undefined): string {
  if (unit === undefined || unit === null || unit.trim() === '') return MEASURE_UNIT_PIECE;
  const u = unit.trim();
  if (/^\d{3,4}$/.test(u)) return u;
  const code = MEASURE_UNIT_CODES[u.toLowerCase()];
  if (code === undefined) throw new OfdInputError(`unknown unit of measure '${unit}': give an IS ESF unit code (e.g. 796 piece, 166 kg, 112 l) or one of ${Object.keys(MEASURE_UNIT_CODES).join(', ')}`);
  return code;
}

/** Thrown for a description the builders refuse. */
export class OfdInputError extends Error {
  override name = 'OfdInputError';
}

function parse<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new OfdInputError(`invalid ${what}: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`);
  }
  return r.data;
}

const closeShiftSchema = z.object({
  closeTime: isoTime,
  shiftNumber: u32.min(1),
  printedDocumentNumber: minor.min(1),
  operator: operatorSchema.optional(),
  isOffline: z.boolean().optional(),
  withdrawMoney: z.boolean().optional(),
  utcOffsetMinutes: z.number().int().optional(),
});

/** COMMAND_CLOSE_SHIFT (with the `service` part the protocol requires since 1.2.5). */
export function buildCloseShift(input: z.input<typeof closeShiftSchema>): RequestMsg {
  const c = parse(closeShiftSchema, input, 'close shift');
  return {
    command: Command.CLOSE_SHIFT,
    close_shift: {
      close_time: toDateTime(c.closeTime, c.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES),
      fr_shift_number: c.shiftNumber,
      printed_document_number: c.printedDocumentNumber,
      ...(c.operator ? { operator: c.operator } : {}),
      ...(c.isOffline !== undefined ? { is_offline: c.isOffline } : {}),
      ...(c.withdrawMoney !== undefined ? { withdraw_money: c.withdrawMoney } : {}),
    },
    service: {},
  };
}

const reportSchema = z.object({ dateTime: isoTime, isOffline: z.boolean().optional(), utcOffsetMinutes: z.number().int().optional() });

/** COMMAND_REPORT for an X report (with the required `service` part). */
export function buildXReport(input: z.input<typeof reportSchema>): RequestMsg {
  const r = parse(reportSchema, input, 'X report');
  return {
    command: Command.REPORT,
    report: {
      report: ReportType.X,
      date_time: toDateTime(r.dateTime, r.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES),
      ...(r.isOffline !== undefined ? { is_offline: r.isOffline } : {}),
    },
    service: {},
  };
}

const moneyPlacementSchema = z.object({
  dateTime: isoTime,
  operation: z.enum(['deposit', 'withdrawal']),
  sum: minor.min(1),
  shiftNumber: u32.min(1),
  printedDocumentNumber: minor.min(1),
  operator: operatorSchema.optional(),
  isOffline: z.boolean().optional(),
  utcOffsetMinutes: z.number().int().optional(),
});

/** COMMAND_MONEY_PLACEMENT (cash deposit or withdrawal). */
export function buildMoneyPlacement(input: z.input<typeof moneyPlacementSchema>): RequestMsg {
  const m = parse(moneyPlacementSchema, input, 'money placement');
  return {
    command: Command.MONEY_PLACEMENT,
    money_placement: {
      datetime: toDateTime(m.dateTime, m.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES),
      operation: m.operation === 'deposit' ? MoneyPlacement.DEPOSIT : MoneyPlacement.WITHDRAWAL,
      sum: toMoney(m.sum),
      fr_shift_number: m.shiftNumber,
      printed_document_number: m.printedDocumentNumber,
      ...(m.operator ? { operator: m.operator } : {}),
      ...(m.isOffline !== undefined ? { is_offline: m.isOffline } : {}),
    },
  };
}

/** Registration data sent with COMMAND_SYSTEM during a server block (5.4). */
export interface RegInfoInput {
  kkm?: KkmRegInfoMsg;
  org?: OrgRegInfoMsg;
}

/**
 * COMMAND_SYSTEM: keep-alive / reconnect. `regInfo` is what a server-blocked register must send
 * (5.4); `offlinePeriod` is normally added by the client itself on the first request after
 * reconnecting.
 */
export function buildSystem(input: { regInfo?: RegInfoInput; offlinePeriod?: { begin: string; end: string }; utcOffsetMinutes?: number } = {}): RequestMsg {
  const offset = input.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES;
  const service: ServiceRequestMsg = {};
  if (input.regInfo) service.reg_info = { ...input.regInfo };
  if (input.offlinePeriod) {
    service.offline_period = { begin_time: toDateTime(input.offlinePeriod.begin, offset), end_time: toDateTime(input.offlinePeriod.end, offset) };
  }
  return { command: Command.SYSTEM, service };
}

/**
 * COMMAND_INFO ("initialisation", 3.2): carries no data; the OFD answers with the current X
 * report (or the last Z), registration info and its texts. We ask for reg info explicitly.
 */
export function buildInfo(): RequestMsg {
  return { command: Command.INFO, service: { get_reg_info: true } };
}
