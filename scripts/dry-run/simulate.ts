import { BankClient } from '../../checks/client.ts';
import type { Suite } from '../../checks/ids.ts';
import type { Observation, ScenarioEvent } from '../../checks/events.ts';
import { runConformance } from '../../checks/suites/conformance.ts';
import type { ObserveContext } from '../../checks/suites/context.ts';
import { runSafety } from '../../checks/suites/safety.ts';
import { runSecurity } from '../../checks/suites/security.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { validateReserveResponse } from '../../checks/reserve-response.ts';
import { nodeHmac } from '../util/digest.ts';
import { SimulatedBank, type AccountTally, type SuiteTally } from './simulated-bank.ts';

/** The functional suites, each one pass of its observer, as its k6 scenario runs it. */
const OBSERVERS: Record<Exclude<Suite, 'load'>, (ctx: ObserveContext) => void> = {
  conformance: runConformance,
  safety: runSafety,
  security: runSecurity,
};

export interface Simulation {
  suites: { suite: Exclude<Suite, 'load'>; traffic: SuiteTally; steps: number }[];
  /** Per account role ("funded", "probe", …). */
  accounts: Map<string, AccountTally>;
  /** What the observers reported against a compliant bank: skipped checks say why. */
  observations: Observation[];
}

/**
 * Runs the functional suites of the plan, in order, against a compliant bank in memory: the checks' own
 * code decides what is sent (and, with `plan.checks`, what is left out), so the dry run's figures are
 * what a run against a compliant bank sends. Nothing leaves the process; the waits (SF-LATE-OUTCOME's)
 * are skipped.
 */
export function simulate(plan: Plan, secrets: BankcertSecrets): Simulation {
  const bank = new SimulatedBank(plan, secrets);
  const observations: Observation[] = [];
  const suites: Simulation['suites'] = [];
  for (const suite of plan.suites) {
    if (suite === 'load') continue;
    bank.startSuite(suite);
    let steps = 0;
    let seq = 0;
    const emit = (event: ScenarioEvent) => {
      if (event.t === 'obs') observations.push(event.obs);
      else if (event.t === 'step') steps += 1;
    };
    const now = () => new Date().toISOString();
    const ctx: ObserveContext = {
      plan,
      secrets,
      client: new BankClient(plan, secrets, bank, nodeHmac, emit, validateReserveResponse, now),
      hmac: nodeHmac,
      emit,
      now,
      sleep: () => undefined,
      nextRefs() {
        seq += 1;
        return { clientTxnRef: `dry-${suite}-${seq}-c`, raasTxnRef: `dry-${suite}-${seq}-r` };
      },
    };
    OBSERVERS[suite](ctx);
    suites.push({ suite, traffic: bank.suiteTally(suite), steps });
  }
  return { suites, accounts: bank.accountTallies(), observations };
}
