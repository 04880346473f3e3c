import type { CheckDefinition, LevelSettings } from './define.ts';
import { CHECK_IDS, type CheckId, type Suite } from './ids.ts';
import { LOAD_CHECKS } from './definitions/load.ts';
import { RESERVE_FUNDS_CHECKS } from './definitions/reserve-funds.ts';
import { SAFETY_CHECKS } from './definitions/safety.ts';
import { SECURITY_CHECKS } from './definitions/security.ts';
import { TRANSACT_RESULT_CHECKS } from './definitions/transact-result.ts';

/** `satisfies` makes the compiler reject a check id without a definition, or a definition filed under the wrong key. */
const BY_ID = {
  ...RESERVE_FUNDS_CHECKS,
  ...TRANSACT_RESULT_CHECKS,
  ...SAFETY_CHECKS,
  ...SECURITY_CHECKS,
  ...LOAD_CHECKS,
} satisfies { [K in CheckId]: CheckDefinition & { id: K } };

export const CATALOGUE: readonly CheckDefinition[] = CHECK_IDS.map((id) => BY_ID[id]);

export function checkById(id: CheckId): CheckDefinition {
  return BY_ID[id];
}

/** Suites whose scenario exists; the CLI refuses the others with a clear message. */
export const AVAILABLE_SUITES: readonly Suite[] = ['conformance', 'safety', 'security', 'load'];

export function checksOfSuites(suites: readonly Suite[]): CheckDefinition[] {
  return CATALOGUE.filter((c) => suites.includes(c.suite));
}

/** The definitions with every configuration-dependent level resolved (see CheckDefinition.levelWhen). */
export function resolveLevels(definitions: readonly CheckDefinition[], settings: LevelSettings): CheckDefinition[] {
  return definitions.map((d) => (d.levelWhen && settings[d.levelWhen.setting] ? { ...d, level: d.levelWhen.level } : d));
}
