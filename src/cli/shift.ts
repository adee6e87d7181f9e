/** `tanba shift open|close|x`: shifts with X (interim) and Z (closing) totals. */
import { CheckoutError, formatMoney, type ShiftReport } from '../checkout/index.ts';
import { withRegister } from './register.ts';
import { UsageError, stringFlag, write, type CliContext, type Command } from './types.ts';

function describe(kind: string, r: ShiftReport): string {
  const pay = (p: Record<string, number>): string => Object.entries(p).map(([k, v]) => `${k} ${formatMoney(v)}`).join(', ') || '-';
  return [
    `${kind} report, shift ${r.shiftNumber} (${r.registerId}), opened ${r.openedAt}${r.closedAt ? `, closed ${r.closedAt}` : ''}`,
    `  sales   ${r.sale.count}  ${formatMoney(r.sale.sum)}  VAT ${formatMoney(r.sale.tax)}  (${pay(r.sale.payments)})`,
    `  returns ${r.return.count}  ${formatMoney(r.return.sum)}  VAT ${formatMoney(r.return.tax)}  (${pay(r.return.payments)})`,
    `  net     ${formatMoney(r.net)}`,
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
    return withRegister(ctx, (reg) => guarded(ctx, json, async () => {
      if (action === 'open') {
        const s = reg.checkout.openShift(stringFlag(args, 'cashier') ?? 'cli');
        await write(ctx.stdout, json ? `${JSON.stringify({ ok: true, shift: s })}\n` : `shift ${s.number} opened by ${s.cashier} at ${s.openedAt}\n`);
      } else {
        const r = action === 'close' ? reg.checkout.closeShift() : reg.checkout.xReport();
        await write(ctx.stdout, json ? `${JSON.stringify({ ok: true, report: action === 'close' ? 'Z' : 'X', ...r })}\n` : `${describe(action === 'close' ? 'Z' : 'X', r)}\n`);
      }
    }), { existing: action !== 'open' }); // an X report or a close only reads or ends what exists: never a new register
  },
};
