/**
 * Child process of the sync chaos test: a register that completes one-code sales through the
 * real checkout service while the real outbox sender delivers them to an OFD over TCP.
 *
 *   tsx test/helpers/sync-register.ts DB_FILE HOST PORT TOTAL
 *
 * Resumes after the sales already on disk (it is SIGKILLed and restarted). Closes the shift once,
 * half-way (a CLOSE_SHIFT in the queue), and opens the next. Prints "ready", "committed <id> <i>"
 * after each COMMIT, and "drained" once every sale is completed and the outbox is empty; exits 3
 * with "blocked <reason>" if a row got blocked (a person would have to look: the test fails).
 * While a server block (15) stops sales (REGISTER_BLOCKED) it waits and tries again, as a cashier would.
 */
import { writeSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { CheckoutError } from '../../src/checkout/index.ts';
import { outboxStats } from '../../src/store/index.ts';
import { blockedOutbox, createOutboxSender, openOfdClient } from '../../src/sync/index.ts';
import { codeOf, G, openCheckout, serial } from './checkout-fixtures.ts';

const [file, host, portArg, totalArg] = process.argv.slice(2);
if (file === undefined || host === undefined || portArg === undefined || totalArg === undefined) {
  process.stderr.write('usage: sync-register.ts DB_FILE HOST PORT TOTAL\n');
  process.exit(2);
}
const out = (line: string): void => { writeSync(1, `${line}\n`); };
const total = Number(totalArg);
const reg = openCheckout(file);
const { checkout, db } = reg;
// Fast protocol timings so the run fits the test budget (the production minimums are 5 s / 60 s).
const client = openOfdClient(db, { host, port: Number(portArg), deviceId: 1, token: 1 }, {
  transactionTimeoutMs: 150, retryDelayMs: 2, connectTimeoutMs: 100, reconnectIntervalMs: 10,
});
const sender = createOutboxSender({ db, client, reconnectIntervalMs: 10, backoff: { baseMs: 5, maxMs: 40 }, idleMs: 200 });
sender.start();

if (!checkout.currentShift()) checkout.openShift('chaos');
const sold = (): number => db.prepare("SELECT count(*) FROM sales WHERE kind = 'sale'").pluck().get() as number;
out('ready');
const half = Math.floor(total / 2);

async function exitBlocked(): Promise<never> {
  out(`blocked ${blockedOutbox(db).map((b) => `${b.id}: ${b.lastError ?? ''}`).join('; ')}`);
  await sender.stop();
  reg.close();
  process.exit(3);
}

/** Sells code i; while the OFD blocks the register (15) sales are refused, so wait as a cashier would. */
async function sellWhenAllowed(i: number): Promise<ReturnType<typeof checkout.completeSale>> {
  for (;;) {
    try {
      checkout.cancelBasket();
      const r = checkout.scan(codeOf(G.water, serial(i)));
      if (!r.ok) throw new Error(`code ${i} refused: ${r.refusal.verdict.reason}`);
      return checkout.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    } catch (err) {
      if (!(err instanceof CheckoutError) || err.code !== 'REGISTER_BLOCKED') throw err;
      // A blocked row needs a person: report it (the test fails) instead of waiting forever.
      if (outboxStats(db).blocked > 0) await exitBlocked();
      sender.notify();
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
for (let i = sold(); i < total; i++) {
  if (i === half && checkout.currentShift()?.number === 1) {
    checkout.closeShift();
    checkout.openShift('chaos');
    sender.notify();
  }
  const doc = await sellWhenAllowed(i);
  out(`committed ${doc.sale.id} ${i}`);
  sender.notify();
  await tick(); // let the sender work between sales
}
for (;;) {
  const s = outboxStats(db);
  if (s.blocked > 0) await exitBlocked();
  if (s.pending + s.sending === 0) break;
  sender.notify();
  await new Promise((r) => setTimeout(r, 5));
}
await sender.stop();
out('drained');
reg.close();
