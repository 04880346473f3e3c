import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../checks/catalogue.ts';
import { fixtureLoad } from './__fixtures__/load.ts';
import { fixtureResult } from './__fixtures__/result.ts';
import { buildView, countStatuses, mapStrings } from './view.ts';

describe('buildView', () => {
  const result = fixtureResult();
  const view = buildView(result);

  it('groups checks by suite in suite order, dropping empty suites', () => {
    expect(view.suites.map((s) => s.suite)).toEqual(['conformance', 'safety', 'security', 'load']);
    expect(view.suites.flatMap((s) => s.checks)).toHaveLength(result.checks.length);
    const only = buildView(fixtureResult({ checks: result.checks.filter((c) => c.suite === 'load') }));
    expect(only.suites.map((s) => s.suite)).toEqual(['load']);
  });

  it('splits failures, warnings and skips, and counts statuses', () => {
    expect(view.failures.map((c) => c.id)).toEqual(['RF-2010']);
    expect(view.warnings.map((c) => c.id)).toEqual(['SF-TIMEOUT-CANCEL']);
    expect(view.skipped.map((c) => c.id)).toEqual(['RF-2020']);
    expect(view.counts).toEqual({ pass: CATALOGUE.length - 3, fail: 1, warn: 1, skip: 1, inconclusive: 0, total: CATALOGUE.length });
    expect(countStatuses([])).toEqual({ pass: 0, fail: 0, warn: 0, skip: 0, inconclusive: 0, total: 0 });
  });

  it.each([
    ['2025-01-02T03:04:05.000Z', '2025-01-02T03:04:07.500Z', 2.5],
    ['not a date', '2025-01-02T03:04:07.500Z', null],
    ['2025-01-02T03:04:07.500Z', '2025-01-02T03:04:05.000Z', 0],
  ])('duration from %s to %s', (startedAt, finishedAt, seconds) => {
    expect(buildView(fixtureResult({ startedAt, finishedAt })).durationSeconds).toBe(seconds);
  });

  it('flags open reservations', () => {
    expect(view.ledgerOpen).toBe(false);
    expect(buildView(fixtureResult({ ledger: { ...result.ledger, open: 1 } })).ledgerOpen).toBe(true);
  });
});

describe('buildView load', () => {
  it('is null without load figures and formatted with them', () => {
    expect(buildView(fixtureResult()).load).toBeNull();
    const load = buildView(fixtureResult({ load: fixtureLoad() })).load;
    expect(load?.endpoints.map((e) => [e.name, e.p95, e.p95Over, e.maxOver])).toEqual([
      ['reserveFunds', '2,150', true, true],
      ['transactResult', '30.4', false, false],
    ]);
    expect(load?.capacity?.highest).toBe('20 iterations/s');
    expect(buildView(fixtureResult({ load: fixtureLoad({ capacity: { steps: [], highestRate: null } }) })).load?.capacity?.highest).toBe('no step held');
  });
});

describe('mapStrings', () => {
  it('maps every string, keys included, and keeps other values', () => {
    expect(mapStrings({ a: ['x', 1, null, true], b: { c: 'y' } }, (s) => s.toUpperCase())).toEqual({ A: ['X', 1, null, true], B: { C: 'Y' } });
  });
});
