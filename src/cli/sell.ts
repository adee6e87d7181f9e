/**
 * `tanba sell` and `tanba return`: complete a sale or a return from the command line (scripting,
 * training, load tests). They drive exactly the same checkout service as the UI: scan -> check
 * -> basket -> one transaction. A shift is opened automatically when none is open (cashier from
 * --cashier, else "cli"), so a script can sell on a fresh register; closing it stays explicit.
 */
import { CheckoutError, formatMoney, type CatalogFacts, type Checkout, type CommittedDocument, type PaymentType } from '../checkout/index.ts';
import { catalogFactsFor } from '../scan/catalog.ts';
import { visibleGs } from '../marking/index.ts';
import type { SaleLineRow } from '../store/index.ts';
import { withRegister, type CliRegister } from './register.ts';
import { UsageError, stringFlag, write, type CliContext, type Command, type CommandArgs } from './types.ts';

/** A line as `sell --json` / `return --json` print it. */
export interface LineJson {
  code: string | null;
  cis: string | null;
  /** `lane`: another lane of the store holds the code (issue 19). */
  verdict: { decision: string; reason: string; source: string; lane?: string };
  price: number | null;
  quantity: number;
  sum: number | null;
}

function lineJson(l: SaleLineRow): LineJson {
  const v = l.verdict as { decision: string; reason: string; source: string };
  return { code: l.code, cis: l.cis, verdict: { decision: v.decision, reason: v.reason, source: v.source }, price: l.price, quantity: l.quantityMilli / 1000, sum: l.sum };
}

/** Minor units as `1250.00`; `?` for a line without a price. */
function money(n: number | null): string {
  return n === null ? '?' : formatMoney(n);
}

function parsePrice(args: CommandArgs): number | undefined {
  const v = stringFlag(args, 'price');
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--price must be whole minor units (tiyn), e.g. 125000 for 1250.00, got '${v}'`);
  return Number(v);
}

async function fail(ctx: CliContext, json: boolean, code: string, message: string, lines: LineJson[] = [], detail: { reason?: string; lane?: string } = {}): Promise<number> {
  if (json) await write(ctx.stdout, `${JSON.stringify({ ok: false, lines, error: { code, message, ...detail } })}\n`);
  else await write(ctx.stderr, `tanba: ${message}\n`);
  return 1;
}

function ensureShift(reg: CliRegister, cashier: string): void {
  if (!reg.checkout.currentShift()) reg.checkout.openShift(cashier);
}

/** Why a sale cannot go through (the basket is then cancelled; nothing is recorded). */
interface SaleFailure { code: string; message: string; detail?: { reason?: string; lane?: string } }

/**
 * Scans `codes` into the basket, giving `price` to lines the cache has no price for. Returns the
 * lines as `sell` shows them and the first reason the sale cannot go through, if any.
 */
async function fillBasket(checkout: Checkout, codes: readonly string[], price: number | undefined, catalogs: ReadonlyMap<string, CatalogFacts | null> = new Map()): Promise<{ shown: LineJson[]; failure: SaleFailure | null }> {
  const shown: LineJson[] = [];
  let refused: string | null = null;
  let detail: { reason?: string; lane?: string } = {};
  for (const code of codes) {
    let r;
    try {
      r = await checkout.scanGuarded(code, { catalog: catalogs.get(code) ?? null });
    } catch (err) {
      if (err instanceof CheckoutError) return { shown, failure: { code: err.code, message: err.message } };
      throw err;
    }
    if (!r.ok) {
      const v = r.refusal.verdict;
      shown.push({ code, cis: r.refusal.cis, verdict: { decision: v.decision, reason: v.reason, source: v.source, ...(v.lane ? { lane: v.lane } : {}) }, price: null, quantity: 1, sum: null });
      if (refused === null) detail = { reason: v.reason, ...(v.lane ? { lane: v.lane } : {}) };
      refused ??= `${visibleGs(code)}: ${v.reason} — ${v.messages.en}`;
      continue;
    }
    for (const line of r.lines) {
      // Price: the cache's, else --price, else a clear error below.
      if (line.price === null && price !== undefined) {
        try {
          checkout.setPrice(line.id, price);
        } catch (err) {
          if (err instanceof CheckoutError) return { shown, failure: { code: err.code, message: `${visibleGs(code)}: ${err.message}` } };
          throw err;
        }
      }
      const now = checkout.basket().lines.find((l) => l.id === line.id) ?? line;
      const entry = { code: now.code, cis: now.cis, verdict: { decision: now.verdict.decision, reason: now.verdict.reason, source: now.verdict.source }, price: now.price, quantity: now.quantityMilli / 1000, sum: now.sum };
      const k = shown.findIndex((s) => s.code === entry.code && s.cis === null && entry.cis === null);
      if (k >= 0) shown[k] = entry; else shown.push(entry);
    }
  }
  if (refused !== null) return { shown, failure: { code: 'REFUSED', message: `refused, nothing recorded: ${refused}`, detail } };
  const noPrice = checkout.basket().lines.find((l) => l.price === null);
  if (noPrice) return { shown, failure: { code: 'NO_PRICE', message: `no price for ${visibleGs(noPrice.code ?? '')} (${noPrice.name}): the cache has none; give --price MINOR` } };
  return { shown, failure: null };
}

/** Prints a completed sale (one JSON object, or a few human lines). */
async function printSale(ctx: CliContext, json: boolean, doc: CommittedDocument): Promise<void> {
  const lines = doc.lines.map(lineJson);
  if (json) {
    await write(ctx.stdout, `${JSON.stringify({ ok: true, saleId: doc.sale.id, lines, total: doc.sale.total, payments: doc.sale.payments })}\n`);
    return;
  }
  const out = [`sale ${doc.sale.id} (shift ${doc.sale.shiftNumber}, document ${doc.sale.shiftDocumentNumber}, printed #${doc.sale.printedDocumentNumber})`];
  for (const l of lines) out.push(`  ${l.verdict.decision.toUpperCase().padEnd(6)} ${l.verdict.reason.padEnd(16)} ${visibleGs(l.code ?? '')}  ${l.quantity} x ${money(l.price)} = ${money(l.sum)}`);
  out.push(`total ${money(doc.sale.total)} (VAT ${money(doc.sale.taxTotal)}), paid ${doc.sale.payments.map((p) => `${p.type} ${money(p.amount)}`).join(', ')}`);
  await write(ctx.stdout, `${out.join('\n')}\n`);
}

export const sellCommand: Command = {
  async run(ctx, args) {
    const json = args.flags.json === true;
    const pay = stringFlag(args, 'pay') ?? 'cash';
    if (pay !== 'cash' && pay !== 'card') throw new UsageError(`--pay must be cash or card, got '${pay}'`);
    const price = parsePrice(args);
    if (args.positionals.length === 0) throw new UsageError('give at least one CODE');
    return withRegister(ctx, async (reg) => {
      const { checkout } = reg;
      ensureShift(reg, stringFlag(args, 'cashier') ?? 'cli');
      // A lane of a store: one try to reach the store's NATS; unreachable, the sale goes unguarded.
      await reg.hub?.connectOnce();
      // Each product looked up in the National Catalogue first (within its budget), as the till does.
      const catalogs = new Map<string, CatalogFacts | null>();
      for (const code of args.positionals) if (!catalogs.has(code)) catalogs.set(code, await catalogFactsFor(reg, code));
      const { shown, failure } = await fillBasket(checkout, args.positionals, price, catalogs);
      if (failure !== null) {
        checkout.cancelBasket();
        return fail(ctx, json, failure.code, failure.message, shown, failure.detail);
      }
      let doc;
      try {
        doc = checkout.completeSale({ payments: [{ type: pay as PaymentType, amount: checkout.basket().total }] });
      } catch (err) {
        if (err instanceof CheckoutError) { checkout.cancelBasket(); return fail(ctx, json, err.code, err.message, shown); }
        throw err;
      }
      // The store learns of the sale before the process exits (or reconciles it later).
      await reg.hub?.settle();
      await printSale(ctx, json, doc);
      return 0;
    });
  },
};

export const returnCommand: Command = {
  async run(ctx, args) {
    const json = args.flags.json === true;
    const [saleId, ...items] = args.positionals;
    if (saleId === undefined || items.length === 0) throw new UsageError('give SALE_ID and at least one CODE (or line id) to return');
    return withRegister(ctx, async (reg) => {
      ensureShift(reg, stringFlag(args, 'cashier') ?? 'cli');
      await reg.hub?.connectOnce();
      let doc;
      try {
        doc = reg.checkout.returnLines(saleId, items);
      } catch (err) {
        if (err instanceof CheckoutError) {
          if (json) await write(ctx.stdout, `${JSON.stringify({ ok: false, saleId, error: { code: err.code, message: err.message } })}\n`);
          else await write(ctx.stderr, `tanba: ${err.message}\n`);
          return 1;
        }
        throw err;
      }
      await reg.hub?.settle();
      const lines = doc.lines.map(lineJson);
      if (json) {
        await write(ctx.stdout, `${JSON.stringify({ ok: true, returnId: doc.sale.id, saleId, lines, total: doc.sale.total, payments: doc.sale.payments })}\n`);
      } else {
        const out = [`return ${doc.sale.id} of sale ${saleId}`];
        for (const l of lines) out.push(`  ${visibleGs(l.code ?? '')}  ${l.quantity} x ${money(l.price)} = ${money(l.sum)}`);
        out.push(`refund ${money(doc.sale.total)} ${doc.sale.payments.map((p) => p.type).join('+')}`);
        await write(ctx.stdout, `${out.join('\n')}\n`);
      }
      return 0;
    }, { existing: true }); // a return needs the sale it returns: no register, nothing to return
  },
};
