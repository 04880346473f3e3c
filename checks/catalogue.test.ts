import { describe, expect, it } from 'vitest';
import { CATALOGUE, checkById, resolveLevels } from './catalogue.ts';

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
