// `tanba catalog import FILE.csv`: the store's price list from a spreadsheet export (real CLI
// process, real SQLite file). Semicolons and Excel's BOM, quoted names, prices in tenge with a
// comma, weighed goods; a bad row names its line and nothing of the file is stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { searchProducts, storeProduct } from '../src/store/selling.ts';
import { tengeToTiyn } from '../src/cli/catalog-csv.ts';
import { tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

function tanba(dir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

let reg: TempRegister;
before(async () => { reg = await tempRegister(); });
after(() => reg.done());

test('tengeToTiyn reads tenge exactly (comma or point, spaces), and refuses anything else', () => {
  assert.equal(tengeToTiyn('1 250,50'), 125_050);
  assert.equal(tengeToTiyn('89'), 8_900);
  assert.equal(tengeToTiyn('0.5'), 50);
  assert.throws(() => tengeToTiyn('12.345'), /not a price in tenge/);
  assert.throws(() => tengeToTiyn('-5'), /not a price in tenge/);
});

test('a CSV price list goes into the store products: names, tenge prices, free-price and weighed goods', async () => {
  const file = join(reg.dir, 'prices.csv');
  writeFileSync(file, '\uFEFFBarcode;Name;Name_kk;Price;Unit;VAT\r\n'
    + '4870000000017;"Яблоки ""Апорт""";Алма;"899,90";кг;standard\r\n'
    + '4870000000024;Пакет майка;;;шт;\r\n'
    + '4870000000031;Хлеб;Нан;150;;zero\r\n');
  const r = await tanba(reg.dir, ['catalog', 'import', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /imported 3 products/);
  const db = openDatabase(reg.file);
  try {
    const apples = storeProduct(db, '4870000000017');
    assert.deepEqual([apples?.title, apples?.titleKk, apples?.price, apples?.weighed, apples?.vatCategory], ['Яблоки "Апорт"', 'Алма', 89_990, true, 'standard']);
    assert.deepEqual([storeProduct(db, '4870000000024')?.price, storeProduct(db, '4870000000024')?.weighed], [null, false], 'no price: a free-price item');
    assert.deepEqual(searchProducts(db, 'апорт', 5).map((h) => h.barcode), ['4870000000017']);
  } finally {
    db.close();
  }
});

test('a bad row is named by line and column, and nothing of that file is stored', async () => {
  const file = join(reg.dir, 'bad.csv');
  writeFileSync(file, 'barcode,name,price\n4870000000048,Соль,95\n4870000000055,Сахар,12.345\n');
  const r = await tanba(reg.dir, ['catalog', 'import', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad\.csv:3: price: '12\.345' is not a price in tenge.*nothing imported/);
  const noName = join(reg.dir, 'noname.csv');
  writeFileSync(noName, 'barcode;name\n12345;Соль\n');
  const r2 = await tanba(reg.dir, ['catalog', 'import', noName]);
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /noname\.csv:2: barcode: a barcode is 8 to 14 digits/);
  const db = openDatabase(reg.file);
  try {
    assert.equal(storeProduct(db, '4870000000048'), undefined, 'the good row of a bad file is not stored either');
  } finally {
    db.close();
  }
});
