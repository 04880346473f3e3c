import type { ReserveAnswer } from '../client.ts';
import type { Exchange } from '../events.ts';
import type { ReserveFundsRequest } from '../protocol.ts';
import { requestFor, type FundedRole, type ObserveContext } from './context.ts';
import type { FundsProbe } from './funds-probe.ts';

export const SECURITY_SUITE = 'security';

/** An account the security checks send to: its ledger role and whether the bank asks it for an auth code. */
export interface Target {
  role: FundedRole;
  sourceIdentifier: string;
  hasAuthCode: boolean;
}

export function target(ctx: ObserveContext, role: Target['role']): Target | undefined {
  const acct = ctx.plan.accounts[role];
  return acct && { role, sourceIdentifier: acct.sourceIdentifier, hasAuthCode: acct.hasAuthCode };
}

/** A valid reserveFunds of `amount` (default: the typical amount) on the target, with its auth code when it has one. */
export function validRequest(ctx: ObserveContext, to: Target, amount = ctx.plan.product.typicalAmount): ReserveFundsRequest {
  return requestFor(ctx, to.role, amount);
}

/** A granted reservation must not stay held: it is released at once, properly signed. True when it was granted. */
export function releaseIfGranted(ctx: ObserveContext, a: ReserveAnswer, role: string): boolean {
  if (a.code !== '0000') return false;
  if (a.reserveFundsTxnRef !== undefined) ctx.client.outcome(`release ${a.exchange.step}`, a, ctx.plan.cancel.responseCode, role);
  return true;
}

export function answerOf(a: { status: number; code?: string }): string {
  if (a.status === 0) return 'no answer';
  return a.code === undefined ? `HTTP ${a.status}` : `HTTP ${a.status}, ${a.code}`;
}

/** What one funds measurement of the probe account found, against what the harness expected. */
export type FundsCheck =
  | { kind: 'measured'; available: number; drift: number }
  | { kind: 'unmeasured'; reason: string; evidence?: Exchange[] }
  /** No accounts.probe fixture: the checks judge answers only, and say so. */
  | { kind: 'no probe' };

/**
 * The probe account's available funds as the security checks expect them. A reservation the bank made
 * but did not admit to shows as funds that fell; a release it should not have made, as funds that rose.
 * Once a measurement fails, every later one is unmeasured with that reason: the checks are inconclusive
 * on money, never passed.
 */
export class ProbeFunds {
  private lost?: { reason: string; evidence?: Exchange[] };
  private current?: number;

  private constructor(
    private readonly probe: FundsProbe,
    readonly configured: boolean,
  ) {}

  static start(ctx: ObserveContext, probe: FundsProbe): ProbeFunds {
    const acct = ctx.plan.accounts.probe;
    const funds = new ProbeFunds(probe, acct !== undefined);
    if (!acct) return funds;
    const first = probe.measure('before the hostile requests', acct.balance);
    if (first.known) funds.current = first.available;
    else funds.lost = { reason: first.reason, ...(first.evidence ? { evidence: first.evidence } : {}) };
    return funds;
  }

  /** True when the probe account can be measured: hostile requests then go to it, so a hidden hold shows. */
  get measurable(): boolean {
    return this.current !== undefined;
  }

  /** Available funds the harness expects now (after the last measurement). */
  get expected(): number | undefined {
    return this.current;
  }

  /** Measures, expecting `expected` (default: no change), and takes the measurement as the new expectation. */
  check(why: string, expected = this.current): FundsCheck {
    if (!this.configured) return { kind: 'no probe' };
    if (this.lost || this.current === undefined || expected === undefined)
      return { kind: 'unmeasured', ...(this.lost ?? { reason: 'the probe account could not be measured' }) };
    const f = this.probe.measure(why, expected);
    if (!f.known) {
      this.lost = { reason: `funds could not be measured ${why}: ${f.reason}`, ...(f.evidence ? { evidence: f.evidence } : {}) };
      return { kind: 'unmeasured', ...this.lost };
    }
    this.current = f.available;
    return { kind: 'measured', available: f.available, drift: f.available - expected };
  }
}
