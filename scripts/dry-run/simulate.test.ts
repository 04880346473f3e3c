import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../checks/catalogue.ts';
import type { CheckId, Suite } from '../../checks/ids.ts';
import { buildPlan } from '../config/plan.ts';
import { ConfigSchema } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { simulate } from './simulate.ts';

// The observers run against the compliant bank in memory: what `certify --dry-run` counts, and a fast,
// exact check that `--check` (plan.checks) runs a chosen check fully and nothing of the others.

const FUNCTIONAL: Suite[] = ['conformance', 'safety', 'security'];

function planFor(suites: Suite[], checks?: CheckId[], probeBalance: number | undefined = 200_000) {
  const config = ConfigSchema.parse(parse(starterConfigText()));
  const edited = {
    ...config,
    signing: { ...config.signing, enabled: true, secretEnv: 'SIM_SECRET' },
    accounts: {
      ...config.accounts,
      ...(config.accounts.probe ? { probe: { ...config.accounts.probe, ...(probeBalance === undefined ? {} : { balance: probeBalance }) } } : {}),
    },
  };
  const { plan, secrets } = buildPlan(edited, { suites, runId: 'sim', env: { SIM_SECRET: 'simulated-secret' } });
  return { plan: checks ? { ...plan, checks } : plan, secrets };
}

/** Checks judged from the CLI's ledger after k6 (RF-REF-UNIQUE, SF-CLEANUP): the observers send their traffic but report nothing. */
const LEDGER_JUDGED: CheckId[] = ['RF-REF-UNIQUE', 'SF-CLEANUP'];

describe('the observers against a compliant bank in memory', () => {
  it('a full run: every functional check passes, nothing is skipped', () => {
    const { plan, secrets } = planFor(FUNCTIONAL);
    const sim = simulate(plan, secrets);
    const statuses = new Map(sim.observations.map((o) => [o.id, o.status]));
    const functional = CATALOGUE.filter((d) => d.suite !== 'load' && !LEDGER_JUDGED.includes(d.id));
    expect(functional.map((d) => [d.id, statuses.get(d.id)])).toEqual(functional.map((d) => [d.id, 'pass']));
    expect(sim.suites.map((s) => s.suite)).toEqual(FUNCTIONAL);
  });

  it('choosing every check of the suites sends exactly what a full run sends', () => {
    const full = planFor(FUNCTIONAL);
    const all = planFor(
      FUNCTIONAL,
      CATALOGUE.filter((d) => d.suite !== 'load').map((d) => d.id),
    );
    const a = simulate(full.plan, full.secrets);
    const b = simulate(all.plan, all.secrets);
    expect(b.suites.map((s) => s.traffic)).toEqual(a.suites.map((s) => s.traffic));
    expect([...b.accounts]).toEqual([...a.accounts]);
  });

  const single = CATALOGUE.filter((d) => d.suite !== 'load');
  it.each(single.map((d) => [d.id, d.suite] as const))('--check %s: its observation only, a pass, and less traffic than the %s suite', (id, suite) => {
    const whole = planFor([suite]);
    const full = simulate(whole.plan, whole.secrets);
    const { plan, secrets } = planFor([suite], [id]);
    const sim = simulate(plan, secrets);
    expect(new Set(sim.observations.map((o) => o.id))).toEqual(new Set(LEDGER_JUDGED.includes(id) ? [] : [id]));
    expect(sim.observations.every((o) => o.status === 'pass')).toBe(true);
    const requests = (t: { reserveFunds: number; transactResult: number } | undefined) => (t?.reserveFunds ?? 0) + (t?.transactResult ?? 0);
    expect(requests(sim.suites[0]?.traffic)).toBeGreaterThan(0);
    expect(requests(sim.suites[0]?.traffic)).toBeLessThan(requests(full.suites[0]?.traffic));
  });

  it("SF-LATE-OUTCOME's reservation (minimumAmount + 1, debited late) is made only when it is chosen", () => {
    const without = planFor(['safety'], ['SF-DEBIT-ONCE']);
    const withLate = planFor(['safety'], ['SF-DEBIT-ONCE', 'SF-LATE-OUTCOME']);
    const typical = without.plan.product.typicalAmount;
    const late = Math.max(without.plan.limits.minimumAmount, 1) + 1;
    expect(simulate(without.plan, without.secrets).accounts.get('probe')?.debited).toBe(2 * typical);
    expect(simulate(withLate.plan, withLate.secrets).accounts.get('probe')?.debited).toBe(2 * typical + late);
  });

  it('SF-CLEANUP leaves one reservation of the typical amount open on funded for the post-run cleanup; without it, nothing stays held', () => {
    const cleanup = planFor(['safety'], ['SF-CLEANUP']);
    expect(simulate(cleanup.plan, cleanup.secrets).accounts.get('funded')).toMatchObject({ reservations: 1, heldAtEnd: cleanup.plan.product.typicalAmount });
    const full = planFor(
      FUNCTIONAL,
      CATALOGUE.filter((d) => d.suite !== 'load' && d.id !== 'SF-CLEANUP').map((d) => d.id),
    );
    expect([...simulate(full.plan, full.secrets).accounts.values()].every((t) => t.heldAtEnd === 0)).toBe(true);
  });

  it('the funds probe holds all of the probe account for a moment: its largest hold is the balance', () => {
    const { plan, secrets } = planFor(['safety'], undefined, 150_000);
    expect(simulate(plan, secrets).accounts.get('probe')?.largestHeld).toBe(150_000);
  });
});
