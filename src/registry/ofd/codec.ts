/**
 * The protobuf side of the protocol: loads Tanba's own proto2 schema (ofd.proto, next to this
 * module) with protobufjs and encodes / decodes `Request` and `Response`.
 *
 * proto2 `required` fields must be on the wire. protobufjs' encoder would silently write a
 * default for a missing required field, so every message is verified before encoding and the
 * verifier's complaint becomes an OfdCodecError naming the field. The decoder refuses a message
 * without a required field ("missing required 'x'"). Field names are kept exactly as in the
 * published text (snake_case).
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import type { kz } from './ofd-messages.d.ts';

/** Command codes (CommandTypeEnum). */
export const Command = {
  SYSTEM: 0,
  TICKET: 1,
  CLOSE_SHIFT: 2,
  REPORT: 3,
  NOMENCLATURE: 4,
  INFO: 5,
  MONEY_PLACEMENT: 6,
  CANCEL_TICKET: 7,
  AUTH: 8,
  RESERVED: 127,
} as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

/** The command's name without the COMMAND_ prefix, e.g. 'TICKET'. */
export function commandName(code: number): string {
  for (const [name, value] of Object.entries(Command)) if (value === code) return name;
  return `UNKNOWN_${code}`;
}

/** Result codes (ResultTypeEnum). */
export const Result = {
  OK: 0,
  UNKNOWN_ID: 1,
  INVALID_TOKEN: 2,
  PROTOCOL_ERROR: 3,
  UNKNOWN_COMMAND: 4,
  UNSUPPORTED_COMMAND: 5,
  INVALID_CONFIGURATION: 6,
  SSL_IS_NOT_ALLOWED: 7,
  INVALID_REQUEST_NUMBER: 8,
  INVALID_RETRY_REQUEST: 9,
  CANT_CANCEL_TICKET: 10,
  OPEN_SHIFT_TIMEOUT_EXPIRED: 11,
  INVALID_LOGIN_PASSWORD: 12,
  INCORRECT_REQUEST_DATA: 13,
  NOT_ENOUGH_CASH: 14,
  BLOCKED: 15,
  SHIFT_ALREADY_OPENED: 16,
  SAME_TAXPAYER_AND_CUSTOMER: 17,
  /** 203: the product is not in the National Catalogue (НКТ). */
  ELEMENT_NOT_FOUND_BY_BARCODE: 18,
  SERVICE_TEMPORARILY_UNAVAILABLE: 254,
  UNKNOWN_ERROR: 255,
} as const;

/** NomenclatureResponse.NomenclatureResultTypeEnum (3 is new in 203: no element for the barcode). */
export const NomenclatureResult = { OK: 0, VERSION_IS_ACTUAL: 1, NO_VERSION: 2, ELEMENT_NOT_FOUND_BY_BARCODE: 3 } as const;
/** DomainTypeEnum (Tanba is a retail register: TRADING on every ticket, required since 203). */
export const Domain = { TRADING: 0, SERVICES: 1, GASOIL: 2, HOTELS: 3, TAXI: 4, PARKING: 5 } as const;

/** OperationTypeEnum. */
export const Operation = { BUY: 0, BUY_RETURN: 1, SELL: 2, SELL_RETURN: 3 } as const;
/** PaymentTypeEnum. */
export const Payment = { CASH: 0, CARD: 1, CREDIT: 2, TARE: 3, MOBILE: 4 } as const;
/** MoneyPlacementEnum. */
export const MoneyPlacement = { DEPOSIT: 0, WITHDRAWAL: 1 } as const;
/** ReportTypeEnum. */
export const ReportType = { Z: 0, X: 1 } as const;
/** TicketRequest.Item.ItemTypeEnum. */
export const ItemType = { COMMODITY: 1, STORNO_COMMODITY: 2, MARKUP: 3, STORNO_MARKUP: 4, DISCOUNT: 5, STORNO_DISCOUNT: 6 } as const;

/** The operation's name without the OPERATION_ prefix. */
export function operationName(code: number): string {
  for (const [name, value] of Object.entries(Operation)) if (value === code) return name;
  return `UNKNOWN_${code}`;
}

// ---- message shapes: generated from ofd.proto (npm run gen:proto -> ofd-messages.d.ts) ----
// Plain objects, snake_case as on the wire. proto2 `required` fields are required here too.
// uint64 fields are numbers when we encode (our values stay far below 2^53) and decimal strings
// when we decode (so nothing is rounded on the way in).

/** uint64 as it comes out of the decoder: a decimal string; we write plain integers. */
export type U64 = number | string;
export type DateMsg = kz.kazakhtelecom.proto.v203.Date.$Properties;
export type TimeMsg = kz.kazakhtelecom.proto.v203.Time.$Properties;
export type DateTimeMsg = kz.kazakhtelecom.proto.v203.DateTime.$Properties;
export type MoneyMsg = kz.kazakhtelecom.proto.v203.Money.$Properties;
export type OperatorMsg = kz.kazakhtelecom.proto.v203.Operator.$Properties;
export type TaxMsg = kz.kazakhtelecom.proto.v203.TicketRequest.Tax.$Properties;
export type CommodityMsg = kz.kazakhtelecom.proto.v203.TicketRequest.Item.Commodity.$Properties;
export type TicketRequestMsg = kz.kazakhtelecom.proto.v203.TicketRequest.$Properties;
export type KkmRegInfoMsg = kz.kazakhtelecom.proto.v203.KkmRegInfo.$Properties;
export type OrgRegInfoMsg = kz.kazakhtelecom.proto.v203.OrgRegInfo.$Properties;
export type PosRegInfoMsg = kz.kazakhtelecom.proto.v203.PosRegInfo.$Properties;
export type PaymentMsg = kz.kazakhtelecom.proto.v203.TicketRequest.Payment.$Properties;
export type ParentTicketMsg = kz.kazakhtelecom.proto.v203.TicketRequest.ParentTicket.$Properties;
export type ZXReportMsg = kz.kazakhtelecom.proto.v203.ZXReport.$Properties;
export type NomenclatureResponseMsg = kz.kazakhtelecom.proto.v203.NomenclatureResponse.$Properties;
export type ServiceRequestMsg = kz.kazakhtelecom.proto.v203.ServiceRequest.$Properties;
export type ServiceResponseMsg = kz.kazakhtelecom.proto.v203.ServiceResponse.$Properties;
/** `Request`: what the register sends. */
export type RequestMsg = kz.kazakhtelecom.proto.v203.Request.$Properties;
/** `Response`: what the OFD answers. */
export type ResponseMsg = kz.kazakhtelecom.proto.v203.Response.$Properties;

/** A message that cannot be encoded or decoded under the schema. */
export class OfdCodecError extends Error {
  override name = 'OfdCodecError';
}

/** Path of the schema file. Read once, at first use. */
export const PROTO_PATH = new URL('./ofd.proto', import.meta.url);

let root: protobuf.Root | undefined;

/** The protobuf package of the schema, as the published 2.0.3 set names it. */
export const PROTO_PACKAGE = 'kz.kazakhtelecom.proto.v203';

/** The parsed schema (package {@link PROTO_PACKAGE}). */
export function schema(): protobuf.Root {
  if (root === undefined) {
    root = protobuf.parse(readFileSync(PROTO_PATH, 'utf8'), { keepCase: true }).root;
    root.resolveAll();
  }
  return root;
}

/** A message type of the schema, e.g. 'Request' or 'TicketRequest'. */
export function messageType(name: string): protobuf.Type {
  return schema().lookupType(`${PROTO_PACKAGE}.${name}`);
}

const DECODE_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: Buffer, defaults: false, arrays: false };

/** Encodes a plain object as message `typeName`, refusing a missing required field. */
export function encodeMessage(typeName: string, value: object): Uint8Array {
  const type = messageType(typeName);
  const problem = type.verify(value);
  if (problem !== null) throw new OfdCodecError(`cannot encode ${typeName}: ${problem}`);
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish();
}

/**
 * Decodes bytes as message `typeName` into a plain object (uint64 as decimal strings). The
 * decoder refuses a message missing a required field, so the object has the generated shape `T`
 * of that message (ofd-messages.d.ts).
 */
export function decodeMessage<T extends object = Record<string, unknown>>(typeName: string, bytes: Uint8Array): T {
  const type = messageType(typeName);
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (err) {
    throw new OfdCodecError(`cannot decode ${typeName}: ${(err as Error).message}`);
  }
  return type.toObject(message, DECODE_OPTIONS) as T;
}

/** Encodes a `Request`. */
export function encodeRequest(request: RequestMsg): Uint8Array {
  return encodeMessage('Request', request);
}

/** Encodes a `Response`. */
export function encodeResponse(response: ResponseMsg): Uint8Array {
  return encodeMessage('Response', response);
}

/** Decodes a `Request` (the emulator's side). Shape is guaranteed by the schema's required fields. */
export function decodeRequest(bytes: Uint8Array): RequestMsg {
  return decodeMessage('Request', bytes);
}

/** Decodes a `Response` (the register's side). */
export function decodeResponse(bytes: Uint8Array): ResponseMsg {
  return decodeMessage('Response', bytes);
}
