/**
 * `tanba sell` and `tanba return`: complete a sale or a return from the command line (scripting,
 * training, load tests). They drive exactly the same checkout service as the UI: scan -> check
 * -> basket -> one transaction. A shift is opened automatically when none is open (cashier from
 * --cashier, else "cli"), so a script can sell on a fresh register; closing it stays explicit.
 */
import { CheckoutError, type PaymentType } from '../checkout/index.ts';
import { visibleGs } from '../marking/index.ts';
import type { SaleLineRow } from '../store/index.ts';
import { openRegister, type CliRegister } from './register.ts';
import { catalogFactsFor } from '../scan/catalog.ts';
import { UsageError, stringFlag, write, type CliContext, type Command, type CommandArgs } from './types.ts';

export { openRegister } from './register.ts';

/** A line as `sell --json` / `return --json` print it. */
export interface LineJson {
  code: string | null;
  cis: string | null;
  verdict: { decision: string; reason: string; source: string };
  price: number | null;
  quantity: number;
  sum: number | null;
}

function lineJson(l: SaleLineRow): LineJson {
  const v = l.verdict as { decision: string; reason: string; source: string };
  return { code: l.code, cis: l.cis, verdict: { decision: v.decision, reason: v.reason, source: v.source }, price: l.price, quantity: l.quantityMilli / 1000, sum: l.sum };
}

function money(n: number | null): string {
  if (n === null) return '?';
  return `${Math.trunc(n / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
}

function parsePrice(args: CommandArgs): number | undefined {
  const v = stringFlag(args, 'price');
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--price must be whole minor units (tiyn), e.g. 125000 for 1250.00, got '${v}'`);
  return Number(v);
}

async function fail(ctx: CliContext, json: boolean, code: string, message: string, lines: LineJson[] = []): Promise<number> {
  if (json) await write(ctx.stdout, `${JSON.stringify({ ok: false, lines, error: { code, message } })}\n`);
  else await write(ctx.stderr, `tanba: ${message}\n`);
  return 1;
}

function ensureShift(reg: CliRegister, cashier: string): void {
  if (!reg.checkout.currentShift()) reg.checkout.openShift(cashier);
}

export const sellCommand: Command = {
  name: 'sell',
  summary: 'complete a sale of the given codes (the same path as the cashier UI)',
  usage: '[--json] [--pay cash|card] [--price MINOR] [--cashier NAME] CODE...',
  flags: {
    json: { type: 'boolean', help: 'print one JSON object' },
    pay: { type: 'string', help: '--pay cash|card  payment type (default cash, paid exactly)' },
    price: { type: 'string', help: '--price MINOR  unit price in minor units for codes whose product has no price in the cache' },
    cashier: { type: 'string', help: '--cashier NAME  cashier for an automatically opened shift (default cli)' },
  },
  async run(ctx, args) {
    const json = args.flags.json === true;
    const pay = stringFlag(args, 'pay') ?? 'cash';
    if (pay !== 'cash' && pay !== 'card') throw new UsageError(`--pay must be cash or card, got '${pay}'`);
    const price = parsePrice(args);
    if (args.positionals.length === 0) throw new UsageError('give at least one CODE');
    const reg = openRegister(ctx);
    try {
      const { checkout } = reg;
      ensureShift(reg, stringFlag(args, 'cashier') ?? 'cli');
      const shown: LineJson[] = [];
      let refused: string | null = null;
      for (const code of args.positionals) {
        let r;
        try {
          r = checkout.scan(code, { catalog: await catalogFactsFor(reg, code) });
        } catch (err) {
          if (err instanceof CheckoutError) { checkout.cancelBasket(); return await fail(ctx, json, err.code, err.message, shown); }
          throw err;
        }
        if (!r.ok) {
          const v = r.refusal.verdict;
          shown.push({ code, cis: r.refusal.cis, verdict: { decision: v.decision, reason: v.reason, source: v.source }, price: null, quantity: 1, sum: null });
          refused ??= `${visibleGs(code)}: ${v.reason} — ${v.messages.en}`;
          continue;
        }
        for (const line of r.lines) {
          // Price: the cache's, else --price, else a clear error below.
          if (line.price === null && price !== undefined) {
            try {
              checkout.setPrice(line.id, price);
            } catch (err) {
              if (err instanceof CheckoutError) { checkout.cancelBasket(); return await fail(ctx, json, err.code, `${visibleGs(code)}: ${err.message}`, shown); }
              throw err;
            }
          }
          const now = checkout.basket().lines.find((l) => l.id === line.id) ?? line;
          const entry = { code: now.code, cis: now.cis, verdict: { decision: now.verdict.decision, reason: now.verdict.reason, source: now.verdict.source }, price: now.price, quantity: now.quantityMilli / 1000, sum: now.sum };
          const k = shown.findIndex((s) => s.code === entry.code && s.cis === null && entry.cis === null);
          if (k >= 0) shown[k] = entry; else shown.push(entry);
        }
      }
      if (refused !== null) {
        checkout.cancelBasket();
        return await fail(ctx, json, 'REFUSED', `refused, nothing recorded: ${refused}`, shown);
      }
      const noPrice = checkout.basket().lines.find((l) => l.price === null);
      if (noPrice) {
        checkout.cancelBasket();
        return await fail(ctx, json, 'NO_PRICE', `no price for ${visibleGs(noPrice.code ?? '')} (${noPrice.name}): the cache has none; give --price MINOR`, shown);
      }
      const total = checkout.basket().total;
      let doc;
      try {
        doc = checkout.completeSale({ payments: [{ type: pay as PaymentType, amount: total }] });
      } catch (err) {
        if (err instanceof CheckoutError) { checkout.cancelBasket(); return await fail(ctx, json, err.code, err.message, shown); }
        throw err;
      }
      const lines = doc.lines.map(lineJson);
      if (json) {
        await write(ctx.stdout, `${JSON.stringify({ ok: true, saleId: doc.sale.id, lines, total: doc.sale.total, payments: doc.sale.payments })}\n`);
      } else {
        const out = [`sale ${doc.sale.id} (shift ${doc.sale.shiftNumber}, document ${doc.sale.shiftDocumentNumber}, printed #${doc.sale.printedDocumentNumber})`];
        for (const l of lines) out.push(`  ${l.verdict.decision.toUpperCase().padEnd(6)} ${l.verdict.reason.padEnd(16)} ${visibleGs(l.code ?? '')}  ${l.quantity} x ${money(l.price)} = ${money(l.sum)}`);
        out.push(`total ${money(doc.sale.total)} (VAT ${money(doc.sale.taxTotal)}), paid ${doc.sale.payments.map((p) => `${p.type} ${money(p.amount)}`).join(', ')}`);
        await write(ctx.stdout, `${out.join('\n')}\n`);
      }
      return 0;
    } finally {
      reg.close();
    }
  },
};

export const returnCommand: Command = {
  name: 'return',
  summary: 'return lines of a completed sale (by code or line id); a ticket is never cancelled',
  usage: '[--json] [--cashier NAME] SALE_ID CODE...',
  flags: {
    json: { type: 'boolean', help: 'print one JSON object' },
    cashier: { type: 'string', help: '--cashier NAME  cashier for an automatically opened shift (default cli)' },
  },
  async run(ctx, args) {
    const json = args.flags.json === true;
    const [saleId, ...items] = args.positionals;
    if (saleId === undefined || items.length === 0) throw new UsageError('give SALE_ID and at least one CODE (or line id) to return');
    const reg = openRegister(ctx);
    try {
      ensureShift(reg, stringFlag(args, 'cashier') ?? 'cli');
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
    } finally {
      reg.close();
    }
  },
};
