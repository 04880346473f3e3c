import { checksOfSuites, resolveLevels } from '../../checks/catalogue.ts';
import type { CheckDefinition } from '../../checks/define.ts';
import type { CheckId, FixtureName, Level, Suite } from '../../checks/ids.ts';
import { holdAtPeakS, peakRate, plannedIterations, scheduleFor, totalDurationS } from '../../checks/load-profile.ts';
import type { Plan } from '../../checks/plan.ts';
import { SIGNING_OFF } from '../judge/verdict.ts';
import type { LoadOptions } from '../run/load-run.ts';
import type { Simulation } from './simulate.ts';

/**
 * What `certify --dry-run` prints, as data (reports/dry-run.ts words it): which checks run and which are
 * skipped and why, the traffic per suite, and the money plan per account. The functional suites' figures
 * come from running the observers against a compliant bank in memory (simulate.ts); the load suite's from
 * its schedule.
 */
export interface DryRunPlan {
  checks: { id: CheckId; level: Level; suite: Suite; title: string; skip?: string }[];
  traffic: SuiteTraffic[];
  money: MoneyRow[];
  /** Reservations the run leaves held on purpose until the post-run cleanup releases them (SF-CLEANUP). */
  leftForCleanup: { account: string; amount: number }[];
  /** Figures that depend on the probe account's balance, which the config does not declare: approximate. */
  probeBalanceDeclared: boolean;
}

export type SuiteTraffic =
  | { suite: Exclude<Suite, 'load'>; reserveFunds: number; transactResult: number; waitS?: number }
  | { suite: 'load'; profile?: { name: string; rate: number; holdS: number; durationS: number; iterations: number; instances: number }; capacity?: { startRate: number; maxRate: number; stepS: number; maxIterations: number } };

export interface MoneyRow {
  /** Account role as the config names it ("funded", "probe", "load" for the pool). */
  account: string;
  /** Reservations granted by a compliant bank (the load pool: one per iteration, at most). */
  reservations: number;
  /** The most held at one time on the account (the pool: on all its accounts together). */
  largestHeld: number;
  debited: number;
  /** The load pool: how many accounts share it. */
  poolSize?: number;
  /** The figure is an upper bound (capacity search, in-flight load) or an estimate (probe without a declared balance). */
  bound?: 'at most' | 'about';
}

const FIXTURE_WORDS: Record<FixtureName, string> = {
  funded: 'accounts.funded',
  fundedAuthCode: 'authCode on accounts.funded',
  lowBalance: 'accounts.lowBalance with its balance',
  inactive: 'accounts.inactive',
  blacklisted: 'accounts.blacklisted',
  unmapped: 'accounts.unmapped',
  probe: 'accounts.probe',
  load: 'accounts.load',
};

function hasFixture(plan: Plan, name: FixtureName): boolean {
  const a = plan.accounts;
  switch (name) {
    case 'fundedAuthCode':
      return a.funded?.hasAuthCode === true;
    case 'lowBalance':
      return a.lowBalance?.balance !== undefined;
    case 'load':
      return a.load.length > 0;
    default:
      return a[name] !== undefined;
  }
}

/** Why a check will be skipped, from its `needs`, its `appliesWhen` and the config; undefined when it runs. */
export function skipReason(definition: CheckDefinition, plan: Plan, load: LoadOptions | undefined, observed: readonly { id: CheckId; status: string; reason?: string }[]): string | undefined {
  if (definition.appliesWhen === 'signing' && !plan.signing.enabled) return SIGNING_OFF;
  const missing = definition.needs.filter((n) => !hasFixture(plan, n));
  if (missing.length > 0) return `no ${missing.map((n) => FIXTURE_WORDS[n]).join(', ')} in the configuration`;
  if (definition.suite === 'load' && load) {
    if (definition.id === 'LD-CAPACITY' && !load.capacity) return 'the capacity search is not part of this run: add it with --profile capacity (or load,capacity)';
    if (definition.id !== 'LD-CAPACITY' && !load.profile) return 'a capacity search alone overloads the bank on purpose: latency is certified under a profile, e.g. --profile load,capacity';
  }
  // What the configuration rules out beyond fixtures (limits.minimumAmount 0 leaves no amount below it).
  const seen = observed.filter((o) => o.id === definition.id);
  if (seen.length > 0 && seen.every((o) => o.status === 'skip')) return seen[0]?.reason ?? 'not applicable to this configuration';
  return undefined;
}

/** Doubling from the start rate up to load.maxRate, then at most about six bisecting steps (the search's 4 % bracket). */
function capacityBound(load: LoadOptions): { startRate: number; maxRate: number; stepS: number; maxIterations: number } {
  const rates: number[] = [];
  for (let rate = Math.max(1, Math.round(load.capacityStartRate)); rate <= load.maxRate && rates.length < 16; rate = Math.min(rate * 2, load.maxRate)) {
    rates.push(rate);
    if (rate >= load.maxRate) break;
  }
  const bisecting = Math.min(16 - rates.length, 6);
  const iterations = (rates.reduce((sum, r) => sum + r, 0) + bisecting * load.maxRate) * load.stepDurationS;
  return { startRate: load.capacityStartRate, maxRate: load.maxRate, stepS: load.stepDurationS, maxIterations: Math.ceil(iterations) };
}

export function buildDryRunPlan(plan: Plan, load: LoadOptions | undefined, sim: Simulation, chosen: readonly CheckId[] | undefined, minCapacity: boolean): DryRunPlan {
  const definitions = resolveLevels(checksOfSuites(plan.suites), { minCapacity }).filter((d) => !chosen || chosen.includes(d.id));
  const checks = definitions.map((d) => {
    const skip = skipReason(d, plan, load, sim.observations);
    return { id: d.id, level: d.level, suite: d.suite, title: d.title, ...(skip ? { skip } : {}) };
  });
  const runs = (id: CheckId) => checks.some((c) => c.id === id && c.skip === undefined);

  const traffic: SuiteTraffic[] = sim.suites.map(({ suite, traffic: t }) => ({
    suite,
    reserveFunds: t.reserveFunds,
    transactResult: t.transactResult,
    ...(suite === 'safety' && runs('SF-LATE-OUTCOME') ? { waitS: plan.safety.lateOutcomeS } : {}),
  }));

  const money: MoneyRow[] = [...sim.accounts.entries()]
    .filter(([role]) => !role.startsWith('load:'))
    .map(([account, t]) => ({
      account,
      reservations: t.reservations,
      largestHeld: t.largestHeld,
      debited: t.debited,
      ...(account === 'probe' && plan.accounts.probe?.balance === undefined ? { bound: 'about' as const } : {}),
    }));
  const leftForCleanup = [...sim.accounts.entries()].filter(([, t]) => t.heldAtEnd > 0).map(([account, t]) => ({ account, amount: t.heldAtEnd }));

  if (load && plan.suites.includes('load') && plan.accounts.load.length > 0) {
    const profile = load.profile ? scheduleFor(load.profile, load.rate, load.durationS) : undefined;
    const capacity = load.capacity ? capacityBound(load) : undefined;
    traffic.push({
      suite: 'load',
      ...(profile && load.profile
        ? { profile: { name: load.profile, rate: peakRate(profile), holdS: holdAtPeakS(profile), durationS: totalDurationS(profile), iterations: plannedIterations(profile), instances: load.instances } }
        : {}),
      ...(capacity ? { capacity } : {}),
    });
    const iterations = (profile ? plannedIterations(profile) : 0) + (capacity?.maxIterations ?? 0);
    const typical = plan.product.typicalAmount;
    // Each iteration holds typicalAmount until its outcome; in flight at once, at most the peak rate times
    // the load timeout (a bank answering within its 5 s cut-off holds far less).
    const peak = Math.max(profile ? peakRate(profile) : 0, capacity ? load.maxRate : 0);
    const inFlight = Math.ceil(peak * (plan.load.timeoutMs / 1000));
    money.push({
      account: 'load',
      poolSize: plan.accounts.load.length,
      reservations: iterations,
      largestHeld: Math.min(iterations, inFlight) * typical,
      debited: Math.round(iterations * plan.load.dispensedShare) * typical,
      bound: 'at most',
    });
  }
  return { checks, traffic, money, leftForCleanup, probeBalanceDeclared: plan.accounts.probe?.balance !== undefined };
}
