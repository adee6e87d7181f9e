/**
 * Manager overrides: a manager (or the administrator, never a cashier) turns an overridable
 * refusal into a basket line, with a reason. The override is recorded and journaled at once, so
 * managers see every override even if the basket is later cancelled; the sale links it on commit.
 */
import { randomUUID } from 'node:crypto';
import { getOpenShift, insertOverride } from '../store/index.ts';
import type { CheckoutContext } from './context.ts';
import { lineFrom } from './lines.ts';
import { CheckoutError, type BasketLine, type OverrideApproval, type Refusal } from './types.ts';

/**
 * Approves an override of `refusal` and records it; returns the line it becomes. `cashier` is
 * the basket's (null: the open shift's); `inBasket` tells whether a CIS is already a line.
 */
export function approveOverride(
  ctx: CheckoutContext, refusal: Refusal, approval: OverrideApproval,
  basket: { cashier: string | null; inBasket(cis: string | null): boolean },
): BasketLine {
  const { db, config } = ctx;
  if (!refusal.verdict.overridable) {
    throw new CheckoutError('NOT_OVERRIDABLE', `${refusal.verdict.reason}: ${refusal.verdict.messages.en} — the law does not allow overriding this`);
  }
  const reason = (approval.reason ?? '').trim();
  if (reason.length < 3) throw new CheckoutError('BAD_INPUT', 'an override needs a reason (at least 3 characters)');
  // A manager or the administrator; never a cashier, so a cashier cannot approve their own sale.
  // The approver was authenticated by the caller (the API checks name + PIN with lockouts).
  const manager = approval.approver;
  if (manager.role !== 'manager' && manager.role !== 'admin') throw new CheckoutError('BAD_PIN', 'only a manager or the administrator may approve an override');
  const parsed = ctx.parse(refusal.code);
  if (!parsed.ok) throw new CheckoutError('NOT_OVERRIDABLE', 'an unreadable code cannot be overridden');
  if (basket.inBasket(parsed.cis)) throw new CheckoutError('NOT_OVERRIDABLE', 'this code is already in the basket');
  const result = ctx.checker.check(parsed, { operation: 'sale', price: null, inBasket: false });
  const line = lineFrom(refusal.code, parsed, { ...result, verdict: refusal.verdict }, {}, null);
  const id = randomUUID();
  const at = ctx.now();
  // Recorded at once, even if the basket is later cancelled: managers see every override.
  db.transaction(() => {
    insertOverride(db, {
      id, at, manager: manager.name, cashier: basket.cashier ?? getOpenShift(db, config.registerId)?.cashier ?? '',
      code: refusal.code, cis: parsed.cis, rule: refusal.verdict.rule, reasonCode: refusal.verdict.reason, reason, saleId: null,
    });
    ctx.journal('override', id, { manager: manager.name, cis: parsed.cis, rule: refusal.verdict.rule, reasonCode: refusal.verdict.reason, reason });
  }).immediate();
  line.override = { id, manager: manager.name, reason };
  return line;
}
