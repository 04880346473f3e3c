import type { BankClient } from '../client.ts';
import type { CheckId } from '../ids.ts';
import type { Observation, ScenarioEvent } from '../events.ts';
import type { BankcertSecrets, Plan, PlanAccount } from '../plan.ts';
import type { ReserveFundsRequest } from '../protocol.ts';
import { reserveRequest, type Refs } from '../requests.ts';
import type { HmacSha256Base64 } from '../signer.ts';

/** What a check family needs to observe the bank; built by the scenario, the same in every suite. */
export interface ObserveContext {
  plan: Plan;
  secrets: BankcertSecrets;
  client: BankClient;
  /** The HMAC the client signs with, for checks that must forge or tamper with signatures. */
  hmac: HmacSha256Base64;
  emit(event: ScenarioEvent): void;
  /** Fresh, run-unique clientTxnRef/raasTxnRef. */
  nextRefs(): Refs;
  now(): string;
  /** Blocks the scenario (k6's sleep): SF-LATE-OUTCOME waits out the platform's cut-off. */
  sleep(seconds: number): void;
}

/**
 * Whether the run observes `id`: every check, unless the plan names the chosen ones (`certify --check`).
 * Observers send a step's traffic only when a check that needs it is wanted; shared steps (the funds
 * probe, control requests) run when any check that relies on them is.
 */
export function wants(ctx: Pick<ObserveContext, 'plan'>, ...ids: CheckId[]): boolean {
  const chosen = ctx.plan.checks;
  return chosen === undefined || ids.some((id) => chosen.includes(id));
}

/** An observation of a check the run does not observe is dropped here, so no unchosen row is printed or judged. */
export function observe(ctx: ObserveContext, obs: Observation): void {
  if (!wants(ctx, obs.id)) return;
  ctx.emit({ t: 'obs', obs });
}

export function step(ctx: ObserveContext, suite: string, what: string): void {
  ctx.emit({ t: 'step', suite, step: what });
}

/** Which fixture account of the configuration a request is for (and the ledger's account column). */
export type AccountRole = 'funded' | 'lowBalance' | 'inactive' | 'blacklisted' | 'unmapped' | 'probe';

/** The accounts that can take reservations the harness finishes itself: the safety and security suites' targets. */
export type FundedRole = Extract<AccountRole, 'funded' | 'probe'>;

/**
 * A valid reserveFunds of `amount` for the account in `role`, with fresh references and the account's auth
 * code when it has one (or `authCode`, to send a wrong one). The account must be configured.
 */
export function requestFor(ctx: ObserveContext, role: AccountRole, amount: number, authCode: string | undefined = authCodeOf(ctx, role)): ReserveFundsRequest {
  const acct = ctx.plan.accounts[role];
  if (!acct) throw new Error(`no accounts.${role} in the plan: check the fixture before sending to it`);
  return reserveRequest(ctx.plan, {
    refs: ctx.nextRefs(),
    sourceIdentifier: acct.sourceIdentifier,
    reserveAmount: amount,
    ...(authCode === undefined ? {} : { authCode }),
    timestamp: ctx.now(),
  });
}

export function account(ctx: ObserveContext, role: AccountRole): PlanAccount | undefined {
  return ctx.plan.accounts[role];
}

export function authCodeOf(ctx: ObserveContext, role: string): string | undefined {
  return ctx.secrets.authCodes[role];
}

/** A different code of the same shape, so only its value is wrong (not its length or alphabet). */
export function wrongAuthCode(code: string): string {
  const flipped = code.replace(/[0-9]/g, (d) => String((Number(d) + 5) % 10));
  return flipped !== code ? flipped : `${code}x`;
}
