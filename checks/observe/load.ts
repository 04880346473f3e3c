import { DISPENSED } from '../codes.ts';
import type { PlanAccount } from '../plan.ts';
import { reserveRequest } from '../requests.ts';
import type { ObserveContext } from './context.ts';

/**
 * One load iteration: a reserveFunds then its transactResult, as the platform does for every purchase.
 * Accounts rotate through the load pool so one hot row measures the bank's service, not its row lock.
 * Iteration n is dispensed when n falls in the configured share (evenly spread), otherwise released.
 */
export function loadIteration(ctx: ObserveContext, n: number): void {
  const pool = ctx.plan.accounts.load;
  const index = pool.length > 0 ? n % pool.length : -1;
  const account: PlanAccount | undefined = index >= 0 ? pool[index] : ctx.plan.accounts.funded;
  if (!account) return;
  const role = index >= 0 ? `load:${index}` : 'funded';
  const authCode = ctx.secrets.authCodes[role];
  const reservation = ctx.client.reserve(
    'load: reserveFunds',
    reserveRequest(ctx.plan, {
      refs: ctx.nextRefs(),
      sourceIdentifier: account.sourceIdentifier,
      reserveAmount: ctx.plan.product.typicalAmount,
      authCode,
      timestamp: ctx.now(),
    }),
    role,
  );
  if (reservation.code !== '0000' || reservation.reserveFundsTxnRef === undefined) return;
  const share = ctx.plan.load.dispensedShare;
  const dispensed = Math.floor((n + 1) * share) > Math.floor(n * share);
  ctx.client.outcome('load: transactResult', reservation, dispensed ? DISPENSED : ctx.plan.cancel.responseCode, role);
}
