import { AVAILABLE_SUITES, checkById } from '../../checks/catalogue.ts';
import { CHECK_IDS, type CheckId, type Suite } from '../../checks/ids.ts';
import { usageError } from '../util/errors.ts';

/**
 * `certify --check ID[,ID…]`: a partial run of the chosen checks, for a bank engineer re-running the rule
 * they just fixed. Its result is never a certificate (verdict passed-partial or failed-partial).
 */
export interface CheckSelection {
  /** In catalogue order, each once. */
  checks: CheckId[];
  /** The suites those checks belong to, in run order. */
  suites: Suite[];
}

const VALID = (): string[] => {
  const bySuite = AVAILABLE_SUITES.map((suite) => `${suite}: ${CHECK_IDS.filter((id) => checkById(id).suite === suite).join(', ')}`);
  return ['Valid check ids, by suite:', ...bySuite.map((line) => `  ${line}`)];
};

/**
 * The chosen checks, or undefined when --check was not given. Ids are matched without regard to case
 * ("rf-2010"); an unknown one is a usage error listing the valid ids. With --suite as well, every chosen
 * check must belong to one of those suites (a check outside them could not run).
 */
export function parseChecks(requested: readonly string[] | undefined, suitesGiven: readonly Suite[] | undefined): CheckSelection | undefined {
  if (requested === undefined || requested.length === 0) return undefined;
  const names = requested
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw usageError('--check: no check id given', VALID());
  const byUpper = new Map(CHECK_IDS.map((id) => [id.toUpperCase(), id]));
  const unknown = names.filter((n) => !byUpper.has(n.toUpperCase()));
  if (unknown.length > 0) throw usageError(`--check ${unknown.join(',')}: unknown check id${unknown.length > 1 ? 's' : ''}`, VALID());
  const chosen = new Set(names.map((n) => byUpper.get(n.toUpperCase()) as CheckId));
  const checks = CHECK_IDS.filter((id) => chosen.has(id));
  const suites = AVAILABLE_SUITES.filter((suite) => checks.some((id) => checkById(id).suite === suite));
  if (suitesGiven !== undefined) {
    const outside = checks.filter((id) => !suitesGiven.includes(checkById(id).suite));
    if (outside.length > 0) {
      throw usageError(
        `--check ${outside.join(',')} and --suite ${suitesGiven.join(',')}: ${outside.map((id) => `${id} belongs to the ${checkById(id).suite} suite`).join('; ')}`,
        ['--check alone runs the suites its checks belong to: leave out --suite, or add those suites to it.'],
      );
    }
  }
  return { checks, suites };
}
