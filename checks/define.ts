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
  /** Set when the level depends on configuration (SEC-SIGNATURE is MUST only with signing on). */
  appliesWhen?: 'signing';
}

export function defineCheck<const D extends CheckDefinition>(definition: D): D {
  return definition;
}
