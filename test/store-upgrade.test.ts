/**
 * A register's database is upgraded in place, whatever version it was last written by. For every
 * earlier version V a real file is built the way registers got there: each version's rows were
 * inserted in that version's shape right after its migration ran, up to V. Then today's
 * openDatabase migrates it to the latest version, and every row must still be there, and still
 * be readable through the store's own functions (a sale line's code with its GS bytes, the OFD
 * token and the request in flight, a manager's PIN, the journal's hash chain ...).
 *
 * A new migration N needs its rows here too: SEEDS[N] (the shape of version N) and CHECKS[N].
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { openDatabase, type Db } from '../src/store/db.ts';
import { schemaVersion } from '../src/store/migrate.ts';
import {
  aggregateContentsOf, aggregatesHolding, checksPerHour, counterValue, deliveriesPerHour, getContact, getOfdDocument, getOfdState,
  failureState, getOpenShift, getOutboxByDocument, getSale, getSaleLines, getSyncLease, importRow, listAudit, listOverrides, sessionUser,
  soldRow, syncRow, unprintedPrintJobs, unprintedReceipts, receiptPrintedOffline, searchSales, verifyJournal, verifyUserPin, catalogProductsByBarcode, catalogBarcode, getOfdRegInfo,
} from '../src/store/index.ts';
import { canonicalJson, entryHash } from '../src/store/journal.ts';
import { getProduct, lookupFacts } from '../src/cache/index.ts';
import { listHubConflicts, pendingHubClaims, unguardedSaleCount, unpublishedHubOutbox } from '../src/store/hub.ts';
import { listParkedBaskets, storeProduct } from '../src/store/selling.ts';
import { DIGEST_SEAL_KIND, documentIds, firstDigestMismatch } from '../src/store/document-digest.ts';
import { LATEST, insertRows, migrateTo, tableNames, tableRows, tempDatabase, type Row } from './helpers/migrations.ts';

const GS = '\x1d';
const GTIN = '04870000000019';
const CIS = `01${GTIN}213AbCdEfGhIjKl`;
/** As scanned: the crypto tail after GS, stored byte for byte. */
const SCANNED = `${CIS}${GS}93Zx9q`;
const T = '2026-02-02T08:30:00.000Z';
const GENESIS = '0'.repeat(64);
const SESSION_TOKEN = 'token-of-an-old-session';
const PENDING_REQUEST = Buffer.from([0x08, 0x01, 0x12, 0x04, 0xde, 0xad, 0xbe, 0xef]);
/** ESC @, a line of text, a cut: the shape of a recorded receipt. */
const RECEIPT_BYTES = Buffer.from([0x1b, 0x40, 0x53, 0x2d, 0x31, 0x0a, 0x1d, 0x56, 0x00]);

function pinRow(pin: string): { pin_hash: string; pin_salt: string } {
  const salt = randomBytes(16);
  return { pin_hash: scryptSync(pin, salt, 32).toString('hex'), pin_salt: salt.toString('hex') };
}

/** Journal rows with a valid hash chain, as the version-2 writer made them. */
function journalRows(entries: { kind: string; ref: string | null; payload: unknown }[]): Row[] {
  let prev = GENESIS;
  return entries.map((e, i) => {
    const seq = i + 1;
    const payloadText = canonicalJson(e.payload);
    const hash = entryHash(prev, { seq, at: T, kind: e.kind, ref: e.ref, payload: JSON.parse(payloadText) as unknown });
    const row: Row = { seq, at: T, kind: e.kind, ref: e.ref, payload: payloadText, prev_hash: prev, hash };
    prev = hash;
    return row;
  });
}

/** The rows each version added, in that version's shape. */
const SEEDS: Record<number, (db: Db) => void> = {
  1: (db) => {
    insertRows(db, 'products', [{ gtin: GTIN, name: 'Сүт 2,5 %', grp: 'dairy', ai: 0, unit: 'pcs', min_price: null, price: 65_000, partial: null }]);
    insertRows(db, 'codes', [
      { cis: CIS, status: 1, expires: 20_600, mrp: null },
      { cis: `01${GTIN}213SOLDELSEWHR`, status: 2, expires: null, mrp: 95_000 },
    ]);
    insertRows(db, 'blocks', [{ kind: 3, key: GTIN, batch: 'B-13' }]);
    insertRows(db, 'sold_codes', [{ cis: `01${GTIN}213SOLDHERE000`, sale_id: 'S-1', sold_at: T, units_sold: 1, units_total: 1, returns_until: '2026-02-16' }]);
    insertRows(db, 'cache_sync', [{ channel: 'feed', last_sync_at: T, cursor: 'c-41', last_full_at: T, last_kind: 'delta' }]);
    // An import stopped half-way: it resumes after the upgrade.
    insertRows(db, 'cache_import', [{ id: 1, kind: 'delta', source: '/var/lib/tanba/d.ndjson', file_size: 4096, file_mtime_ms: 1, file_head: 'h', byte_offset: 2048, line: 31, state: '{"from":"c-41"}', started_at: T, updated_at: T, holder_pid: null, lease_token: null, lease_until: null }]);
    insertRows(db, 'stage_codes', [{ cis: `01${GTIN}213STAGED000000`, status: 1, expires: null, mrp: null }]);
  },
  2: (db) => {
    insertRows(db, 'users', [{ id: 'u-1', name: 'Aigerim', role: 'manager', ...pinRow('4821'), created_at: T }]);
    insertRows(db, 'shifts', [{ number: 1, id: 'sh-1', register_id: 'REG-1', cashier: 'Bolat', opened_at: T, closed_at: null, z_report: null }]);
    insertRows(db, 'counters', [{ name: 'printed_document_number', value: 1 }]);
    insertRows(db, 'sales', [{ id: 'S-1', kind: 'sale', original_sale_id: null, shift_number: 1, shift_document_number: 1, printed_document_number: 1, register_id: 'REG-1', cashier: 'Bolat', created_at: T, total: 65_000, tax_total: 8_966, payments: '[{"type":"cash","amount":70000}]', taken: 70_000, change: 5_000 }]);
    insertRows(db, 'overrides', [{ id: 'o-1', at: T, manager: 'Aigerim', cashier: 'Bolat', code: SCANNED, cis: CIS, rule: 'stale', reason_code: 'CACHE_STALE', reason: 'feed late', sale_id: 'S-1' }]);
    insertRows(db, 'sale_lines', [{ id: 'l-1', sale_id: 'S-1', position: 1, code: SCANNED, cis: CIS, gtin: GTIN, name: 'Сүт 2,5 %', product_group: 'dairy', section_code: '1', unit: 'pcs', quantity_milli: 1000, units: null, price: 65_000, sum: 65_000, tax_percent_milli: 16_000, tax_sum: 8_966, ai: 0, decision: 'warn', verdict: '{"reason":"CACHE_STALE"}', check_source: 'cache', request_id: null, checked_at: T, override_id: 'o-1', original_line_id: null }]);
    insertRows(db, 'outbox', [{ seq: 1, kind: 'sell', document_id: 'S-1', payload: '{"saleId":"S-1","total":65000}', state: 'pending', attempts: 2, next_attempt_at: T, last_error: 'ECONNREFUSED', created_at: T, delivered_at: null, ticket_number: null, qr_url: null, offline: 1 }]);
    const journal = journalRows([{ kind: 'shift.open', ref: 'sh-1', payload: { number: 1 } }, { kind: 'sale', ref: 'S-1', payload: { total: 65_000, lines: [{ code: SCANNED }] } }]);
    insertRows(db, 'journal', journal);
    insertRows(db, 'counters', [{ name: 'journal_head', value: journal.length }]);
    insertRows(db, 'contacts', [{ id: 'c-1', sale_id: 'S-1', phone: '+77010000000', email: null, purpose: 'e-receipt', consent_at: T, expires_at: '2026-03-01T00:00:00.000Z', withdrawn_at: null }]);
  },
  3: (db) => {
    insertRows(db, 'ofd_state', [{ device_id: 7, token: 305_419_896, reqnum: 41, pending_reqnum: 42, pending_token: 305_419_896, pending_command: 1, pending_request: PENDING_REQUEST, pending_since: T, shift_number: 1, shift_document_number: 1, printed_document_number: 1, offline_since: T, last_offline_begin: null, last_offline_end: null, last_attempt_at: T, last_contact_at: null, last_offline_ticket_number: 1_770_000_000, blocked_code: null, blocked_text: null, blocked_command: null, blocked_at: null, info_message: 'Оплатите услуги ОФД', updated_at: T }]);
    insertRows(db, 'ofd_documents', [{ key: 'sale:S-0', device_id: 7, command: 1, reqnum: 40, ticket_number: '100000000040', qr_url: 'http://consumer.test-oofd.kz/?i=40', offline_ticket_number: null, accepted_at: T }]);
  },
  4: (db) => {
    insertRows(db, 'users', [{ id: 'u-2', name: 'Tech', role: 'technician', ...pinRow('2468'), created_at: T }]);
    insertRows(db, 'sessions', [{ token_hash: createHash('sha256').update(SESSION_TOKEN).digest('hex'), user_id: 'u-2', created_at: T, expires_at: '2999-01-01T00:00:00.000Z' }]);
    insertRows(db, 'audit_log', [{ at: T, user_id: 'u-2', user_name: 'Tech', role: 'technician', action: 'config.update', outcome: 'ok', details: '{"keys":["store"]}', remote: '127.0.0.1' }]);
  },
  5: (db) => {
    insertRows(db, 'checks', [{ at: T, decision: 'warn', reason: 'OK_OFFLINE', source: 'cache', cis: CIS, scan_source: 'wedge' }]);
    insertRows(db, 'delivery_log', [{ at: T, outbox_id: 1, ok: 0, kind: 'transient', error: 'ECONNREFUSED' }]);
  },
  6: (db) => {
    insertRows(db, 'sync_lease', [{ name: 'ofd', owner: 'sender-1', pid: 4242, host: 'till-1', acquired_at: T, expires_at: '2026-02-02T08:31:00.000Z' }]);
  },
  7: (db) => {
    insertRows(db, 'aggregate_contents', [{ code: '048700000000000017', cis: CIS }, { code: '048700000000000017', cis: `01${GTIN}213SOLDELSEWHR` }]);
  },
  8: (db) => {
    insertRows(db, 'sale_lines', [{ id: 'l-2', sale_id: 'S-1', position: 2, code: `01${GTIN}213SOLDELSEWHR`, cis: `01${GTIN}213SOLDELSEWHR`, gtin: GTIN, name: 'Сүт 2,5 %', product_group: 'dairy', section_code: '1', unit: 'pcs', quantity_milli: 1000, units: null, price: 65_000, sum: 65_000, tax_percent_milli: 16_000, tax_sum: 8_966, ai: 0, decision: 'allow', verdict: '{"reason":"OK"}', check_source: 'online', request_id: 'r-8', checked_at: T, check_provider: 'true-api', request_time: '2026-02-02T08:29:59.500Z', override_id: null, original_line_id: null }]);
  },
  9: (db) => {
    insertRows(db, 'users', [{ id: 'u-3', name: 'Dana', role: 'cashier', ...pinRow('5937'), created_at: T, disabled_at: T }]);
    insertRows(db, 'sessions', [{ token_hash: createHash('sha256').update('token-of-a-disabled-user').digest('hex'), user_id: 'u-3', created_at: T, expires_at: '2999-01-01T00:00:00.000Z' }]);
    insertRows(db, 'auth_failures', [
      { user_id: 'u-1', kind: 'pin', failures: 6, last_at: T, locked_until: '2026-02-02T08:31:00.000Z' },
      { user_id: 'u-2', kind: 'approvals', failures: 2, last_at: T, locked_until: null },
    ]);
  },
  10: (db) => {
    // A receipt the printer refused (paper out): its exact bytes wait for a reprint.
    insertRows(db, 'print_jobs', [{ id: 1, title: 'sale 1 (S-1)', bytes: RECEIPT_BYTES, state: 'failed', attempts: 1, last_error: 'paper out', last_error_code: 'paper-out', created_at: T, printed_at: null }]);
  },
  11: (db) => {
    // A lane of a store: an unguarded sale's code still to reconcile, a conflict, a document for head office.
    insertRows(db, 'hub_claims', [{ id: 1, op: 'sold', cis: `01${GTIN}213SOLDHERE000`, code: `01${GTIN}213SOLDHERE000`, sale_id: 'S-1', at: T, unguarded: 1, state: 'pending', settled_at: null }]);
    insertRows(db, 'hub_conflicts', [{ id: 1, cis: 'C-2', code: 'C-2', store: 'S1', first_register: 'L1', first_sale_id: 'X-1', first_at: T, second_register: 'REG-1', second_sale_id: 'S-1', second_at: T, found_at: T }]);
    insertRows(db, 'hub_outbox', [{ seq: 1, msg_id: 'S-1', kind: 'sale', payload: '{"sale":{"id":"S-1"}}', created_at: T, published_at: null }]);
  },
  12: (db) => {
    // A barcode with two NTINs and the cashier's pick; what the OFD said about the point of sale.
    insertRows(db, 'catalog_products', [
      { id: 1, barcode: '04870001000011', ntin: '0200000000028', title: 'Хлеб белый', title_kk: 'Ақ нан', measure_unit_code: '796', vat_category: 'standard', is_marked: 0, is_social: 1, price: null, source: 'ofd', fetched_at: T },
      { id: 2, barcode: '04870001000011', ntin: '0200000000035', title: 'Хлеб серый', title_kk: 'Сұр нан', measure_unit_code: '796', vat_category: null, is_marked: 0, is_social: 1, price: 30000, source: 'import', fetched_at: T },
    ]);
    insertRows(db, 'catalog_barcodes', [{ barcode: '04870001000011', status: 'found', chosen_ntin: '0200000000035', source: 'ofd', fetched_at: T }]);
    insertRows(db, 'ofd_reg_info', [{ device_id: 1, reg_info: JSON.stringify({ org: { address_kz: 'Алматы, Абай көшесі, 1' } }), received_at: T }]);
  },
  13: () => {
    // Nothing new to seed: migration 13 seals the documents the earlier versions' rows hold.
  },
  14: (db) => {
    // A feed product with its VAT category.
    insertRows(db, 'products', [{ gtin: '04870000001071', name: 'Парацетамол', grp: 'medicines', ai: 0, unit: 'pcs', min_price: null, price: 100_000, partial: null, vat_category: 'medicines' }]);
  },
  15: (db) => {
    // The sale of version 2 whose receipt never printed (the process died after COMMIT).
    insertRows(db, 'unprinted_receipts', [{ document_id: 'S-1', committed_at: T }]);
  },
  16: (db) => {
    // The store's own price list (a free-price item) and a basket put aside.
    insertRows(db, 'store_products', [{ barcode: '4870000000024', title: 'Пакет', title_kk: null, price: null, weighed: 0, ntin: null, vat_category: 'standard', updated_at: T }]);
    insertRows(db, 'parked_baskets', [{ id: 'P-1', parked_at: T, cashier: 'Aigul', total: 500, lines: JSON.stringify([{ code: '4870000000024', quantityMilli: 2000, price: 250, name: 'Пакет' }]) }]);
  },
  17: (db) => {
    // The sale of version 2 printed its receipt with the offline mark.
    insertRows(db, 'offline_receipts', [{ document_id: 'S-1', printed_at: T }]);
  },
  18: (db) => {
    // A feed product with its Kazakh name.
    insertRows(db, 'products', [{ gtin: '04870000001088', name: 'Сок яблочный', grp: 'water', ai: 0, unit: 'pcs', min_price: null, price: 50_000, partial: null, vat_category: null, name_kk: 'Алма шырыны' }]);
  },
};

/** What each version's rows must still say, read through today's store functions. */
const CHECKS: Record<number, (db: Db) => void | Promise<void>> = {
  1: (db) => {
    const facts = lookupFacts(db, CIS, GTIN, 'B-13');
    assert.equal(facts?.status, 'in_circulation');
    assert.equal(facts?.expires, '2026-05-27', 'day number 20600');
    assert.equal(facts?.blockedBy, 'batch');
    assert.equal(facts?.group, 'dairy');
    assert.equal(lookupFacts(db, `01${GTIN}213SOLDELSEWHR`, GTIN, null)?.mrp, 95_000);
    assert.deepEqual(soldRow(db, `01${GTIN}213SOLDHERE000`), { cis: `01${GTIN}213SOLDHERE000`, sale_id: 'S-1', sold_at: T, units_sold: 1, units_total: 1, returns_until: '2026-02-16' });
    assert.equal(syncRow(db)?.cursor, 'c-41');
    assert.equal(importRow(db)?.line, 31, 'the stopped import can resume where it was');
  },
  2: async (db) => {
    assert.equal(getSale(db, 'S-1')?.total, 65_000);
    assert.deepEqual(getSale(db, 'S-1')?.payments, [{ type: 'cash', amount: 70_000 }]);
    const [line] = getSaleLines(db, 'S-1');
    assert.equal(line?.code, SCANNED, 'the code exactly as scanned, GS included');
    assert.equal(line?.overrideId, 'o-1');
    assert.equal(listOverrides(db).find((o) => o.id === 'o-1')?.saleId, 'S-1');
    assert.equal(getOpenShift(db, 'REG-1')?.number, 1);
    assert.equal(counterValue(db, 'printed_document_number'), 1);
    const outbox = getOutboxByDocument(db, 'S-1');
    assert.deepEqual([outbox?.state, outbox?.attempts, outbox?.offline, outbox?.payload], ['pending', 2, true, { saleId: 'S-1', total: 65_000 }]);
    // Two entries of version 2, and migration 13's seal of the documents they record.
    assert.deepEqual(verifyJournal(db), { ok: true, count: 3, lastHash: tableRows(db, 'journal').at(-1)?.hash });
    assert.equal(tableRows(db, 'journal').at(-1)?.kind, DIGEST_SEAL_KIND);
    assert.equal(getContact(db, 'c-1')?.phone, '+77010000000');
    assert.equal((await verifyUserPin(db, 'Aigerim', '4821'))?.role, 'manager', 'a version-2 PIN still logs in');
  },
  3: (db) => {
    const s = getOfdState(db, 7);
    assert.equal(s?.token, 305_419_896);
    assert.deepEqual(s?.pending, { reqNum: 42, token: 305_419_896, command: 1, request: PENDING_REQUEST, since: T }, 'the request in flight is resent with the same REQNUM and token');
    assert.equal(s?.offlineSince, T);
    assert.equal(s?.infoMessage, 'Оплатите услуги ОФД');
    assert.equal(getOfdDocument(db, 'sale:S-0')?.ticketNumber, '100000000040');
  },
  4: (db) => {
    assert.deepEqual(sessionUser(db, SESSION_TOKEN, new Date(T)), { id: 'u-2', name: 'Tech', role: 'technician' });
    assert.deepEqual(listAudit(db).map((a) => [a.action, a.details]), [['config.update', { keys: ['store'] }]]);
  },
  5: (db) => {
    assert.deepEqual(checksPerHour(db, '2026-02-02T00:00:00.000Z', '2026-02-03T00:00:00.000Z'), [{ hour: '2026-02-02T08:00:00.000Z', allow: 0, warn: 1, refuse: 0 }]);
    assert.deepEqual(deliveriesPerHour(db, '2026-02-02T00:00:00.000Z', '2026-02-03T00:00:00.000Z'), [{ hour: '2026-02-02T08:00:00.000Z', delivered: 0, failed: 1 }]);
  },
  6: (db) => {
    assert.deepEqual(getSyncLease(db, 'ofd'), { name: 'ofd', owner: 'sender-1', pid: 4242, host: 'till-1', acquiredAt: T, expiresAt: '2026-02-02T08:31:00.000Z' });
  },
  7: (db) => {
    assert.deepEqual(aggregateContentsOf(db, '048700000000000017'), [CIS, `01${GTIN}213SOLDELSEWHR`].sort());
    assert.deepEqual(aggregatesHolding(db, CIS), ['048700000000000017']);
  },
  8: (db) => {
    const [before, after] = getSaleLines(db, 'S-1');
    assert.deepEqual([before?.checkProvider, before?.requestTime], [null, null], 'a line from before version 8 has no provider');
    assert.deepEqual([after?.checkProvider, after?.requestId, after?.requestTime], ['true-api', 'r-8', '2026-02-02T08:29:59.500Z']);
  },
  9: async (db) => {
    assert.equal((await verifyUserPin(db, 'Dana', '5937'))?.disabledAt, T, 'the PIN is kept, and so is the disabling');
    assert.equal(sessionUser(db, 'token-of-a-disabled-user', new Date(T)), undefined, 'a disabled user\'s session is not live');
    assert.equal(failureState(db, 'u-1', 'pin')?.lockedUntil, '2026-02-02T08:31:00.000Z', 'a lock survives the upgrade');
    assert.equal(failureState(db, 'u-2', 'approvals')?.failures, 2);
  },
  10: (db) => {
    assert.deepEqual(unprintedPrintJobs(db).map((j) => [j.id, j.state, j.lastErrorCode, Buffer.from(j.bytes).equals(RECEIPT_BYTES)]), [[1, 'failed', 'paper-out', true]]);
  },
  11: (db) => {
    assert.deepEqual(pendingHubClaims(db).map((c) => [c.saleId, c.unguarded, c.state]), [['S-1', true, 'pending']]);
    assert.equal(unguardedSaleCount(db), 1);
    assert.deepEqual(listHubConflicts(db).map((c) => [c.first.register, c.second.saleId]), [['L1', 'S-1']]);
    assert.deepEqual(unpublishedHubOutbox(db).map((e) => [e.msgId, e.payload]), [['S-1', { sale: { id: 'S-1' } }]]);
  },
  12: (db) => {
    assert.deepEqual(catalogProductsByBarcode(db, '04870001000011').map((p) => [p.ntin, p.titleKk, p.price]), [['0200000000028', 'Ақ нан', null], ['0200000000035', 'Сұр нан', 30000]]);
    assert.equal(catalogBarcode(db, '04870001000011')?.chosenNtin, '0200000000035', 'the pick survives the upgrade');
    assert.deepEqual(getOfdRegInfo(db, 1)?.regInfo, { org: { address_kz: 'Алматы, Абай көшесі, 1' } });
  },
  13: (db) => {
    assert.ok(documentIds(db).length > 0, 'the earlier versions left documents to seal');
    assert.equal(firstDigestMismatch(db), undefined, 'every document recorded before the upgrade is covered by the seal');
  },
  14: (db) => {
    assert.equal(getProduct(db, '04870000001071')?.vat, 'medicines');
    assert.equal(getProduct(db, GTIN)?.vat, null, 'a product of an older version has no category (standard at sale)');
  },
  15: (db) => {
    assert.deepEqual(unprintedReceipts(db).map((u) => [u.documentId, u.kind, u.total, u.committedAt]), [['S-1', 'sale', 65_000, T]]);
  },
  16: (db) => {
    assert.deepEqual([storeProduct(db, '4870000000024')?.price, storeProduct(db, '4870000000024')?.vatCategory], [null, 'standard']);
    assert.deepEqual(listParkedBaskets(db).map((b) => [b.id, b.lines[0]?.quantityMilli]), [['P-1', 2000]]);
  },
  17: (db) => {
    assert.equal(receiptPrintedOffline(db, 'S-1'), true);
    assert.equal(searchSales(db, { q: 'S-1' }).rows[0]?.offline, true, 'the sales list says offline as the receipt did');
  },
  18: (db) => {
    assert.equal(getProduct(db, '04870000001088')?.nameKk, 'Алма шырыны');
    assert.equal(getProduct(db, GTIN)?.nameKk, null, 'a product of an older version has no Kazakh name (the till shows the one it has)');
  },

};

/**
 * Rows to compare without what migration 13 adds on purpose: the journal entry that seals the
 * documents already recorded, and the journal head it moves. The journal only grows; the entry
 * and the chain are checked in CHECKS[13] and CHECKS[2] (verifyJournal).
 */
function sealed(table: string, rows: Row[]): Row[] {
  if (table === 'journal') return rows.filter((r) => r.kind !== DIGEST_SEAL_KIND);
  if (table === 'counters') return rows.filter((r) => r.name !== 'journal_head');
  return rows;
}

/** Every row of every table, rows in a stable order, for a before/after comparison. */
function snapshot(db: Db): Map<string, Row[]> {
  const key = (r: Row): string => JSON.stringify(Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : String(v))));
  return new Map(tableNames(db).map((t) => [t, tableRows(db, t).sort((a, b) => key(a).localeCompare(key(b)))]));
}

/** The rows of `after` cut down to the columns `before` had. */
function project(before: Row[], after: Row[]): Row[] {
  const columns = Object.keys(before[0] ?? {});
  return after.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
}

test('every version has its rows and its checks here', () => {
  for (let v = 1; v <= LATEST; v++) {
    assert.ok(SEEDS[v] && CHECKS[v], `migration ${v} has no rows in test/store-upgrade.test.ts: add SEEDS[${v}] and CHECKS[${v}]`);
  }
});

for (let from = 1; from <= LATEST; from++) {
  const what = from === LATEST ? `a database at the latest version (${from}) reopens unchanged` : `a database at version ${from} upgrades to ${LATEST} with every row it holds`;
  test(what, async () => {
    const t = tempDatabase(0);
    try {
      for (let v = 1; v <= from; v++) {
        migrateTo(t.db, v);
        SEEDS[v]?.(t.db);
      }
      const before = snapshot(t.db);
      t.db.close();

      // The production path: what `tanba serve` and every CLI command do on start.
      const db = openDatabase(t.file);
      try {
        assert.equal(schemaVersion(db), LATEST);
        const after = snapshot(db);
        for (const [table, rows] of before) {
          if (rows.length === 0) continue;
          assert.ok(after.has(table), `table ${table} is gone`);
          assert.deepEqual(project(rows, sealed(table, after.get(table) ?? [])), sealed(table, rows), `rows of ${table}`);
        }
        for (let v = 1; v <= from; v++) await CHECKS[v]?.(db);
      } finally {
        db.close();
      }
    } finally {
      t.done();
    }
  });
}
