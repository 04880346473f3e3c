import { describe, expect, it } from 'vitest';
import { ResponseCounter, responseKind } from './responses.ts';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const it_ = (status: number, code: string, ms: number) => ({ status, code, endMs: T0 + ms });

describe('responseKind: every reserveFunds under load is one kind, never two', () => {
  it.each([
    [200, '0000', 'granted'],
    [200, '2060', 'declined'],
    [200, '2010', 'declined'],
    [200, '', 'declined'],
    [400, '2090', 'declined'],
    [404, '', 'declined'],
    [503, '2090', 'error'],
    [500, '', 'error'],
    [0, '', 'error'],
  ] as const)('HTTP %i with code "%s" → %s', (status, code, kind) => {
    expect(responseKind(status, code)).toBe(kind);
  });
});

describe('ResponseCounter', () => {
  const counter = new ResponseCounter();
  for (let i = 0; i < 10; i++) counter.add(it_(200, '0000', 100 + i));
  counter.add(it_(200, '2060', 1_200));
  counter.add(it_(200, '2060', 1_300));
  counter.add(it_(200, '', 2_500));
  counter.add(it_(503, '2090', 2_600));
  counter.add({ status: 0, code: '', endMs: T0 + 2_700 });

  it('counts reserves and declines (errors are not declines)', () => {
    expect([counter.reserves, counter.declines]).toEqual([15, 3]);
    expect(counter.declineRate).toBeCloseTo(3 / 15);
  });

  it('tabulates the codes, granted first, then declined, then errors, each by count', () => {
    expect(counter.summary(T0, 3).codes).toEqual([
      { kind: 'granted', status: 200, code: '0000', count: 10 },
      { kind: 'declined', status: 200, code: '2060', count: 2 },
      { kind: 'declined', status: 200, code: '', count: 1 },
      { kind: 'error', status: 0, code: '', count: 1 },
      { kind: 'error', status: 503, code: '2090', count: 1 },
    ]);
  });

  it("puts answers and declines in the timeline's seconds (errors are not answers)", () => {
    expect(counter.summary(T0, 3).perSecond).toEqual([
      { t: 0, answers: 10, declines: 0 },
      { t: 1, answers: 2, declines: 2 },
      { t: 2, answers: 1, declines: 1 },
    ]);
    // Shifted t = 0, and answers past the end go to the last second.
    expect(counter.summary(T0 + 1_000, 2).perSecond).toEqual([
      { t: 0, answers: 12, declines: 2 },
      { t: 1, answers: 1, declines: 1 },
    ]);
    expect(counter.summary(Number.NaN, 2).perSecond).toEqual([
      { t: 0, answers: 0, declines: 0 },
      { t: 1, answers: 0, declines: 0 },
    ]);
  });

  it("reads the answers' times from elsewhere when they are kept there (the records' reserveFunds column)", () => {
    const times = Int32Array.from([100, 1_200, 1_300]);
    const shared = new ResponseCounter(undefined, { times: { view: () => times }, baseEpochMs: () => T0 });
    shared.add(it_(200, '0000', 0));
    shared.add(it_(200, '2060', 0));
    shared.add(it_(200, '2060', 0));
    expect(shared.summary(T0, 2).perSecond).toEqual([
      { t: 0, answers: 1, declines: 0 },
      { t: 1, answers: 2, declines: 2 },
    ]);
  });

  it('an empty counter: no reserves, no declines, an empty timeline of the right length', () => {
    const empty = new ResponseCounter();
    expect([empty.reserves, empty.declineRate]).toEqual([0, 0]);
    expect(empty.summary(T0, 2)).toEqual({
      reserves: 0,
      codes: [],
      perSecond: [
        { t: 0, answers: 0, declines: 0 },
        { t: 1, answers: 0, declines: 0 },
      ],
    });
  });
});
