import { BankClient, type Transport } from '../client.ts';
import type { Observation, ScenarioEvent } from '../events.ts';
import type { CheckId, Suite } from '../ids.ts';
import type { BankcertSecrets, Plan, PlanAccount } from '../plan.ts';
import type { ReserveFundsRequest } from '../protocol.ts';
import type { ResponseValidator } from '../reserve-response.ts';
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
  /**
   * The clock, as an ISO-8601 time: the only time a suite reads (request timestamps, the ledger, the
   * late outcome's wait). A run records every read; `bankcert verify` replays them.
   */
  now(): string;
  /** Blocks the scenario (k6's sleep): SF-LATE-OUTCOME waits out the platform's cut-off. */
  sleep(seconds: number): void;
}

/**
 * A VU's part of every reference: run id + suite + k6 process + VU; a sequence number follows. The suite
 * and the process (`part`: instances of a scaled-out load run, capacity steps) are in it because each k6
 * process numbers its VUs and iterations from 1 again, and a bank that (rightly) answers a repeated
 * raasTxnRef with its first answer would otherwise replay an earlier run's reservation.
 */
export function referencePrefixOf(runId: string, suite: string, part: string, vu: number): string {
  return `${processPrefixOf(runId, suite, part)}${vu}-`;
}

/** What every reference of one k6 process starts with, whatever its VU. */
export function processPrefixOf(runId: string, suite: string, part: string): string {
  return `bc-${runId}-${suite}${part && part !== '0' ? `.${part}` : ''}-`;
}

/** What a functional suite runs on: k6's HTTP, crypto and clock in a run, the records in `bankcert verify`. */
export interface ContextDeps {
  plan: Plan;
  secrets: BankcertSecrets;
  suite: Suite;
  transport: Transport;
  hmac: HmacSha256Base64;
  sha256Hex: (text: string) => string;
  validate: ResponseValidator;
  emit: (event: ScenarioEvent) => void;
  now: () => string;
  sleep: (seconds: number) => void;
  /** This VU's reference prefix (referencePrefixOf), asked for when the first reference is made. */
  prefix: () => string;
}

/** The same context in k6 and in verify's replay, so both run exactly the same suite code. */
export function createObserveContext(d: ContextDeps): ObserveContext {
  let seq = 0;
  let vuPrefix: string | undefined;
  return {
    plan: d.plan,
    secrets: d.secrets,
    client: new BankClient(d.plan, d.secrets, d.transport, d.hmac, d.emit, d.validate, d.now, { suite: d.suite, sha256Hex: d.sha256Hex }),
    emit: d.emit,
    now: d.now,
    hmac: d.hmac,
    sleep: d.sleep,
    nextRefs() {
      seq += 1;
      vuPrefix ??= d.prefix();
      // Unique across suites, processes, VUs and runs, far below the 64-character limit.
      const base = `${vuPrefix}${seq}`;
      return { clientTxnRef: `${base}-c`, raasTxnRef: `${base}-r` };
    },
  };
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
