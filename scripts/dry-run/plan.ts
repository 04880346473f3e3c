import { checksOfSuites, resolveLevels } from '../../checks/catalogue.ts';
import type { CheckDefinition } from '../../checks/define.ts';
import type { CheckId } from '../../checks/ids.ts';
import type { DryRunPlan, MoneyRow, SuiteTraffic } from '../../checks/dry-run.ts';
import { holdAtPeakS, peakRate, plannedIterations, scheduleFor, totalDurationS } from '../../checks/load-profile.ts';
import { fixturesOf, type Plan } from '../../checks/plan.ts';
import { missingFixtures, SIGNING_OFF } from '../../checks/judge/verdict.ts';
import type { LoadOptions } from '../run/load-run.ts';
import type { Simulation } from './simulate.ts';

/** Why a check will be skipped, from its `needs`, its `appliesWhen` and the config; undefined when it runs. */
export function skipReason(
  definition: CheckDefinition,
  plan: Plan,
  load: LoadOptions | undefined,
  observed: readonly { id: CheckId; status: string; reason?: string }[],
): string | undefined {
  if (definition.appliesWhen === 'signing' && !plan.signing.enabled) return SIGNING_OFF;
  // The same rule, and the same words, as the verdict's.
  const missing = missingFixtures(definition, fixturesOf(plan));
  if (missing !== undefined) return missing;
  if (definition.suite === 'load' && load) {
    if (definition.id === 'LD-CAPACITY' && !load.capacity)
      return 'the capacity search is not part of this run: add it with --profile capacity (or load,capacity)';
    if (definition.id !== 'LD-CAPACITY' && !load.profile)
      return 'a capacity search alone overloads the bank on purpose: latency is certified under a profile, e.g. --profile load,capacity';
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

export function buildDryRunPlan(
  plan: Plan,
  load: LoadOptions | undefined,
  sim: Simulation,
  chosen: readonly CheckId[] | undefined,
  minCapacity: boolean,
): DryRunPlan {
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
        ? {
            profile: {
              name: load.profile,
              rate: peakRate(profile),
              holdS: holdAtPeakS(profile),
              durationS: totalDurationS(profile),
              iterations: plannedIterations(profile),
              instances: load.instances,
            },
          }
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
