// Several National Catalogue NTINs for one barcode, through the cashier's API over real HTTP (a
// training-mode core on loopback, a real SQLite file): the sale waits for the cashier's pick
// (409 NTIN_CHOICE), POST /api/checkout/ntin-choice applies it to the basket's lines of that
// barcode and remembers it for the barcode in this store, so the next scan sells under it
// without asking; a wrong pick or an unknown barcode is refused naming what was wrong.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, type Harness } from './server-harness.ts';
import { catalogBarcode, openDatabase, storeCatalogAnswer } from '../src/store/index.ts';
import type { BasketView, NtinChoiceResponse, ScanResponse } from '../src/server/contract/index.ts';

const TWO = '4870001000011';
const KEY = `0${TWO}`;
const WHITE = '0200000000028';
const GREY = '0200000000035';

let h: Harness;

before(async () => {
  h = await startHarness('srv-ntin');
  const db = openDatabase(join(h.dir, 'tanba.db'));
  try {
    // The catalogue's answer, fresh (as a lookup or a head-office import leaves it): two NTINs.
    const product = (ntin: string, title: string, titleKk: string) => ({
      ntin, title, titleKk, measureUnitCode: '796', vatCategory: null, isMarked: false, isSocial: true, price: null, source: 'import' as const, fetchedAt: new Date().toISOString(),
    });
    storeCatalogAnswer(db, KEY, [product(WHITE, 'Хлеб белый', 'Ақ нан'), product(GREY, 'Хлеб серый', 'Сұр нан')], { source: 'import', fetchedAt: new Date().toISOString() });
  } finally {
    db.close();
  }
  const open = await h.call('POST', '/api/shifts/open', h.tokens.cashier, {});
  assert.equal(open.status, 201, open.text);
});
after(async () => {
  await h?.stop();
});

async function scanTwo(): Promise<ScanResponse> {
  const r = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code: TWO, source: 'wedge', price: 30_000 });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('the sale waits for a pick; the pick is applied to the lines of that barcode and remembered; the next scan uses it', async () => {
  const second = await scanTwo();
  assert.equal(second.basket.lines.length, 1);
  assert.deepEqual(second.basket.lines[0]?.ntinCandidates?.map((c) => [c.ntin, c.title, c.titleKk]), [[WHITE, 'Хлеб белый', 'Ақ нан'], [GREY, 'Хлеб серый', 'Сұр нан']]);
  assert.equal(second.basket.lines[0]?.ntin ?? null, null);
  const early = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: second.basket.total }] });
  assert.equal(early.status, 409, early.text);
  assert.equal((early.body as { error: { code: string } }).error.code, 'NTIN_CHOICE');

  const wrong = await h.call('POST', '/api/checkout/ntin-choice', h.tokens.cashier, { barcode: TWO, ntin: '0200000000097' });
  assert.equal(wrong.status, 400, wrong.text);
  assert.match(wrong.text, /0200000000097 is not one of the NTINs.*4870001000011/);
  assert.equal(catalogChosen(), null, 'a wrong pick changes nothing');

  const pick = await h.call<NtinChoiceResponse>('POST', '/api/checkout/ntin-choice', h.tokens.cashier, { barcode: TWO, ntin: GREY });
  assert.equal(pick.status, 200, pick.text);
  assert.equal(pick.body.lines.length, 1);
  assert.deepEqual(pick.body.basket.lines.map((l) => [l.ntin, l.name, l.nameKk, l.ntinCandidates ?? null]), [[GREY, 'Хлеб серый', 'Сұр нан', null]]);
  assert.equal(catalogChosen(), GREY, 'remembered for the barcode in this store');
  const paid = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: pick.body.basket.total }] });
  assert.equal(paid.status, 201, paid.text);

  // The next scan of that barcode asks nothing.
  const next = await scanTwo();
  assert.deepEqual([next.basket.lines[0]?.ntin, next.basket.lines[0]?.name, next.basket.lines[0]?.ntinCandidates ?? null], [GREY, 'Хлеб серый', null]);
  const again = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: next.basket.total }] });
  assert.equal(again.status, 201, again.text);

  const audit = await h.call<{ entries: { action: string; details: Record<string, unknown> }[] }>('GET', '/api/audit?action=basket.ntin', h.tokens.admin);
  assert.equal(audit.status, 200, audit.text);
  assert.deepEqual(audit.body.entries.map((e) => [e.details.barcode, e.details.ntin, e.details.lines]), [[TWO, GREY, 1]]);
});

test('bad bodies and unknown barcodes are refused naming what was wrong; a cashier-only route', async () => {
  const bad = await h.call('POST', '/api/checkout/ntin-choice', h.tokens.cashier, { barcode: 'abc', ntin: GREY });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /barcode/);
  const badNtin = await h.call('POST', '/api/checkout/ntin-choice', h.tokens.cashier, { barcode: TWO, ntin: '12' });
  assert.equal(badNtin.status, 400);
  assert.match(badNtin.text, /ntin/);
  const unknown = await h.call('POST', '/api/checkout/ntin-choice', h.tokens.cashier, { barcode: '4870001000028', ntin: GREY });
  assert.equal(unknown.status, 404, unknown.text);
  assert.match(unknown.text, /4870001000028/);
  assert.equal((await h.call('POST', '/api/checkout/ntin-choice', h.tokens.technician, { barcode: TWO, ntin: WHITE })).status, 403);
  const basket = await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier);
  assert.equal(basket.body.lines.length, 0);
  assert.equal(catalogChosen(), GREY, 'still the earlier pick');
});

function catalogChosen(): string | null {
  const db = openDatabase(join(h.dir, 'tanba.db'));
  try {
    return catalogBarcode(db, KEY)?.chosenNtin ?? null;
  } finally {
    db.close();
  }
}
