import { describe, expect, it } from 'vitest';
import type { LedgerSummary } from '../../checks/result.ts';
import { stillHeldLine, verdictLines } from './cli-options.ts';

const ledger = (open: number): LedgerSummary => ({ reservations: 5, debited: 1, released: 4 - open, refused: 0, open, cleanedUp: 0 });

describe('verdictLines: the end of a run in the terminal', () => {
  it('certified: the verdict line only', () => {
    expect(verdictLines({ verdict: 'certified', inconclusiveReasons: [], ledger: ledger(0), checks: [] }, 'out')).toEqual([
      expect.stringMatching(/^\nverdict: CERTIFIED {3}report: out\/report\.html/),
    ]);
  });

  it('inconclusive: every reason under the verdict line', () => {
    const lines = verdictLines(
      {
        verdict: 'inconclusive',
        inconclusiveReasons: ['k6 dropped 48015 iterations: the generator did not offer the planned load', 'SF-RELEASE is inconclusive: x'],
        ledger: ledger(0),
        checks: [],
      },
      'out',
    );
    expect(lines.slice(1)).toEqual([
      '  because k6 dropped 48015 iterations: the generator did not offer the planned load',
      '  because SF-RELEASE is inconclusive: x',
    ]);
  });

  it('many reasons: the first eight, then where the rest are', () => {
    const reasons = Array.from({ length: 12 }, (_, i) => `reason ${i}`);
    const lines = verdictLines({ verdict: 'inconclusive', inconclusiveReasons: reasons, ledger: ledger(0), checks: [] }, 'out');
    expect(lines).toHaveLength(1 + 8 + 1);
    expect(lines.at(-1)).toBe('  … and 4 more (inconclusiveReasons in result.json)');
  });

  it('reservations left open: the reconcile line comes last, once', () => {
    const held = stillHeldLine(2, 'out');
    const lines = verdictLines({ verdict: 'inconclusive', inconclusiveReasons: ['SF-CLEANUP is inconclusive: y', held], ledger: ledger(2), checks: [] }, 'out');
    expect(lines.at(-1)).toBe('2 reservation(s) still open (funds may be held at the bank): run `bankcert reconcile out` once it answers');
    expect(lines.filter((l) => l.includes(held))).toHaveLength(1);
  });

  it('not certified with open reservations: no reasons, but the reconcile line', () => {
    const lines = verdictLines({ verdict: 'not-certified', inconclusiveReasons: ['ignored'], ledger: ledger(1), checks: [] }, 'out');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/bankcert reconcile out/);
  });
});
