/**
 * Child process of the crash and two-process tests: completes one-code sales in a loop through
 * the real checkout service on a real database file.
 *
 *   tsx test/helpers/sale-loop.ts DB_FILE FROM TO [STEP]
 *
 * Sells water codes serial(FROM), serial(FROM+STEP), ... below TO. Prints "ready" once open, then
 * "committed <saleId> <index>" after each COMMIT has returned (so a printed id must be on disk),
 * "refused <index> <reason>" when the checkout refused the code, and "done" at the end. With
 * FROM = "resume", it starts after the highest index already sold (crash-restart loop).
 * TANBA_TEST_REGISTER names the register (default REG-1), so two processes can be two lanes.
 */
import { writeSync } from 'node:fs';
import { CheckoutError } from '../../src/checkout/index.ts';
import { codeOf, G, openCheckout, serial } from './checkout-fixtures.ts';

const [file, fromArg, toArg, stepArg] = process.argv.slice(2);
if (file === undefined || fromArg === undefined || toArg === undefined) {
  process.stderr.write('usage: sale-loop.ts DB_FILE FROM|resume TO [STEP]\n');
  process.exit(2);
}
const out = (line: string): void => { writeSync(1, `${line}\n`); };
const reg = openCheckout(file, { config: { registerId: process.env.TANBA_TEST_REGISTER ?? 'REG-1' } });
const { checkout, db } = reg;
if (!checkout.currentShift()) {
  try { checkout.openShift('loop'); } catch (err) { if (!(err instanceof CheckoutError && err.code === 'SHIFT_OPEN')) throw err; }
}
let from: number;
if (fromArg === 'resume') {
  const n = db.prepare('SELECT count(*) FROM sales').pluck().get() as number;
  from = n;
} else from = Number(fromArg);
const to = Number(toArg);
const step = Number(stepArg ?? '1');
out('ready');
for (let i = from; i < to; i += step) {
  const r = checkout.scan(codeOf(G.water, serial(i)));
  if (!r.ok) { out(`refused ${i} ${r.refusal.verdict.reason}`); checkout.cancelBasket(); continue; }
  try {
    const doc = checkout.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    out(`committed ${doc.sale.id} ${i}`);
  } catch (err) {
    if (err instanceof CheckoutError && err.code === 'SOLD_TWICE') { out(`refused ${i} SOLD_TWICE`); checkout.cancelBasket(); continue; }
    throw err;
  }
}
out('done');
reg.close();
