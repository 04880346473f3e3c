import { describe, expect, it } from 'vitest';
import { VERDICTS, type Verdict } from '../result.ts';
import { exitCode, partialVerdict } from './verdict.ts';

describe('a partial run (certify --check) is never a certificate', () => {
  it('certified and not-certified become passed-partial and failed-partial; inconclusive stays', () => {
    expect(VERDICTS.map((v) => [v, partialVerdict(v)])).toEqual([
      ['certified', 'passed-partial'],
      ['not-certified', 'failed-partial'],
      ['inconclusive', 'inconclusive'],
      ['passed-partial', 'passed-partial'],
      ['failed-partial', 'failed-partial'],
    ]);
  });

  it('exit 0 when the chosen checks pass, 1 when one fails, 3 when inconclusive', () => {
    const codes: Record<Verdict, number> = { certified: 0, 'passed-partial': 0, 'not-certified': 1, 'failed-partial': 1, inconclusive: 3 };
    for (const v of VERDICTS) expect([v, exitCode(v)]).toEqual([v, codes[v]]);
  });
});
