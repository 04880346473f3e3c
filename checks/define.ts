import type { CheckId, FixtureName, Level, Suite } from './ids.ts';

/** One row of the certificate, defined once; scenarios observe it, reports render it. */
export interface CheckDefinition {
  id: CheckId;
  title: string;
  level: Level;
  suite: Suite;
  /** Section of spec/bank-interfaces.md (and the seed) the rule comes from. */
  specRef: string;
  /** What a failing bank should change. */
  remediation: string;
  /** How the harness observes the rule, in one sentence (printed in the report). */
  observedBy: string;
  /** Fixtures without which the check is skipped. */
  needs: readonly FixtureName[];
  /** Set when the check applies only with a setting on (SEC-SIGNATURE needs signing); otherwise it is skipped. */
  appliesWhen?: 'signing';
  /**
   * Set when the level depends on configuration: with the named setting given, the check is judged at
   * `level` instead (LD-CAPACITY is INFO, or MUST once the bank declares thresholds.minCapacity).
   * Resolved before the verdict by `resolveLevels` (checks/catalogue.ts), so the verdict reads one level.
   */
  levelWhen?: { setting: LevelSetting; level: Level };
}

/** Configuration that can change a check's level. */
export type LevelSetting = 'minCapacity';
export type LevelSettings = Record<LevelSetting, boolean>;

export function defineCheck<const D extends CheckDefinition>(definition: D): D {
  return definition;
}
