import { describe, expect, it } from 'vitest';
import { summaryLine, type Summarisable } from './summary.ts';

describe('summaryLine', () => {
  const cases: { name: string; check: Summarisable; line: string }[] = [
    { name: 'pass', check: { status: 'pass', expected: 'responseCode 2010', observed: 'responseCode 2010' }, line: 'responseCode 2010 as expected' },
    { name: 'pass without observed phrase', check: { status: 'pass', expected: 'HTTP 404', observed: '' }, line: 'HTTP 404 as expected' },
    {
      name: 'pass with counts',
      check: { status: 'pass', expected: 'valid answers', observed: 'valid answers', counts: { answers: 40, cases: 2 } },
      line: 'valid answers as expected [answers 40, cases 2]',
    },
    {
      name: 'fail',
      check: { status: 'fail', expected: 'responseCode 2010', observed: 'responseCode 0000 (HTTP 200)' },
      line: 'expected responseCode 2010, observed responseCode 0000 (HTTP 200)',
    },
    {
      name: 'fail with reason and counts',
      check: { status: 'fail', expected: 'HTTP 200', observed: 'HTTP 500', reason: 'on the 3rd retry', counts: { retries: 5 } },
      line: 'expected HTTP 200, observed HTTP 500 (on the 3rd retry) [retries 5]',
    },
    { name: 'fail with nothing observed', check: { status: 'fail', expected: 'HTTP 200', observed: '' }, line: 'expected HTTP 200, observed nothing' },
    {
      name: 'fail without expectation',
      check: { status: 'fail', expected: '', observed: 'two reservations share a ref' },
      line: 'observed two reservations share a ref',
    },
    {
      name: 'warn with reason',
      check: { status: 'warn', expected: 'HTTP 200', observed: 'HTTP 400', reason: 'business outcome on a non-200 status' },
      line: 'HTTP 400 (business outcome on a non-200 status)',
    },
    {
      name: 'warn without reason (downgraded SHOULD)',
      check: { status: 'warn', expected: 'funds released', observed: 'HTTP 404' },
      line: 'expected funds released, observed HTTP 404',
    },
    {
      name: 'skip',
      check: { status: 'skip', expected: '', observed: '', reason: 'no lowBalance fixture', counts: { cases: 0 } },
      line: 'skipped: no lowBalance fixture',
    },
    { name: 'skip without reason', check: { status: 'skip', expected: '', observed: '' }, line: 'skipped: no reason recorded' },
  ];
  it.each(cases)('$name', ({ check, line }) => {
    expect(summaryLine(check)).toBe(line);
  });
});

describe('summaryLine: load rows name their level and their confidence', () => {
  const measuredAt = { profile: 'load', rate: 40, holdS: 120 };
  const judgement = (over: number, answers: number, decision: 'pass' | 'fail' | 'inconclusive', lower: number, upper: number) => ({
    percentile: 99,
    targetMs: 2000,
    maxShare: 0.01,
    confidence: 0.95,
    neededWithNone: 299,
    endpoints: [
      { endpoint: 'reserveFunds', answers, over, lower, upper, measuredMs: over > 0 ? 2100 : 412, decision },
      {
        endpoint: 'transactResult',
        answers,
        over: 0,
        lower: 0,
        upper: 1 - 0.05 ** (1 / answers),
        measuredMs: 30.4,
        decision: answers >= 299 ? ('pass' as const) : ('inconclusive' as const),
      },
    ],
  });

  it('a plain load row: its phrase, then the level, then its counts', () => {
    expect(summaryLine({ status: 'pass', expected: 'x', observed: 'slowest reserveFunds 412 ms', measuredAt, counts: { errors: 0 } })).toBe(
      'slowest reserveFunds 412 ms as expected, at 40 iterations/s held 120 s (load profile) [errors 0]',
    );
  });

  it('a pass states the bound it passed by', () => {
    expect(summaryLine({ status: 'pass', expected: 'x', observed: 'y', measuredAt, percentile: judgement(3, 2400, 'pass', 0.0003, 0.0033) })).toBe(
      'p99 under 2000 ms at 95 % confidence: reserveFunds 2,400 answers, 3 at 2000 ms or more (share ≤ 0.33 %); transactResult 2,400 answers, none at 2000 ms or more (share ≤ 0.12 %); measured p99 reserveFunds 2,100 ms, transactResult 30.4 ms, at 40 iterations/s held 120 s (load profile)',
    );
  });

  it('a failure names the endpoint and the share it proved', () => {
    expect(summaryLine({ status: 'fail', expected: 'x', observed: 'y', measuredAt, percentile: judgement(18, 600, 'fail', 0.0192, 0.0442) })).toBe(
      'p99 not under 2000 ms at 95 % confidence: reserveFunds 600 answers, 18 at 2000 ms or more (share ≥ 1.9 %, allowed 1 %); measured p99 reserveFunds 2,100 ms, transactResult 30.4 ms, at 40 iterations/s held 120 s (load profile)',
    );
  });

  it('too few samples says how many are needed', () => {
    expect(
      summaryLine({
        status: 'inconclusive',
        expected: 'x',
        observed: 'y',
        reason: 'too few',
        measuredAt,
        percentile: judgement(1, 100, 'inconclusive', 0.0005, 0.0466),
      }),
    ).toBe(
      'not enough samples to judge p99: reserveFunds 100 answers, 1 at 2000 ms or more (share between 0.05 % and 4.7 %); transactResult 100 answers, none at 2000 ms or more (share between 0 % and 3 %); at least 299 answers with none at 2000 ms or more are needed to show p99 under 2000 ms at 95 % confidence; measured p99 reserveFunds 2,100 ms, transactResult 30.4 ms, at 40 iterations/s held 120 s (load profile)',
    );
  });

  it('the capacity search names its steps; a skipped row names no level', () => {
    expect(summaryLine({ status: 'pass', expected: 'x', observed: '20 iterations/s', measuredAt: { profile: 'capacity', rate: 40, holdS: 3 } })).toBe(
      '20 iterations/s as expected, in the capacity search (steps of 3 s up to 40 iterations/s)',
    );
    expect(summaryLine({ status: 'skip', expected: '', observed: '', reason: 'not measured', measuredAt })).toBe('skipped: not measured');
  });
});
