import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../checks/ids.ts';
import { UserError } from '../util/errors.ts';
import { parseChecks } from './check-selection.ts';

function refusal(run: () => unknown): UserError {
  try {
    run();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('parseChecks: certify --check', () => {
  it('absent or empty: a full run', () => {
    expect(parseChecks(undefined, undefined)).toBeUndefined();
    expect(parseChecks([], undefined)).toBeUndefined();
  });

  it('comma-separated and repeatable, any case, each once, in catalogue order, with the suites they need', () => {
    expect(parseChecks(['sf-debit-once,RF-2010', 'RF-2010', ' TR-RETRY '], undefined)).toEqual({
      checks: ['RF-2010', 'TR-RETRY', 'SF-DEBIT-ONCE'],
      suites: ['conformance', 'safety'],
    });
  });

  it('an unknown id is a usage error (exit 2) that lists every valid id by suite', () => {
    const err = refusal(() => parseChecks(['RF-2010,RF-9999,bogus'], undefined));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('--check RF-9999,bogus: unknown check ids');
    const listed = err.hint.join('\n');
    for (const id of CHECK_IDS) expect(listed).toContain(id);
    expect(err.hint).toContain('  load: LD-P95, LD-P99, LD-MAX, LD-ERRORS, LD-DECLINES, LD-CAPACITY');
  });

  it('nothing but commas is a usage error', () => {
    expect(refusal(() => parseChecks([' , '], undefined)).message).toBe('--check: no check id given');
  });

  it('with --suite, every chosen check must belong to one of those suites', () => {
    expect(parseChecks(['RF-2010'], ['conformance', 'safety'])?.suites).toEqual(['conformance']);
    const err = refusal(() => parseChecks(['RF-2010,SF-RELEASE'], ['conformance']));
    expect(err.message).toContain('SF-RELEASE belongs to the safety suite');
  });
});
