/**
 * Kazakhstan fiscal data operator (OFD) protocol 2.0.3: framing, proto2 codec, request builders,
 * the register's client with durable token / REQNUM state, and offline-mode rules (its emulator is in emulators/ofd).
 * See README.md in this folder.
 */
export {
  APPCODE, PROTOCOL_VERSION, HEADER_SIZE, MAX_FRAME_SIZE, MAX_REQNUM, FrameError, FrameDecoder,
  encodeFrame, decodeFrame, decodeHeader, nextReqNum, type Frame, type FrameHeader,
} from './frame.ts';
export {
  Command, Result, Operation, Payment, MoneyPlacement, ReportType, ItemType, NomenclatureResult, Domain, OfdCodecError, PROTO_PACKAGE,
  commandName, operationName, schema, messageType, encodeMessage, decodeMessage,
  encodeRequest, decodeRequest, encodeResponse, decodeResponse,
  type CommandCode, type RequestMsg, type ResponseMsg, type TicketRequestMsg, type DateTimeMsg, type MoneyMsg,
  type ServiceRequestMsg, type ServiceResponseMsg, type TaxMsg, type PaymentMsg, type ParentTicketMsg, type ZXReportMsg,
  type PosRegInfoMsg, type OrgRegInfoMsg, type KkmRegInfoMsg, type NomenclatureResponseMsg,
} from './codec.ts';
export { KZ_UTC_OFFSET_MINUTES, toMoney, fromMoney, formatMinor, toDateTime, fromDateTime, toQuantity } from './convert.ts';
export {
  buildCloseShift, buildXReport, buildMoneyPlacement, buildSystem, buildInfo, zxReportOf, shiftFiguresSchema,
  OfdInputError, measureUnitCode, MEASURE_UNIT_CODES, MEASURE_UNIT_PIECE, minorUnitsSchema, isoTimeSchema, u32Schema, type RegInfoInput,
} from './build.ts';
export { exchange, TransportError, type ExchangeOptions, type TransportStage } from './transport.ts';
export {
  createOfdClient, blockedText, geoPositionOf, GEO_SCALE, OFD_MIN_TRANSACTION_TIME_MS, OFD_MIN_RECONNECT_INTERVAL_MS, type GeoConfig,
  type OfdClient, type OfdClientOptions, type OfdOutcome, type SendOptions,
} from './client.ts';
export {
  OFFLINE_LIMIT_HOURS, resolveOfflineLimitHours, offlineTicketCandidate, assertCanSell, offlineDurationMs,
  mustWorkOffline, nextReconnectAt, formatDuration, OfdSalesStoppedError,
} from './offline.ts';
export {
  catalogLineSchema, candidatesOfLine, buildNomenclatureLookup, nomenclatureAnswerOf, nomenclatureResponseFor, parseCatalogText, VAT_CATEGORIES,
  type CatalogLine, type NomenclatureCandidate, type NomenclatureAnswer,
} from './nomenclature.ts';
