import { describe, expect, it } from 'vitest';
import { fixtureResult } from '../../reports/__fixtures__/result.ts';
import { compareResults } from './compare.ts';

describe('result.json against the certificate re-derived from its records', () => {
  const recorded = fixtureResult();

  it('finds nothing when they agree (digest and evidence are not compared: they are checked before)', () => {
    expect(compareResults(recorded, { ...structuredClone(recorded), digest: 'other' })).toEqual([]);
  });

  it('names each difference by check id and field', () => {
    const derived = structuredClone(recorded);
    const check = derived.checks[0];
    if (!check) throw new Error('fixture has checks');
    check.status = 'fail';
    derived.verdict = 'inconclusive';
    derived.ledger.open = 3;
    expect(compareResults(recorded, derived).map((m) => m.path)).toEqual(['verdict', 'ledger.open', `checks ${check.id} status`]);
  });

  it('a check present on one side only is a difference', () => {
    const derived = { ...structuredClone(recorded), checks: recorded.checks.slice(1) };
    expect(compareResults(recorded, derived)).toEqual([
      { path: `checks ${recorded.checks[0]?.id ?? ''}`, recorded: recorded.checks[0]?.status, derived: 'no such check' },
    ]);
  });

  it('a [redacted] in result.json stands for what the re-derivation writes there', () => {
    const withSecret = structuredClone(recorded);
    const check = withSecret.checks[0];
    if (!check) throw new Error('fixture has checks');
    const derived = structuredClone(withSecret);
    check.observed = 'answered [redacted]';
    (derived.checks[0] as typeof check).observed = 'answered 1234';
    expect(compareResults(withSecret, derived)).toEqual([]);
  });
});
