// The manager's CSV exports over real HTTP (training core): ';' with a decimal comma for Russian
// and Kazakh spreadsheets (BOM kept), returns negative, `offline` true for a sale the OFD has not
// received (as its receipt says) and false once delivered, and the per-line export with each
// line's code (GS shown as <GS>), CIS and GTIN.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, until, type Harness } from './server-harness.ts';
import type { BasketView, CompleteResponse, SalesResponse } from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-sales-export');
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
});
after(async () => {
  await h.stop();
});

async function sell(codes: { code: string; price: number | null }[]): Promise<CompleteResponse> {
  for (const c of codes) {
    const s = await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: c.code, source: 'wedge', ...(c.price === null ? { price: 12_345 } : {}) });
    assert.equal(s.status, 200, s.text);
  }
  const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
  const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: basket.total }] });
  assert.equal(paid.status, 201, paid.text);
  return paid.body;
}

/** RFC 4180: quoted fields may hold the separator, quotes (doubled) and line breaks. */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const table = (text: string, sep: string) => {
  // fetch's text() drops the BOM; the bytes are checked below.
  const [head, ...rows] = parseCsv(text.replace(/^\ufeff/, ''), sep);
  const col = (row: string[] | undefined, name: string) => row?.[(head as string[]).indexOf(name)];
  return { head: head as string[], rows, col };
};

test('sales.csv: semicolons and decimal commas, returns negative, offline as the receipt says', async () => {
  const codes = await h.sample('sellable', 3, 80);
  const sale = await sell(codes.slice(0, 2) as { code: string; price: number | null }[]);
  await until('the sale delivered', async () => {
    const s = await h.call<SalesResponse>('GET', `/api/sales?q=${sale.saleId}`, h.tokens.manager);
    return s.body.sales[0]?.delivery.state === 'delivered' ? true : undefined;
  }, 30_000);
  const ret = await h.call<CompleteResponse>('POST', '/api/checkout/return', h.tokens.cashier, { saleId: sale.saleId, items: [codes[0]?.code] });
  assert.equal(ret.status, 201, ret.text);
  // The OFD is down: the next sale waits in the queue, an offline document.
  assert.equal((await h.call('POST', '/api/training/emulators', h.tokens.technician, { ofd: 'stopped' })).status, 200);
  try {
    await exportsAfter(sale, ret.body, await sell([codes[2] as { code: string; price: number | null }]));
  } finally {
    assert.equal((await h.call('POST', '/api/training/emulators', h.tokens.technician, { ofd: 'running' })).status, 200);
  }
});

/** The checks of both exports, while `queued` waits for the stopped OFD. */
async function exportsAfter(sale: CompleteResponse, ret: CompleteResponse, queued: CompleteResponse): Promise<void> {
  const bytes = new Uint8Array(await (await fetch(`${h.base}/api/sales.csv?sep=semicolon`, { headers: { authorization: `Bearer ${h.tokens.manager}` } })).arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const csv = await h.call('GET', '/api/sales.csv?sep=semicolon', h.tokens.manager);
  assert.equal(csv.status, 200, csv.text);
  const { head, rows, col } = table(csv.text, ';');
  assert.equal(head[0], 'document_id');
  assert.ok(head.includes('offline') && head.length > 10, 'split on ;');
  const saleRow = rows.find((r) => r[0] === sale.saleId);
  const retRow = rows.find((r) => r[0] === ret.saleId);
  const queuedRow = rows.find((r) => r[0] === queued.saleId);
  const t = sale.receipt.totals.total;
  assert.equal(col(saleRow, 'total'), `${Math.floor(t / 100)},${String(t % 100).padStart(2, '0')}`);
  assert.equal(col(saleRow, 'offline'), 'false');
  const r = ret.receipt.totals.total;
  assert.equal(col(retRow, 'total_tiyn'), String(-r));
  assert.equal(col(retRow, 'cash_tiyn'), String(-r));
  assert.ok(col(retRow, 'total')?.startsWith('-'));
  assert.notEqual(col(queuedRow, 'delivery'), 'delivered');
  assert.equal(col(queuedRow, 'offline'), 'true', 'not delivered: offline, as its receipt says');
  // The default stays comma-separated with a decimal point.
  const plain = await h.call('GET', '/api/sales.csv', h.tokens.manager);
  const p = table(plain.text, ',');
  assert.equal(p.col(p.rows.find((x) => x[0] === sale.saleId), 'total'), (t / 100).toFixed(2));
  assert.equal((await h.call('GET', '/api/sales.csv?sep=tab', h.tokens.manager)).status, 400);

  const lines = await h.call('GET', '/api/sales/lines.csv?sep=semicolon', h.tokens.manager);
  assert.equal(lines.status, 200, lines.text);
  assert.match(lines.headers.get('content-disposition') ?? '', /tanba-sales-lines-/);
  const l = table(lines.text, ';');
  const ofSale = l.rows.filter((x) => x[0] === sale.saleId);
  assert.equal(ofSale.length, 2, 'one row per line');
  for (const [i, line] of sale.receipt.lines.entries()) {
    const row = ofSale.find((x) => l.col(x, 'position') === String(line.position));
    assert.ok(row, `line ${i}`);
    assert.equal(l.col(row, 'cis'), line.cis);
    assert.equal(l.col(row, 'code'), line.code?.replaceAll('\x1d', '<GS>'));
    assert.equal(l.col(row, 'sum_tiyn'), String(line.sum));
  }
  const retLine = l.rows.find((x) => x[0] === ret.saleId);
  assert.equal(l.col(retLine, 'sum_tiyn'), String(-r));
  assert.ok(l.col(retLine, 'original_line_id'));
}

test('sales list and sales.csv show the cash kept (tendered minus change), tendered and change beside it', async () => {
  const [a, b] = await h.sample('sellable', 2, 90) as { code: string; price: number | null }[];
  const pay = async (item: { code: string; price: number | null } | undefined, payments: (total: number) => { type: 'cash' | 'card'; amount: number }[]) => {
    assert.ok(item);
    const s = await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: item.code, source: 'wedge', ...(item.price === null ? { price: 12_345 } : {}) });
    assert.equal(s.status, 200, s.text);
    const total = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body.total;
    const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: payments(total) });
    assert.equal(paid.status, 201, paid.text);
    return { id: paid.body.saleId, total };
  };
  // Cash only, 5 000 ₸ more than the total handed over; and a split: half by card, the rest in cash with 247 ₸ change.
  const cash = await pay(a, (total) => [{ type: 'cash', amount: total + 500_000 }]);
  const half = (total: number) => Math.floor(total / 2);
  const split = await pay(b, (total) => [{ type: 'card', amount: half(total) }, { type: 'cash', amount: total - half(total) + 24_700 }]);
  const list = await h.call<SalesResponse>('GET', '/api/sales?limit=50', h.tokens.manager);
  const row = (id: string) => list.body.sales.find((s) => s.id === id);
  assert.deepEqual(row(cash.id)?.kept, [{ type: 'cash', amount: cash.total }]);
  assert.equal(row(cash.id)?.change, 500_000);
  assert.deepEqual(row(split.id)?.kept, [{ type: 'card', amount: half(split.total) }, { type: 'cash', amount: split.total - half(split.total) }]);
  // The tendered payments stay as recorded.
  assert.deepEqual(row(split.id)?.payments.map((p) => p.amount), [half(split.total), split.total - half(split.total) + 24_700]);

  const csv = await h.call('GET', '/api/sales.csv', h.tokens.manager);
  const { rows, col } = table(csv.text, ',');
  const cashRow = rows.find((r) => r[0] === cash.id);
  assert.equal(col(cashRow, 'cash_tiyn'), String(cash.total), 'cash kept, not tendered');
  assert.equal(col(cashRow, 'cash_tendered_tiyn'), String(cash.total + 500_000));
  assert.equal(col(cashRow, 'change_tiyn'), '500000');
  const splitRow = rows.find((r) => r[0] === split.id);
  assert.equal(col(splitRow, 'card_tiyn'), String(half(split.total)));
  assert.equal(col(splitRow, 'cash_tiyn'), String(split.total - half(split.total)));
  assert.equal(Number(col(splitRow, 'cash_tiyn')) + Number(col(splitRow, 'card_tiyn')), Number(col(splitRow, 'total_tiyn')), 'kept payments add up to the total');
  assert.equal(col(splitRow, 'change_tiyn'), '24700');
});
