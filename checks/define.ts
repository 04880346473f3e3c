import type { CheckId, FixtureName, Level, Suite } from './ids.ts';
import type { SpecRef } from './sources.ts';

/** One row of the certificate, defined once; scenarios observe it, reports render it. */
export interface CheckDefinition {
  id: CheckId;
  title: string;
  level: Level;
  suite: Suite;
  /** The public documents and sections the rule comes from (bankcert's own reading where they are silent). */
  sources: readonly SpecRef[];
  /** What a failing bank should change. */
  remediation: string;
  /** How the harness observes the rule, in one sentence (printed in the report). */
  observedBy: string;
  /** The traffic it sends and the money it moves on the bank's test accounts (docs/checks.md). */
  cost: string;
  /** bankcert's reading where the documents are silent or allow two answers (docs/checks.md). */
  reading?: string;
  /**
   * Fixtures without which the check is skipped (the only reason a check is skipped besides signing off):
   * each entry is required, and a list inside is "any of" (retries run on the probe or the funded account).
   * evaluate() skips the check with the reason, whatever the scenario reported.
   */
  needs: readonly (FixtureName | readonly FixtureName[])[];
  /** Where the rule is judged: by its suite's observer inside k6, or in Node over the run's ledger or its load figures. */
  judgedBy: 'k6' | 'ledger' | 'load';
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
