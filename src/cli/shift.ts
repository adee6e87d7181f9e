/** `tanba shift open|close|x`: shifts with X (interim) and Z (closing) totals. */
import { CheckoutError, type ShiftReport } from '../checkout/index.ts';
import { openRegister } from './register.ts';
import { UsageError, stringFlag, write, type CliContext, type Command } from './types.ts';

function money(n: number): string {
  return `${Math.trunc(n / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
}

function describe(kind: string, r: ShiftReport): string {
  const pay = (p: Record<string, number>): string => Object.entries(p).map(([k, v]) => `${k} ${money(v)}`).join(', ') || '-';
  return [
    `${kind} report, shift ${r.shiftNumber} (${r.registerId}), opened ${r.openedAt}${r.closedAt ? `, closed ${r.closedAt}` : ''}`,
    `  sales   ${r.sale.count}  ${money(r.sale.sum)}  VAT ${money(r.sale.tax)}  (${pay(r.sale.payments)})`,
    `  returns ${r.return.count}  ${money(r.return.sum)}  VAT ${money(r.return.tax)}  (${pay(r.return.payments)})`,
    `  net     ${money(r.net)}`,
  ].join('\n');
}

async function guarded(ctx: CliContext, json: boolean, fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    if (!(err instanceof CheckoutError)) throw err;
    if (json) await write(ctx.stdout, `${JSON.stringify({ ok: false, error: { code: err.code, message: err.message } })}\n`);
    else await write(ctx.stderr, `tanba: ${err.message}\n`);
    return 1;
  }
}

export const shiftCommand: Command = {
  async run(ctx, args) {
    const json = args.flags.json === true;
    const action = args.positionals[0];
    if (action !== 'open' && action !== 'close' && action !== 'x' || args.positionals.length !== 1) throw new UsageError('say open, close or x');
    const reg = openRegister(ctx);
    try {
      return await guarded(ctx, json, async () => {
        if (action === 'open') {
          const s = reg.checkout.openShift(stringFlag(args, 'cashier') ?? 'cli');
          await write(ctx.stdout, json ? `${JSON.stringify({ ok: true, shift: s })}\n` : `shift ${s.number} opened by ${s.cashier} at ${s.openedAt}\n`);
        } else {
          const r = action === 'close' ? reg.checkout.closeShift() : reg.checkout.xReport();
          await write(ctx.stdout, json ? `${JSON.stringify({ ok: true, report: action === 'close' ? 'Z' : 'X', ...r })}\n` : `${describe(action === 'close' ? 'Z' : 'X', r)}\n`);
        }
      });
    } finally {
      reg.close();
    }
  },
};
