import { describe, expect, it } from 'vitest';
import { matchesRedacted, sameRedacted } from './redacted-match.ts';

describe('comparing a redacted record with a value re-derived without the secrets', () => {
  it('reads each [redacted] as some non-empty text', () => {
    expect(matchesRedacted('{"authCode":"[redacted]"}', '{"authCode":"9999"}')).toBe(true);
    expect(matchesRedacted('a [redacted] b [redacted] c', 'a x b yy c')).toBe(true);
    expect(matchesRedacted('a [redacted] b', 'a  b')).toBe(false);
    expect(matchesRedacted('[redacted]5', '12345')).toBe(true);
    expect(matchesRedacted('abc', 'abd')).toBe(false);
    expect(matchesRedacted('x[redacted]', 'y123')).toBe(false);
  });

  it('compares JSON values deeply; a redacted number reads as its text', () => {
    expect(sameRedacted({ a: [1, '[redacted]'], b: { c: 'x' } }, { a: [1, 'pin'], b: { c: 'x' } })).toBe(true);
    expect(sameRedacted({ authCode: '[redacted]' }, { authCode: 1234 })).toBe(true);
    expect(sameRedacted({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameRedacted([1, 2], [1, 2, 3])).toBe(false);
    expect(sameRedacted({ a: 0.1 + 0.2 }, { a: 0.30000000000000004 })).toBe(true);
  });
});
