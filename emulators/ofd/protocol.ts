/**
 * The emulator's protocol decisions for one frame: the token / REQNUM rules (1 unknown id, 2
 * wrong token, 8 same REQNUM with another token, 9 same REQNUM and token with another command,
 * a retry replayed byte for byte), the injected 15 and 254/255, then the command itself
 * (documents accepted with shift and number checks, tokens rotated, ticket numbers and URLs).
 */
import { randomInt } from 'node:crypto';
import {
  Command, Result, commandName, decodeFrame, decodeRequest, decodeResponse, encodeFrame, encodeResponse, formatMinor, fromDateTime, fromMoney,
  nomenclatureResponseFor, operationName, PROTOCOL_VERSION, type DateTimeMsg, type Frame, type NomenclatureCandidate, type RequestMsg, type ResponseMsg,
  type TicketRequestMsg,
} from '../../src/registry/ofd/index.ts';
import type { FaultState } from './faults.ts';
import type { DeviceRow, EmulatorQueries } from './store.ts';

/** What the decisions need from the running emulator. */
export interface ProtocolContext {
  q: EmulatorQueries;
  faults: FaultState;
  host: string;
  port(): number;
  /** National Catalogue answers by barcode (`--catalog FILE`); a barcode not here gets result 18. */
  catalog: ReadonlyMap<string, readonly NomenclatureCandidate[]>;
}

/** The registration data the emulator answers with (2.0.3: addresses in Kazakh and the point of sale's position). */
export function emulatorRegInfo(deviceId: number): NonNullable<NonNullable<ResponseMsg['service']>['reg_info']> {
  return {
    kkm: { kkm_id: String(deviceId), serial_number: `EMU-${deviceId}`, fns_kkm_id: `KGD-EMU-${deviceId}` },
    pos: { title: 'Tanba OFD emulator', address: 'Алматы, ул. Абая, 1', address_kz: 'Алматы, Абай к-сі, 1', latitude: 43_238_949, longitude: 76_889_709 },
    org: { title: 'Training organisation', address: 'Алматы, ул. Абая, 1', address_kz: 'Алматы, Абай көшесі, 1', inn: '000000000000' },
  };
}

/** What `--dump` shows of a ticket beyond the 2.0.2 fields: each line's catalogue code, codes and barcode, a return's parent. */
function ticketDetails(t: TicketRequestMsg): Record<string, unknown> {
  const lines = (t.items ?? []).map((i) => i.commodity ?? i.storno_commodity).filter((c) => c !== undefined && c !== null).map((c) => ({
    name: c.name ?? null, ntin: c.ntin ?? null, listExciseStamp: c.list_excise_stamp ?? [], barcode: c.barcode ?? null,
    measureUnitCode: c.measure_unit_code ?? null, quantity: Number(c.quantity),
  }));
  const p = t.parent_ticket;
  const parentTicket = p ? {
    number: p.parent_ticket_number, dateTime: fromDateTime(p.parent_ticket_data_time), kgdKkmId: p.kgd_kkm_id,
    total: fromMoney(p.parent_ticket_total), offline: p.parent_ticket_is_offline,
  } : null;
  const payments = (t.payments ?? []).map((x) => ({ type: x.type, sum: fromMoney(x.sum), ...(x.card_payment_fields ? { card: x.card_payment_fields } : {}), ...(x.mobile_payment_fields ? { mobile: x.mobile_payment_fields } : {}) }));
  return { lines, parentTicket, domainType: t.domain?.type ?? null, payments };
}

function newToken(old: number): number {
  let t = old;
  while (t === old) t = randomInt(1, 0xffffffff);
  return t;
}

function answer(frame: Frame, token: number, response: ResponseMsg): Buffer {
  return encodeFrame({ version: PROTOCOL_VERSION, deviceId: frame.header.deviceId, token, reqNum: frame.header.reqNum }, encodeResponse(response));
}

function error(command: number, code: number, text: string): ResponseMsg {
  return { command, result: { result_code: code, result_text: text } };
}

function logRequest(q: EmulatorQueries, frame: Frame, command: number, result: number, replay: boolean, req: RequestMsg | null): void {
  const period = req?.service?.offline_period;
  q.log.run(frame.header.deviceId, frame.header.reqNum, frame.header.token, commandName(command), result, replay ? 1 : 0,
    period ? JSON.stringify({ begin: period.begin_time, end: period.end_time }) : null, new Date().toISOString());
}

function localStamp(dt: DateTimeMsg | undefined): string {
  if (!dt) return '';
  const p = (n: number | null | undefined, w = 2): string => String(n ?? 0).padStart(w, '0');
  return `${p(dt.date.year, 4)}${p(dt.date.month)}${p(dt.date.day)}T${p(dt.time.hour)}${p(dt.time.minute)}${p(dt.time.second)}`;
}

/** Checks shift and document numbers; returns an error text or null. */
function checkNumbers(dev: DeviceRow, shift: number | null | undefined, shiftDoc: number | null | undefined, printed: number | undefined): string | null {
  if (shift != null && shift !== dev.shift_number) return `shift number ${shift} is not the open shift ${dev.shift_number}`;
  if (printed !== undefined && printed <= dev.last_printed) return `document number ${printed} is not above the last accepted ${dev.last_printed}`;
  if (shiftDoc != null && shiftDoc <= dev.last_shift_doc) return `shift document number ${shiftDoc} is not above the last accepted ${dev.last_shift_doc} in shift ${dev.shift_number}`;
  return null;
}

/** Handles one decoded request for a device whose token / REQNUM already checked out. */
function handle(ctx: ProtocolContext, dev: DeviceRow, frame: Frame, req: RequestMsg): { response: ResponseMsg; token: number } {
  const { q, host } = ctx;
  const now = new Date().toISOString();
  const cmd = req.command;
  const ok = (extra: Partial<ResponseMsg> = {}): ResponseMsg => ({ command: cmd, result: { result_code: Result.OK }, ...extra });
  const accept = (doc: { operation: string | null; shift?: number; shiftDoc?: number | null; printed?: number; offline?: number | null; total: number | null; stamps: string[]; details?: Record<string, unknown> }): number => {
    const info = q.insertDoc.run(dev.id, commandName(cmd), doc.operation, doc.shift ?? dev.shift_number, doc.shiftDoc ?? null, doc.printed ?? null,
      doc.offline ?? null, doc.total, JSON.stringify(doc.stamps), frame.header.reqNum, now, Buffer.from(frame.payload), JSON.stringify(doc.details ?? {}));
    return Number(info.lastInsertRowid);
  };
  const numbersAfter = (shift: number, printed: number | undefined, shiftDoc: number | null | undefined): void => {
    q.setNumbers.run(shift, printed ?? dev.last_printed, shiftDoc ?? dev.last_shift_doc, dev.id);
  };
  switch (cmd) {
    case Command.SYSTEM:
      if (req.service?.reg_info !== undefined && ctx.faults.get().unblockOnRegInfo) ctx.faults.update({ blocked: false });
      return { response: req.service?.get_reg_info === true ? ok({ service: { reg_info: emulatorRegInfo(dev.id) } }) : ok(), token: dev.token };
    case Command.NOMENCLATURE: {
      const barcode = req.nomenclature?.barcode;
      if (barcode === undefined || barcode === null || barcode === '') return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'the emulator answers nomenclature lookups by barcode only'), token: dev.token };
      // Keys are 14-digit GTINs: an EAN-13 and its GTIN-14 form name the same product.
      const found = ctx.catalog.get(barcode.padStart(14, '0')) ?? [];
      const nomenclature = nomenclatureResponseFor(barcode, found);
      if (found.length === 0) return { response: { ...error(cmd, Result.ELEMENT_NOT_FOUND_BY_BARCODE, `barcode ${barcode} is not in the National Catalogue`), nomenclature }, token: dev.token };
      return { response: ok({ nomenclature }), token: dev.token };
    }
    case Command.INFO:
    case Command.REPORT: {
      const sent = req.report?.zx_report;
      // 3.8: the register sends its current X report; the emulator keeps it as a document.
      if (cmd === Command.REPORT && sent) {
        accept({ operation: req.report?.report === 0 ? 'Z' : 'X', total: fromMoney(sent.cash_sum), stamps: [], details: { shiftNumber: sent.shift_number, zxReport: true, sections: sent.sections?.length ?? 0, ticketOperations: sent.ticket_operations?.length ?? 0 } });
      }
      const zx = {
        date_time: req.report?.date_time ?? nowDateTime(), shift_number: dev.shift_number,
        cash_sum: { bills: 0, coins: 0 }, revenue: { sum: { bills: 0, coins: 0 }, is_negative: false },
      };
      return {
        response: ok({
          report: { report: 1, zx_report: zx },
          service: {
            reg_info: emulatorRegInfo(dev.id),
            last_document_info: { fr_shift_number: dev.shift_number, printed_document_number: dev.last_printed },
          },
        }),
        token: dev.token,
      };
    }
    case Command.TICKET: {
      const t = req.ticket;
      if (!t) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'COMMAND_TICKET without ticket'), token: dev.token };
      if (!t.items || t.items.length === 0) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'ticket without items'), token: dev.token };
      const printed = t.printed_document_number !== undefined ? Number(t.printed_document_number) : undefined;
      const bad = checkNumbers(dev, t.fr_shift_number, t.shift_document_number, printed);
      if (bad) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, bad), token: dev.token };
      const isReturn = t.operation === 1 || t.operation === 3;
      if (isReturn && !t.parent_ticket) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'a return needs parent_ticket (2.0.3)'), token: dev.token };
      if (t.domain?.type === undefined) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'domain.type is required since 2.0.3'), token: dev.token };
      if (isReturn && t.parent_ticket && q.docByTicket.get(t.parent_ticket.parent_ticket_number) === undefined) {
        return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, `parent ticket ${t.parent_ticket.parent_ticket_number} is unknown`), token: dev.token };
      }
      const total = fromMoney(t.amounts.total);
      // 2.0.3: the line's codes are list_excise_stamp; a deprecated excise_stamp still counts if an old register sends one.
      const stamps = t.items.flatMap((i) => {
        const c = i.commodity ?? i.storno_commodity;
        return c ? [...(c.excise_stamp ? [c.excise_stamp] : []), ...(c.list_excise_stamp ?? [])] : [];
      });
      const seq = accept({ operation: operationName(t.operation), shiftDoc: t.shift_document_number, printed, offline: t.offline_ticket_number, total, stamps, details: ticketDetails(t) });
      const ticketNumber = String(100_000_000_000 + seq);
      q.setTicketNumber.run(ticketNumber, seq);
      numbersAfter(dev.shift_number, printed, t.shift_document_number);
      const token = newToken(dev.token);
      q.setToken.run(token, dev.id);
      const url = `http://${host}:${ctx.port()}/t?i=${ticketNumber}&f=${dev.id}&s=${formatMinor(total)}&t=${localStamp(t.date_time)}`;
      return { response: ok({ ticket: { ticket_number: ticketNumber, qr_code: Buffer.from(url, 'utf8') } }), token };
    }
    case Command.CLOSE_SHIFT: {
      const c = req.close_shift;
      if (!c) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'COMMAND_CLOSE_SHIFT without close_shift'), token: dev.token };
      const printed = c.printed_document_number !== undefined ? Number(c.printed_document_number) : undefined;
      const bad = checkNumbers(dev, c.fr_shift_number, undefined, printed);
      if (bad) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, bad), token: dev.token };
      accept({ operation: null, printed, total: null, stamps: [], details: { operator: c.operator ?? null, zReport: c.z_report !== undefined && c.z_report !== null } });
      numbersAfter(dev.shift_number + 1, printed, 0);
      const token = newToken(dev.token);
      q.setToken.run(token, dev.id);
      return { response: ok({ report: { report: 0, zx_report: { date_time: c.close_time, shift_number: dev.shift_number, cash_sum: { bills: 0, coins: 0 }, revenue: { sum: { bills: 0, coins: 0 }, is_negative: false } } } }), token };
    }
    case Command.MONEY_PLACEMENT: {
      const m = req.money_placement;
      if (!m) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'COMMAND_MONEY_PLACEMENT without money_placement'), token: dev.token };
      const printed = m.printed_document_number !== undefined ? Number(m.printed_document_number) : undefined;
      const bad = checkNumbers(dev, m.fr_shift_number, undefined, printed);
      if (bad) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, bad), token: dev.token };
      accept({ operation: m.operation === 0 ? 'DEPOSIT' : 'WITHDRAWAL', printed, total: fromMoney(m.sum), stamps: [] });
      numbersAfter(dev.shift_number, printed, undefined);
      const token = newToken(dev.token);
      q.setToken.run(token, dev.id);
      return { response: ok(), token };
    }
    default:
      return { response: error(cmd, Result.UNSUPPORTED_COMMAND, `${commandName(cmd)} is not supported by the emulator`), token: dev.token };
  }
}

/** The protocol decision for one frame: the exact response bytes. */
export function processFrame(ctx: ProtocolContext, frame: Frame): Buffer {
  const { q, faults } = ctx;
  const { deviceId, token, reqNum } = frame.header;
  const dev = q.device.get(deviceId) as DeviceRow | undefined;
  let req: RequestMsg | null = null;
  let reqError: string | null = null;
  try {
    req = decodeRequest(frame.payload);
  } catch (err) {
    reqError = (err as Error).message;
  }
  const cmd = req?.command ?? Command.SYSTEM;
  if (frame.header.version !== PROTOCOL_VERSION) {
    logRequest(q, frame, cmd, Result.PROTOCOL_ERROR, false, req);
    return answer(frame, dev?.token ?? token, error(cmd, Result.PROTOCOL_ERROR, `protocol version ${frame.header.version} is not supported: this OFD speaks ${PROTOCOL_VERSION} (2.0.3)`));
  }
  if (!dev) {
    logRequest(q, frame, cmd, Result.UNKNOWN_ID, false, req);
    return answer(frame, token, error(cmd, Result.UNKNOWN_ID, `device ${deviceId} is not registered`));
  }
  if (faults.get().blocked) {
    logRequest(q, frame, cmd, Result.BLOCKED, false, req);
    return answer(frame, dev.token, {
      ...error(cmd, Result.BLOCKED, 'the register is blocked by the OFD'),
      service: { ticket_ads: [{ info: { type: 4, version: 1 }, text: 'Касса заблокирована ОФД. Обратитесь в службу поддержки.' }] },
    });
  }
  if (faults.fire('failNext', 'failRate')) {
    const code = faults.get().fail ?? 254;
    logRequest(q, frame, cmd, code, false, req);
    return answer(frame, dev.token, error(cmd, code, code === 254 ? 'service temporarily unavailable (injected)' : 'unknown error (injected)'));
  }
  if (dev.last_reqnum === reqNum && dev.last_response !== null) {
    if (token !== dev.last_req_token) {
      logRequest(q, frame, cmd, Result.INVALID_REQUEST_NUMBER, false, req);
      return answer(frame, dev.token, error(cmd, Result.INVALID_REQUEST_NUMBER, `REQNUM ${reqNum} was already used with another token`));
    }
    if (cmd !== dev.last_command) {
      logRequest(q, frame, cmd, Result.INVALID_RETRY_REQUEST, false, req);
      return answer(frame, dev.token, error(cmd, Result.INVALID_RETRY_REQUEST, `REQNUM ${reqNum} was ${commandName(dev.last_command ?? 0)}, the retry is ${commandName(cmd)}`));
    }
    logRequest(q, frame, cmd, decodeResponse(decodeFrame(dev.last_response).payload).result.result_code, true, req);
    return dev.last_response;
  }
  if (token !== dev.token) {
    logRequest(q, frame, cmd, Result.INVALID_TOKEN, false, req);
    return answer(frame, dev.token, error(cmd, Result.INVALID_TOKEN, 'invalid token'));
  }
  if (req === null) {
    logRequest(q, frame, cmd, Result.PROTOCOL_ERROR, false, null);
    return answer(frame, dev.token, error(cmd, Result.PROTOCOL_ERROR, `cannot decode the request: ${reqError ?? 'unknown'}`));
  }
  const { response, token: next } = handle(ctx, dev, frame, req);
  const bytes = answer(frame, next, response);
  // Service commands record nothing: they do not replace the request a retry is checked against
  // (unless the emulator plays an OFD that compares against the last request of any kind).
  if (ctx.faults.get().strictPrevious === true || (cmd !== Command.SYSTEM && cmd !== Command.INFO && cmd !== Command.NOMENCLATURE)) q.remember.run(reqNum, token, cmd, bytes, dev.id);
  logRequest(q, frame, cmd, response.result.result_code, false, req);
  return bytes;
}


function nowDateTime(): DateTimeMsg {
  const d = new Date();
  return { date: { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, time: { hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() } };
}
