import { describe, expect, it } from 'vitest';
import { fixtureLoad } from '../reports/__fixtures__/load.ts';
import { CATALOGUE, checkById, resolveLevels } from './catalogue.ts';
import { ledgerObservations } from './judge/ledger.ts';
import { loadObservations } from './judge/load.ts';

describe('resolveLevels: levels that depend on configuration', () => {
  it('LD-CAPACITY is INFO, and MUST once thresholds.minCapacity is set', () => {
    expect(resolveLevels([checkById('LD-CAPACITY')], { minCapacity: false })[0]?.level).toBe('INFO');
    expect(resolveLevels([checkById('LD-CAPACITY')], { minCapacity: true })[0]?.level).toBe('MUST');
  });

  it('changes no other check, and never the catalogue itself', () => {
    const raised = resolveLevels(CATALOGUE, { minCapacity: true });
    expect(raised.filter((d, i) => d.level !== CATALOGUE[i]?.level).map((d) => d.id)).toEqual(['LD-CAPACITY']);
    expect(checkById('LD-CAPACITY').level).toBe('INFO');
  });

  it('LD-DECLINES follows LD-ERRORS in the catalogue, a MUST of the load suite', () => {
    const ids = CATALOGUE.map((d) => d.id);
    expect(ids.indexOf('LD-DECLINES')).toBe(ids.indexOf('LD-ERRORS') + 1);
    expect(checkById('LD-DECLINES')).toMatchObject({ level: 'MUST', suite: 'load' });
  });
});

describe('a check is judged where its definition says', () => {
  const judgedBy = (where: 'k6' | 'ledger' | 'load') =>
    CATALOGUE.filter((d) => d.judgedBy === where)
      .map((d) => d.id)
      .sort();
  const thresholds = { p95Ms: 2000, p99Ms: 2000, maxMs: 5000, errorRate: 0.001, declineRate: 0.001 };

  it('the ledger judge reports exactly the checks judged over the ledger', () => {
    expect([...new Set(ledgerObservations([], ['safety'], 'out').map((o) => o.id))].sort()).toEqual(judgedBy('ledger'));
  });

  it('the load judge reports exactly the checks judged over load figures', () => {
    expect([...new Set(loadObservations(fixtureLoad(), thresholds).map((o) => o.id))].sort()).toEqual(judgedBy('load'));
  });

  it('every other check is observed inside k6 by its suite', () => {
    expect(judgedBy('k6').every((id) => !id.startsWith('LD-'))).toBe(true);
  });
});
