import { describe, expect, it } from 'vitest';
import { FIXTURE_NAMES, type FixtureName } from '../ids.ts';
import { withSummary } from '../../reports/summary.ts';
import { CATALOGUE, checkById } from '../catalogue.ts';
import type { CheckId, Status } from '../ids.ts';
import type { Exchange, Observation } from '../events.ts';
import { CheckResultSchema, type Verdict } from '../result.ts';
import { cite, specRefLine } from '../sources.ts';
import { MAX_EVIDENCE, NOT_OBSERVED, SIGNING_OFF, evaluate, exitCode } from './verdict.ts';

function obs(id: CheckId, status: Status, extra: Partial<Observation> = {}): Observation {
  return { id, status, expected: 'responseCode 2010', observed: status === 'pass' ? 'responseCode 2010' : 'responseCode 0000', ...extra };
}

function exchange(step: string): Exchange {
  return { step, request: { method: 'POST', url: 'https://bank.test/reserveFunds', headers: {}, body: '{}' } };
}

const MUST = 'RF-2010'; // MUST, conformance
const SHOULD = 'SF-TIMEOUT-CANCEL';
const INFO = 'LD-CAPACITY';
const SIGNED = 'SEC-SIGNATURE'; // appliesWhen: 'signing'

describe('evaluate: status of one check', () => {
  const cases: { name: string; id: CheckId; observations: Observation[]; signing?: boolean; status: Status; reason?: string }[] = [
    { name: 'MUST pass stays pass', id: MUST, observations: [obs(MUST, 'pass')], status: 'pass' },
    { name: 'MUST fail stays fail', id: MUST, observations: [obs(MUST, 'fail')], status: 'fail' },
    { name: 'SHOULD fail is downgraded to warn', id: SHOULD, observations: [obs(SHOULD, 'fail')], status: 'warn' },
    { name: 'INFO fail is downgraded to warn', id: INFO, observations: [obs(INFO, 'fail')], status: 'warn' },
    { name: 'warn stays warn', id: MUST, observations: [obs(MUST, 'warn', { reason: 'HTTP 400' })], status: 'warn', reason: 'HTTP 400' },
    {
      name: 'observed skip keeps its reason',
      id: MUST,
      observations: [obs(MUST, 'skip', { reason: 'no lowBalance fixture' })],
      status: 'skip',
      reason: 'no lowBalance fixture',
    },
    { name: 'no observation is inconclusive, never a skip', id: MUST, observations: [], status: 'inconclusive', reason: NOT_OBSERVED },
    {
      name: 'inconclusive keeps its reason',
      id: MUST,
      observations: [obs(MUST, 'inconclusive', { reason: 'probe answered HTTP 0' })],
      status: 'inconclusive',
      reason: 'probe answered HTTP 0',
    },
    {
      name: 'SHOULD inconclusive stays inconclusive',
      id: SHOULD,
      observations: [obs(SHOULD, 'inconclusive', { reason: 'x' })],
      status: 'inconclusive',
      reason: 'x',
    },
    { name: 'signing check with signing off is a skip', id: SIGNED, observations: [], signing: false, status: 'skip', reason: SIGNING_OFF },
    { name: 'signing off overrides an observation', id: SIGNED, observations: [obs(SIGNED, 'fail')], signing: false, status: 'skip', reason: SIGNING_OFF },
    { name: 'signing check with signing on is judged', id: SIGNED, observations: [obs(SIGNED, 'fail')], signing: true, status: 'fail' },
    {
      name: 'fail beats inconclusive, warn, pass and skip',
      id: MUST,
      observations: [obs(MUST, 'pass'), obs(MUST, 'skip'), obs(MUST, 'inconclusive'), obs(MUST, 'fail'), obs(MUST, 'warn')],
      status: 'fail',
    },
    {
      name: 'inconclusive beats warn and pass: a pass needs every case seen',
      id: MUST,
      observations: [obs(MUST, 'pass'), obs(MUST, 'inconclusive', { reason: 'r' }), obs(MUST, 'warn')],
      status: 'inconclusive',
      reason: 'r',
    },
    { name: 'warn beats pass and skip', id: MUST, observations: [obs(MUST, 'skip'), obs(MUST, 'warn'), obs(MUST, 'pass')], status: 'warn' },
    { name: 'pass beats skip', id: MUST, observations: [obs(MUST, 'skip', { reason: 'x' }), obs(MUST, 'pass')], status: 'pass' },
  ];
  it.each(cases)('$name', ({ id, observations, signing = true, status, reason }) => {
    const { checks } = evaluate({ fixtures: new Set(FIXTURE_NAMES), definitions: [checkById(id)], observations, signing, harnessProblems: [] });
    expect(checks).toHaveLength(1);
    const [check] = checks;
    expect(check?.status).toBe(status);
    expect(check?.reason).toBe(reason);
    expect(check && CheckResultSchema.parse(withSummary(check))).toEqual(check && withSummary(check));
  });
});

describe('evaluate: skips come from needs, whatever was observed', () => {
  const without = (...missing: FixtureName[]) => new Set(FIXTURE_NAMES.filter((n) => !missing.includes(n)));
  it.each([
    {
      name: 'a missing fixture skips, naming its config key',
      id: MUST as CheckId,
      fixtures: without('lowBalance'),
      observed: obs(MUST, 'fail'),
      status: 'skip',
      reason: 'no accounts.lowBalance (with its balance) in the configuration',
    },
    {
      name: 'any of two fixtures is enough',
      id: 'TR-RETRY' as CheckId,
      fixtures: without('funded'),
      observed: obs('TR-RETRY', 'pass'),
      status: 'pass',
      reason: undefined,
    },
    {
      name: 'neither of two fixtures skips, naming both',
      id: 'TR-RETRY' as CheckId,
      fixtures: without('funded', 'probe'),
      observed: obs('TR-RETRY', 'fail'),
      status: 'skip',
      reason: 'no accounts.funded or accounts.probe in the configuration',
    },
    {
      name: 'an unobserved check with a missing fixture is skipped, not inconclusive',
      id: 'SF-RELEASE' as CheckId,
      fixtures: without('probe'),
      observed: undefined,
      status: 'skip',
      reason: 'no accounts.probe in the configuration',
    },
  ])('$name', ({ id, fixtures, observed, status, reason }) => {
    const { checks, inconclusiveReasons } = evaluate({
      fixtures,
      definitions: [checkById(id)],
      observations: observed ? [observed] : [],
      signing: true,
      harnessProblems: [],
    });
    expect([checks[0]?.status, checks[0]?.reason]).toEqual([status, reason]);
    expect(inconclusiveReasons).toEqual([]);
  });
});

describe('evaluate: verdict', () => {
  const cases: { name: string; observations: Observation[]; harnessProblems?: string[]; drop?: CheckId; verdict: Verdict; reasons: number }[] = [
    { name: 'all pass → certified', observations: [], verdict: 'certified', reasons: 0 },
    { name: 'MUST fail → not-certified', observations: [obs(MUST, 'fail')], verdict: 'not-certified', reasons: 0 },
    { name: 'SHOULD fail never fails certification', observations: [obs(SHOULD, 'fail')], verdict: 'certified', reasons: 0 },
    { name: 'INFO fail never fails certification', observations: [obs(INFO, 'fail')], verdict: 'certified', reasons: 0 },
    { name: 'MUST warn does not fail certification', observations: [obs(MUST, 'warn')], verdict: 'certified', reasons: 0 },
    { name: 'observed skip is not inconclusive', observations: [obs(MUST, 'skip', { reason: 'no fixture' })], verdict: 'certified', reasons: 0 },
    { name: 'MUST inconclusive → inconclusive', observations: [obs(MUST, 'inconclusive', { reason: 'no answer' })], verdict: 'inconclusive', reasons: 1 },
    {
      name: 'SHOULD inconclusive does not stop certification',
      observations: [obs(SHOULD, 'inconclusive', { reason: 'no answer' })],
      verdict: 'certified',
      reasons: 0,
    },
    {
      name: 'INFO inconclusive does not stop certification',
      observations: [obs(INFO, 'inconclusive', { reason: 'no answer' })],
      verdict: 'certified',
      reasons: 0,
    },
    {
      name: 'MUST fail beats MUST inconclusive',
      observations: [obs(MUST, 'fail'), obs('RF-0000', 'inconclusive', { reason: 'r' })],
      verdict: 'not-certified',
      reasons: 1,
    },
    { name: 'harness problem → inconclusive', observations: [], harnessProblems: ['k6 exited with 107'], verdict: 'inconclusive', reasons: 1 },
    { name: 'missing observation → inconclusive', observations: [], drop: MUST, verdict: 'inconclusive', reasons: 1 },
    {
      name: 'MUST fail beats inconclusive',
      observations: [obs(MUST, 'fail')],
      harnessProblems: ['k6 crashed'],
      drop: 'RF-0000',
      verdict: 'not-certified',
      reasons: 2,
    },
  ];
  it.each(cases)('$name', ({ observations, harnessProblems = [], drop, verdict, reasons }) => {
    // Every planned check passes unless the case says otherwise; `drop` removes a check's observations.
    const overridden = new Set(observations.map((o) => o.id));
    const baseline = CATALOGUE.filter((d) => !overridden.has(d.id) && d.id !== drop).map((d) => obs(d.id, 'pass'));
    const result = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions: CATALOGUE,
      observations: [...baseline, ...observations],
      signing: true,
      harnessProblems,
    });
    expect(result.verdict).toBe(verdict);
    expect(result.inconclusiveReasons).toHaveLength(reasons);
    expect(result.checks.map((c) => c.id)).toEqual(CATALOGUE.map((d) => d.id));
  });

  it('names an inconclusive MUST check and its reason among the reasons', () => {
    const result = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions: [checkById(MUST)],
      observations: [obs(MUST, 'inconclusive', { reason: 'the funds probe answered HTTP 0' })],
      signing: true,
      harnessProblems: [],
    });
    expect(result.inconclusiveReasons).toEqual([`${MUST} is inconclusive: the funds probe answered HTTP 0`]);
  });

  it('lists harness problems first, then each unobserved check by id', () => {
    const result = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions: [checkById('RF-0000'), checkById(MUST)],
      observations: [],
      signing: true,
      harnessProblems: ['k6 crashed'],
    });
    expect(result.inconclusiveReasons).toEqual(['k6 crashed', `RF-0000 ${NOT_OBSERVED}`, `${MUST} ${NOT_OBSERVED}`]);
  });

  it('does not count a signing check as missing when signing is off', () => {
    const result = evaluate({ fixtures: new Set(FIXTURE_NAMES), definitions: [checkById(SIGNED)], observations: [], signing: false, harnessProblems: [] });
    expect(result).toMatchObject({ verdict: 'certified', inconclusiveReasons: [] });
  });
});

describe('evaluate: combining and shaping', () => {
  it('emits checks in catalogue order, once each, whatever the input order', () => {
    const definitions = [checkById('LD-P95'), checkById('RF-SCHEMA'), checkById('TR-404'), checkById('RF-SCHEMA')];
    const { checks } = evaluate({ fixtures: new Set(FIXTURE_NAMES), definitions, observations: [], signing: true, harnessProblems: [] });
    expect(checks.map((c) => c.id)).toEqual(['RF-SCHEMA', 'TR-404', 'LD-P95']);
  });

  it('ignores observations of unplanned checks', () => {
    const { checks, verdict } = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions: [checkById(MUST)],
      observations: [obs(MUST, 'pass'), obs('TR-404', 'fail')],
      signing: true,
      harnessProblems: [],
    });
    expect(checks.map((c) => c.id)).toEqual([MUST]);
    expect(verdict).toBe('certified');
  });

  it('sums counts, caps evidence worst-first and joins the worst phrases', () => {
    const observations = [
      obs(MUST, 'pass', { counts: { cases: 1 }, evidence: [exchange('pass 1'), exchange('pass 2')] }),
      obs(MUST, 'fail', { observed: 'responseCode 0000', counts: { cases: 2, answers: 3 }, evidence: [exchange('fail 1'), exchange('fail 2')] }),
      obs(MUST, 'fail', { observed: 'responseCode 2090', reason: 'HTTP 500', evidence: [exchange('fail 3'), exchange('fail 4')] }),
    ];
    const [check] = evaluate({ fixtures: new Set(FIXTURE_NAMES), definitions: [checkById(MUST)], observations, signing: true, harnessProblems: [] }).checks;
    expect(check?.counts).toEqual({ cases: 3, answers: 3 });
    expect(check?.evidence?.map((e) => e.step)).toEqual(['fail 1', 'fail 2', 'fail 3', 'fail 4', 'pass 1']);
    expect(check?.evidence).toHaveLength(MAX_EVIDENCE);
    expect(check?.observed).toBe('responseCode 0000; responseCode 2090');
    expect(check?.expected).toBe('responseCode 2010');
    expect(check?.reason).toBe('HTTP 500');
  });

  it('copies the definition and fills the summary line', () => {
    const [check] = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions: [checkById(MUST)],
      observations: [obs(MUST, 'fail')],
      signing: true,
      harnessProblems: [],
    }).checks;
    const definition = checkById(MUST);
    expect(check).toMatchObject({
      title: definition.title,
      level: 'MUST',
      suite: 'conformance',
      specRef: specRefLine(definition.sources),
      sources: cite(definition.sources),
      remediation: definition.remediation,
      observedBy: definition.observedBy,
    });
    expect(check && withSummary(check).summary).toBe('expected responseCode 2010, observed responseCode 0000');
    expect(check && 'evidence' in check).toBe(false);
    expect(check && 'counts' in check).toBe(false);
  });

  it('keeps the level a load check was measured at and its percentile judgement, whatever else reported on it', () => {
    const measuredAt = { profile: 'load', rate: 40, holdS: 120 };
    const percentile = {
      percentile: 95,
      targetMs: 2000,
      maxShare: 0.05,
      confidence: 0.95,
      neededWithNone: 59,
      endpoints: [{ endpoint: 'reserveFunds', answers: 600, over: 0, lower: 0, upper: 0.005, measuredMs: 20, decision: 'pass' as const }],
    };
    const regression = obs('LD-P95', 'warn', { observed: 'p95 regressed', reason: 'p95 regressed' });
    const [check] = evaluate({
      fixtures: new Set(FIXTURE_NAMES),
      definitions: [checkById('LD-P95')],
      observations: [obs('LD-P95', 'pass', { measuredAt, percentile }), regression],
      signing: true,
      harnessProblems: [],
    }).checks;
    expect(check).toMatchObject({ status: 'warn', measuredAt, percentile });
    expect(check && withSummary(check).summary).toMatch(
      /^p95 regressed \(p95 regressed\); p95 under 2000 ms at 95 % confidence: .*, at 40 iterations\/s held 120 s \(load profile\)$/,
    );
    expect(check && CheckResultSchema.parse(withSummary(check))).toEqual(check && withSummary(check));
  });

  it('summarises a missing observation as inconclusive with its reason', () => {
    const [check] = evaluate({ fixtures: new Set(FIXTURE_NAMES), definitions: [checkById(MUST)], observations: [], signing: true, harnessProblems: [] }).checks;
    expect(check && withSummary(check).summary).toBe(`inconclusive: ${NOT_OBSERVED}`);
  });
});

describe('exitCode', () => {
  it.each([
    ['certified', 0],
    ['not-certified', 1],
    ['inconclusive', 3],
  ] as const)('%s → %i', (verdict, code) => {
    expect(exitCode(verdict)).toBe(code);
  });
});
