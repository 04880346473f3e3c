import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { renderDryRun } from '../../reports/dry-run.ts';
import { buildPlan } from '../config/plan.ts';
import { ConfigSchema, type Config } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { loadOptions } from '../run/load-run.ts';
import { buildDryRunPlan } from './plan.ts';
import { simulate } from './simulate.ts';

function dryRun(edit: (c: Config) => Config = (c) => c, profile?: string) {
  const config = edit(ConfigSchema.parse(parse(starterConfigText())));
  const { plan, secrets } = buildPlan(config, { suites: ['conformance', 'safety', 'security', 'load'], runId: 'dry', env: {} });
  const load = loadOptions(config, profile);
  return { plan, load, dry: buildDryRunPlan(plan, load, simulate(plan, secrets), undefined, config.thresholds.minCapacity !== undefined) };
}

const skips = (d: ReturnType<typeof dryRun>['dry']) => Object.fromEntries(d.checks.filter((c) => c.skip).map((c) => [c.id, c.skip]));

describe('the dry run plan: what runs, what is skipped and why, and the money', () => {
  it('the starter config: signing off skips SEC-SIGNATURE, no capacity search skips LD-CAPACITY; everything else runs', () => {
    const { dry } = dryRun();
    expect(skips(dry)).toEqual({
      'SEC-SIGNATURE': 'signing is not enabled for this bank',
      'LD-CAPACITY': 'the capacity search is not part of this run: add it with --profile capacity (or load,capacity)',
    });
  });

  it('a fixture left out skips the checks that need it, naming it; minimumAmount 0 skips RF-2050 as the check itself says', () => {
    const { dry } = dryRun((c) => {
      const { lowBalance: _gone, ...accounts } = c.accounts;
      return { ...c, accounts, limits: { ...c.limits, minimumAmount: 0 } };
    });
    expect(skips(dry)).toMatchObject({
      'RF-2010': 'no accounts.lowBalance (with its balance) in the configuration',
      'RF-2050': 'limits.minimumAmount is 0: no amount is below it',
    });
    expect(dry.money.map((r) => r.account)).not.toContain('lowBalance');
  });

  it('a capacity search alone skips the latency checks and bounds its iterations', () => {
    const { dry } = dryRun(undefined, 'capacity');
    expect(skips(dry)['LD-P95']).toContain('capacity search alone');
    const load = dry.traffic.find((t) => t.suite === 'load');
    expect(load).toMatchObject({ suite: 'load', capacity: { maxRate: 2000 } });
    expect(load && 'capacity' in load ? load.capacity?.maxIterations : 0).toBeGreaterThan(0);
  });

  it('the load pool: one reservation per planned iteration, load.dispensedShare of them debited', () => {
    const { dry, plan } = dryRun((c) => ({ ...c, load: { ...c.load, dispensedShare: 0.1 } }));
    const pool = dry.money.find((r) => r.account === 'load');
    const load = dry.traffic.find((t) => t.suite === 'load');
    const iterations = load && 'profile' in load ? (load.profile?.iterations ?? 0) : 0;
    expect(iterations).toBeGreaterThan(0);
    expect(pool).toMatchObject({
      poolSize: plan.accounts.load.length,
      reservations: iterations,
      debited: Math.round(iterations * 0.1) * plan.product.typicalAmount,
      bound: 'at most',
    });
  });

  it('in words: a probe without a declared balance is an estimate, and its largest hold is all its funds', () => {
    const { dry, plan } = dryRun();
    const lines = renderDryRun({
      version: '0.1.0',
      bank: 'Bank',
      baseUrl: 'http://127.0.0.1:1',
      configPath: 'bankcert.config.json',
      suites: plan.suites,
      signing: false,
      chosen: undefined,
      k6: undefined,
      k6Outputs: [],
      reach: [{ step: 'DNS', detail: '127.0.0.1 (an IP address: nothing to resolve)' }],
      plan: dry,
      typicalAmount: plan.product.typicalAmount,
      dispensedShare: 0,
    });
    expect(lines.find((l) => l.startsWith('  probe '))).toMatch(/^ {2}probe +about \d+ +all its available funds +2,501$/);
    expect(lines).toContain('  k6: not found: the run builds the pinned release with Go first (a few minutes, once), or set K6_BINARY');
    expect(lines.at(-1)).toBe('Nothing was reserved. Run the same command without --dry-run to run it.');
  });
});
