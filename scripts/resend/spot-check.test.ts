import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../checks/events.ts';
import { sample, spotCheckable } from './spot-check.ts';

const rec = (over: Partial<ExchangeRecord>): ExchangeRecord => ({
  t: 'x',
  suite: 'conformance',
  n: 1,
  step: 'reserveFunds on funded for a typical amount (1000)',
  endpoint: 'reserveFunds',
  at: '',
  account: 'funded',
  refs: ['bc-a-conformance-1-1-c', 'bc-a-conformance-1-1-r'],
  signature: 'valid',
  request: { method: 'POST', url: 'u', headers: {}, body: '{}' },
  response: { status: 200, headers: {}, body: '{"responseCode":"0000"}', durationMs: 1 },
  ...over,
});

describe('which recorded exchanges a spot-check sends again', () => {
  it('conformance and security reserveFunds, validly signed or unsigned, with an answer', () => {
    expect(spotCheckable(rec({}))).toBe(true);
    expect(spotCheckable(rec({ suite: 'security', signature: 'none', raw: true }))).toBe(true);
  });

  it('not a tampered signature, the funds probe, the safety suite, an unanswered request or a body kept in part', () => {
    expect(spotCheckable(rec({ signature: 'other' }))).toBe(false);
    expect(spotCheckable(rec({ suite: 'security', step: 'funds probe: reserveFunds 500 on probe (baseline)' }))).toBe(false);
    expect(spotCheckable(rec({ suite: 'safety' }))).toBe(false);
    const { response: _none, ...unanswered } = rec({});
    expect(spotCheckable({ ...unanswered, error: 'timeout' })).toBe(false);
    expect(spotCheckable(rec({ request: { method: 'POST', url: 'u', headers: {}, body: { length: 3e6, sha256: 'x', prefix: '{' } } }))).toBe(false);
  });

  it('a transactResult only for an unknown reservation (it needs none to be made again)', () => {
    expect(spotCheckable(rec({ endpoint: 'transactResult', refs: ['c', 'r', 'unknown-r'] }))).toBe(true);
    expect(spotCheckable(rec({ endpoint: 'transactResult', refs: ['c', 'r', '5f1e-…'] }))).toBe(false);
  });
});

describe('the seeded sample', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);

  it('is the same for the same seed, in recorded order, without repeats', () => {
    const a = sample(items, 10, 42);
    expect(sample(items, 10, 42)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(sample(items, 10, 43)).not.toEqual(a);
  });

  it('takes everything when asked for more than there is', () => {
    expect(sample(items, 500, 1)).toEqual(items);
  });
});
