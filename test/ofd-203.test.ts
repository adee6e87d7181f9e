/**
 * Protocol 2.0.3 over real TCP against the emulator (real SQLite files on both sides): VERSION
 * 203 on the wire, a ticket whose lines carry ntin and list_excise_stamp decoded field by field, a
 * return with parent_ticket, CLOSE_SHIFT with operator and Z report, an X report sent, result 18
 * for a barcode not in the National Catalogue (a lookup, never a block), OrgRegInfo.address_kz
 * (field 6, where 2.0.2 had tenantId) decoded from an answer, and the geolocation on the wire.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  Command, PROTOCOL_VERSION, Result, buildCloseShift, buildInfo, buildNomenclatureLookup, buildXReport, createOfdClient, decodeMessage,
  decodeRequest, decodeResponse, encodeFrame, encodeMessage, encodeRequest, exchange, type OfdClient, type OrgRegInfoMsg,
} from '../src/registry/index.ts';
import { allocateOfdCloseShift, allocateOfdDocumentNumbers, getOfdRegInfo, getOfdState, initOfdState, openDatabase, type Db } from '../src/store/index.ts';
import { startOfdEmulator, type OfdEmulator } from '../emulators/index.ts';
import { ticketRequestOf } from './helpers/ticket.ts';

const GS = '\x1d';
const CODE_A = `0104600439931256215Kcz+sHv4vb_E${GS}91EE06${GS}92YWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;
const CODE_B = `0104600439931256215Lcz+sHv4vb_F${GS}91EE06${GS}92ZWCXbmK6SN8vvwoxZFk7WAY8WoJNMGGr6Cgtiuja04c=`;
const DEVICE = 203;
const NOW = '2026-03-02T06:00:00.000Z';

let dir: string;
let emu: OfdEmulator;
let db: Db;
let client: OfdClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tanba-ofd203-'));
  emu = await startOfdEmulator({
    dbPath: join(dir, 'emu.db'), devices: [{ id: DEVICE, token: 7 }],
    catalog: new Map([['04600439931256', [{ ntin: '0200000000011', title: 'Сигареты', titleKk: 'Темекі', measureUnitCode: '796', isMarked: true, isSocial: false }]]]),
  });
  db = openDatabase(join(dir, 'tanba.db'));
  initOfdState(db, { deviceId: DEVICE, token: 7, now: NOW });
  client = createOfdClient({ db, host: emu.host, port: emu.port, deviceId: DEVICE, transactionTimeoutMs: 2000, retryDelayMs: 10, geo: { latitude: 43.238949, longitude: 76.889709, source: 'MANUAL' } });
});
after(async () => {
  await emu.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The raw requests the emulator stored for its accepted documents, decoded with the 2.0.3 schema. */
function storedRequests(): ReturnType<typeof decodeRequest>[] {
  const e = new Database(join(dir, 'emu.db'), { readonly: true });
  try {
    return (e.prepare('SELECT request FROM documents ORDER BY seq').pluck().all() as Buffer[]).map((b) => decodeRequest(b));
  } finally {
    e.close();
  }
}

test('a sale and its return over TCP: VERSION 203, ntin / list_excise_stamp / barcode per line, domain TRADING, then parent_ticket', async () => {
  const n = allocateOfdDocumentNumbers(db, DEVICE, NOW);
  const sale = await client.send(ticketRequestOf({
    dateTime: NOW, shiftNumber: n.shiftNumber, shiftDocumentNumber: n.shiftDocumentNumber, printedDocumentNumber: n.printedDocumentNumber,
    items: [
      { name: 'Сигареты', sectionCode: '1', quantity: 2000, price: 100000, sum: 200000, markingCodes: [CODE_A, CODE_B], ntin: '0200000000011', barcode: '04600439931256', measureUnitCode: '796' },
      { name: 'Хлеб', sectionCode: '1', quantity: 1000, price: 30000, sum: 30000, barcode: '4870001000011' },
    ],
  }));
  assert.equal(sale.kind, 'ok');
  const number = sale.kind === 'ok' ? sale.response.ticket?.ticket_number : undefined;
  assert.ok(number);
  const [doc] = emu.documents();
  assert.deepEqual(doc?.lines?.map((l) => [l.ntin, l.listExciseStamp, l.barcode]), [
    ['0200000000011', [CODE_A, CODE_B], '04600439931256'],
    [null, [], '4870001000011'],
  ]);
  const req = storedRequests()[0]?.ticket;
  const c = req?.items?.[0]?.commodity;
  assert.equal(c?.ntin, '0200000000011');
  assert.deepEqual(c?.list_excise_stamp, [CODE_A, CODE_B], 'byte-exact, GS kept, one entry per code');
  assert.equal(c?.excise_stamp, undefined, 'deprecated excise_stamp left empty');
  assert.equal(c?.quantity, '2000', 'uint64 quantity');
  assert.equal(req?.domain?.type, 0);

  const r = allocateOfdDocumentNumbers(db, DEVICE, NOW);
  const ret = await client.send(ticketRequestOf({
    operation: 'sell_return', originalDocumentId: 'doc-1', dateTime: NOW,
    shiftNumber: r.shiftNumber, shiftDocumentNumber: r.shiftDocumentNumber, printedDocumentNumber: r.printedDocumentNumber,
    items: [{ name: 'Хлеб', sectionCode: '1', quantity: 1000, price: 30000, sum: 30000, barcode: '4870001000011' }],
  }, { parent: { ticketNumber: number as string, dateTime: NOW, total: 230000, offline: false, kgdKkmId: 'KGD-203' } }));
  assert.equal(ret.kind, 'ok');
  assert.deepEqual(emu.documents()[1]?.parentTicket, { number, dateTime: NOW, kgdKkmId: 'KGD-203', total: 230000, offline: false });
  assert.equal(storedRequests()[1]?.ticket?.parent_ticket?.parent_ticket_number, number);
});

test('CLOSE_SHIFT carries the operator and the Z report; an X report goes out as COMMAND_REPORT with zx_report', async () => {
  const figures = {
    shiftNumber: 1, openedAt: NOW, at: '2026-03-02T12:00:00.000Z',
    sale: { count: 1, sum: 230000, payments: { card: 230000 } }, return: { count: 1, sum: 30000, payments: { card: 30000 } },
  };
  const x = await client.send(buildXReport({ dateTime: figures.at, report: figures }));
  assert.equal(x.kind, 'ok');
  const xDoc = emu.documents().at(-1);
  assert.equal(xDoc?.command, 'REPORT');
  assert.equal(xDoc?.zxReport, true);
  const xReq = storedRequests().at(-1)?.report;
  assert.equal(xReq?.report, 1);
  assert.deepEqual(xReq?.zx_report?.revenue, { sum: { bills: '2000', coins: 0 }, is_negative: false });
  assert.equal(xReq?.zx_report?.ticket_operations?.length, 2);

  const z = allocateOfdCloseShift(db, DEVICE, NOW);
  const close = await client.send(buildCloseShift({
    closeTime: '2026-03-02T13:00:00.000Z', shiftNumber: z.shiftNumber, printedDocumentNumber: z.printedDocumentNumber,
    operator: { code: 3, name: 'Асель' }, report: { ...figures, closedAt: '2026-03-02T13:00:00.000Z' },
  }));
  assert.equal(close.kind, 'ok');
  const zDoc = emu.documents().at(-1);
  assert.equal(zDoc?.command, 'CLOSE_SHIFT');
  assert.deepEqual(zDoc?.operator, { code: 3, name: 'Асель' });
  assert.equal(zDoc?.zReport, true);
  assert.equal(storedRequests().at(-1)?.close_shift?.z_report?.shift_number, 1);
});

test('a lookup: the catalogue answers with the NTIN; an unknown barcode gets result 18, and the register stays unblocked', async () => {
  const found = await client.send(buildNomenclatureLookup('4600439931256'));
  assert.equal(found.kind, 'ok');
  const item = found.kind === 'ok' ? found.response.nomenclature?.elements?.[0] : undefined;
  assert.deepEqual([item?.title, item?.title_kk, item?.item?.ntin, item?.item?.is_markedeac], ['Сигареты', 'Темекі', '0200000000011', true]);
  const missing = await client.send(buildNomenclatureLookup('4870001000028'));
  assert.equal(missing.kind, 'ok');
  assert.equal(missing.kind === 'ok' ? missing.response.result.result_code : -1, Result.ELEMENT_NOT_FOUND_BY_BARCODE);
  assert.equal(missing.kind === 'ok' ? missing.response.nomenclature?.result : -1, 3);
  assert.equal(getOfdState(db, DEVICE)?.blocked, null, 'result 18 to a lookup is an answer, not a block');
});

test('OrgRegInfo.address_kz (field 6) and the point of sale position decoded from an answer and stored; geolocation sent in micro-degrees', async () => {
  const info = await client.send(buildInfo());
  assert.equal(info.kind, 'ok');
  const reg = info.kind === 'ok' ? info.response.service?.reg_info : undefined;
  assert.equal(reg?.org?.address_kz, 'Алматы, Абай көшесі, 1');
  assert.equal(reg?.org?.tenantId, undefined);
  assert.deepEqual([reg?.pos?.address_kz, reg?.pos?.latitude, reg?.pos?.longitude], ['Алматы, Абай к-сі, 1', 43_238_949, 76_889_709]);
  const stored = getOfdRegInfo(db, DEVICE)?.regInfo as { org?: { address_kz?: string } } | undefined;
  assert.equal(stored?.org?.address_kz, 'Алматы, Абай көшесі, 1');
  // Field 6 is address_kz in 2.0.3 (tenantId moved to 7): a string at 6 and an int at 7 decode as such.
  const bytes = encodeMessage('OrgRegInfo', { title: 'T', address_kz: 'Мекенжай', tenantId: 42 });
  assert.deepEqual([...bytes.subarray(3, 5)], [0x32, 16], 'field 6, wire type 2 (string)');
  const back = decodeMessage<OrgRegInfoMsg>('OrgRegInfo', bytes);
  assert.deepEqual([back.address_kz, back.tenantId], ['Мекенжай', 42]);

  // The geolocation rides on every request with a service part (the X report above): degrees x 10^6, the configured source.
  const x = storedRequests().find((r) => r.command === Command.REPORT);
  assert.deepEqual(x?.service?.security_stats?.geo_position, { latitude: 43_238_949, longitude: 76_889_709, source: 'MANUAL' });
});

test('the emulator speaks 2.0.3 only: a 2.0.2 frame (VERSION 202) is a protocol error (3); the client sends 203 (bytes CB 00)', async () => {
  const frame = encodeFrame({ version: 202, deviceId: DEVICE, token: 1, reqNum: 999 }, encodeRequest(buildInfo()));
  const back = await exchange(frame, { host: emu.host, port: emu.port, connectTimeoutMs: 1000, responseTimeoutMs: 2000 });
  assert.equal(back.header.version, PROTOCOL_VERSION);
  const text = decodeResponse(back.payload).result;
  assert.equal(text.result_code, Result.PROTOCOL_ERROR);
  assert.match(text.result_text ?? '', /version 202 is not supported/);
  assert.deepEqual([...encodeFrame({ version: PROTOCOL_VERSION, deviceId: 1, token: 1, reqNum: 1 }, new Uint8Array(0)).subarray(2, 4)], [0xcb, 0x00]);
});
