import { describe, expect, it } from 'vitest';
import { AVAILABLE_SUITES, checksOfSuites } from '../../checks/catalogue.ts';
import { FAULTS } from '../../reference-bank/faults.ts';

describe('every check can fail (house rule 3)', () => {
  it('each check of every available suite is broken by at least one reference-bank fault', () => {
    const broken = new Set<string>(Object.values(FAULTS).map((f) => f.breaks));
    const unbreakable = checksOfSuites(AVAILABLE_SUITES)
      .map((c) => c.id)
      .filter((id) => !broken.has(id));
    expect(unbreakable).toEqual([]);
  });
});
