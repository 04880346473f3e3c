import { describe, expect, it } from 'vitest';
import type { CheckResult, Result } from '../checks/result.ts';
import { fixtureLoad } from './__fixtures__/load.ts';
import { fixtureResult } from './__fixtures__/result.ts';
import { buildLoadView, loadProvenLine } from './load-view.ts';

const FIXTURE_CHECKS = fixtureResult().checks;
/** A load row of the fixture with the status (and level) a case needs. */
const row = (id: CheckResult['id'], status: CheckResult['status'], level: CheckResult['level'] = 'MUST'): CheckResult => {
  const check = FIXTURE_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`no ${id} in the fixture`);
  return { ...check, status, level };
};
const passing = (['LD-P95', 'LD-P99', 'LD-MAX', 'LD-ERRORS', 'LD-DECLINES'] as const).map((id) => row(id, 'pass'));
const proven = (load: Result['load'], checks: CheckResult[] = passing) => loadProvenLine({ load, checks });
const atPeak = { profile: 'load', rate: 40, holdS: 120 };

describe('loadProvenLine: the banner says what load was proven', () => {
  it('the declared peak, held 2 minutes', () => {
    expect(proven(fixtureLoad({ level: atPeak, expectedPeakRate: 40, capacity: undefined }))).toBe(
      'Load proven: 40 iterations/s held 120 s (load profile), the expected peak (40/s)',
    );
  });

  it('a lighter run: smoke only', () => {
    expect(proven(fixtureLoad({ profile: 'smoke', level: { profile: 'smoke', rate: 5, holdS: 20 }, expectedPeakRate: 40 }))).toBe(
      'Load proven: 5 iterations/s held 20 s (smoke profile); smoke only: not proven at the expected peak (40/s), which needs 40 iterations/s held 120 s',
    );
  });

  it('the peak rate held too briefly is smoke only too', () => {
    expect(proven(fixtureLoad({ level: { ...atPeak, holdS: 119 }, expectedPeakRate: 40 }))).toMatch(
      /^Load proven: 40 iterations\/s held 119 s \(load profile\); smoke only: not proven at the expected peak \(40\/s\)/,
    );
  });

  it('no peak declared', () => {
    expect(proven(fixtureLoad({ level: atPeak, expectedPeakRate: null }))).toBe(
      'Load proven: 40 iterations/s held 120 s (load profile); no expected peak declared (load.expectedPeakRate), so not proven at one',
    );
  });

  it('a demo says it is a demonstration', () => {
    expect(proven(fixtureLoad({ profile: 'smoke+capacity', level: { profile: 'smoke', rate: 30, holdS: 12 }, expectedPeakRate: null, demo: true }))).toBe(
      'Load proven: demo-level load only: 30 iterations/s held 12 s (smoke profile); a demonstration, not proven at any production peak',
    );
  });

  it('nothing proven when a MUST load check failed or was inconclusive (an INFO capacity does not count)', () => {
    const load = fixtureLoad({ level: atPeak, expectedPeakRate: 40 });
    expect(proven(load, [...passing.slice(1), row('LD-P95', 'fail'), row('LD-CAPACITY', 'warn', 'INFO')])).toBe(
      'Load proven: no: LD-P95 failed at 40 iterations/s held 120 s (load profile)',
    );
    expect(proven(load, [...passing.slice(2), row('LD-P95', 'pass'), row('LD-P99', 'inconclusive')])).toBe(
      'Load proven: not yet: LD-P99 inconclusive at 40 iterations/s held 120 s (load profile)',
    );
    expect(proven(fixtureLoad({ level: atPeak, notHonest: ['k6 dropped 3 iterations'] }))).toBe(
      'Load proven: not yet: the load figures cannot certify (k6 dropped 3 iterations)',
    );
  });

  it('a capacity-only run proves no latency', () => {
    expect(proven(fixtureLoad({ profile: 'capacity', level: { profile: 'capacity', rate: 40, holdS: 3 } }), [row('LD-CAPACITY', 'pass', 'INFO')])).toBe(
      'Load proven: capacity search only (highest sustained rate 20 iterations/s); latency was not certified under a load profile',
    );
  });

  it('no line without a load run', () => {
    expect(proven(undefined)).toBeNull();
  });
});

describe('buildLoadView: the level and the response codes', () => {
  const view = buildLoadView(
    fixtureLoad({
      level: atPeak,
      expectedPeakRate: 50,
      responses: {
        reserves: 1000,
        codes: [
          { kind: 'granted', status: 200, code: '0000', count: 990 },
          { kind: 'declined', status: 200, code: '2060', count: 6 },
          { kind: 'declined', status: 400, code: '', count: 1 },
          { kind: 'error', status: 0, code: '', count: 2 },
          { kind: 'error', status: 503, code: '2090', count: 1 },
        ],
        perSecond: [
          { t: 0, answers: 400, declines: 0 },
          { t: 1, answers: 300, declines: 5 },
          { t: 2, answers: 297, declines: 2 },
        ],
      },
    }),
  );

  it('names the level and the declared peak among the facts', () => {
    expect(view?.level).toBe('at 40 iterations/s held 120 s (load profile)');
    expect(view?.facts).toContainEqual({ label: 'Measured at', value: 'at 40 iterations/s held 120 s (load profile)' });
    expect(view?.facts).toContainEqual({
      label: 'Expected peak',
      value: '50 iterations/s (load.expectedPeakRate): not proven by this run, which needs 50 iterations/s held 120 s',
    });
  });

  it('tabulates every answer with its kind and share, and the worst second of declines', () => {
    expect(view?.responses?.rows.map((r) => [r.answer, r.kind, r.count, r.share])).toEqual([
      ['0000', 'granted', '990', '99.0 %'],
      ['2060', 'declined (LD-DECLINES)', '6', '0.60 %'],
      ['HTTP 400, no responseCode', 'declined (LD-DECLINES)', '1', '0.10 %'],
      ['no answer (transport error)', 'error (LD-ERRORS)', '2', '0.20 %'],
      ['HTTP 503, 2090', 'error (LD-ERRORS)', '1', '0.10 %'],
    ]);
    expect(view?.responses?.declines).toBe('7 of 1,000 reserveFunds declined (0.70 %)');
    expect(view?.responses?.worstSecond).toBe('declines in 2 of 3 seconds; the worst, second 1, declined 5 of 300 answers');
  });

  it('has no response table for a result written before the codes were recorded', () => {
    expect(buildLoadView(fixtureLoad())?.responses).toBeNull();
  });
});
