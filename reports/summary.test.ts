import { describe, expect, it } from 'vitest';
import { summarise, type Summarisable } from './summary.ts';

describe('summarise', () => {
  const cases: { name: string; check: Summarisable; line: string }[] = [
    { name: 'pass', check: { status: 'pass', expected: 'responseCode 2010', observed: 'responseCode 2010' }, line: 'responseCode 2010 as expected' },
    { name: 'pass without observed phrase', check: { status: 'pass', expected: 'HTTP 404', observed: '' }, line: 'HTTP 404 as expected' },
    { name: 'pass with counts', check: { status: 'pass', expected: 'valid answers', observed: 'valid answers', counts: { answers: 40, cases: 2 } }, line: 'valid answers as expected [answers 40, cases 2]' },
    { name: 'fail', check: { status: 'fail', expected: 'responseCode 2010', observed: 'responseCode 0000 (HTTP 200)' }, line: 'expected responseCode 2010, observed responseCode 0000 (HTTP 200)' },
    { name: 'fail with reason and counts', check: { status: 'fail', expected: 'HTTP 200', observed: 'HTTP 500', reason: 'on the 3rd retry', counts: { retries: 5 } }, line: 'expected HTTP 200, observed HTTP 500 (on the 3rd retry) [retries 5]' },
    { name: 'fail with nothing observed', check: { status: 'fail', expected: 'HTTP 200', observed: '' }, line: 'expected HTTP 200, observed nothing' },
    { name: 'fail without expectation', check: { status: 'fail', expected: '', observed: 'two reservations share a ref' }, line: 'observed two reservations share a ref' },
    { name: 'warn with reason', check: { status: 'warn', expected: 'HTTP 200', observed: 'HTTP 400', reason: 'business outcome on a non-200 status' }, line: 'HTTP 400 (business outcome on a non-200 status)' },
    { name: 'warn without reason (downgraded SHOULD)', check: { status: 'warn', expected: 'funds released', observed: 'HTTP 404' }, line: 'expected funds released, observed HTTP 404' },
    { name: 'skip', check: { status: 'skip', expected: '', observed: '', reason: 'no lowBalance fixture', counts: { cases: 0 } }, line: 'skipped: no lowBalance fixture' },
    { name: 'skip without reason', check: { status: 'skip', expected: '', observed: '' }, line: 'skipped: no reason recorded' },
  ];
  it.each(cases)('$name', ({ check, line }) => {
    expect(summarise(check)).toBe(line);
  });
});
