import { expect } from 'vitest';
import type { CheckId, Suite } from '../../checks/ids.ts';
import type { FaultName } from '../../reference-bank/faults.ts';
import { configFor, inconclusive, notPassing, readResult, runCli, startBank } from './cli.ts';

export interface FaultCase {
  name: string;
  fault?: FaultName;
  suites: Suite[];
  signing?: boolean;
  expectedExit: number;
  /** Checks that must fail (or warn, for SHOULD checks); every other check must pass or skip. */
  expectedFailing: CheckId[];
  /**
   * Checks that cannot be observed once the fault's rule fails (a probe that relies on releases cannot
   * measure a bank that does not release): inconclusive, never failed. Default: none.
   */
  expectedInconclusive?: CheckId[];
  /** A fault whose acknowledgements fail leaves reservations open in the harness's ledger (whatever the bank holds). */
  ledgerStaysOpen?: boolean;
  /** Config edits (JSON paths and values) beyond the starter config. */
  edits?: [string[], unknown][];
  /** More `bankcert bank` arguments, e.g. ['--minimal'] or ['--unknown-as-2020']. */
  bankArgs?: string[];
}

/**
 * The shortest late outcome the schema allows (the spec's cut-off is 5 s): SF-LATE-OUTCOME keeps its
 * meaning and every safety run in the tables waits 6 s instead of the default 10.
 */
const TEST_LATE_OUTCOME_S = 6;

const SECRET_ENV = 'BANKCERT_TEST_SIGNING_SECRET';
const SECRET = 'e2e-secret-Zoë-ключ';

/** The whole path a user takes: `bankcert bank --fault`, a config file, `bankcert certify`, result.json. */
export async function runFaultCase(c: FaultCase): Promise<void> {
  const env = c.signing ? { [SECRET_ENV]: SECRET } : {};
  const bank = await startBank([...(c.fault ? ['--fault', c.fault] : []), ...(c.signing ? ['--secret-env', SECRET_ENV] : []), ...(c.bankArgs ?? [])], env);
  try {
    const signing: [string[], unknown][] = c.signing
      ? [
          [['signing', 'enabled'], true],
          [['signing', 'secretEnv'], SECRET_ENV],
        ]
      : [];
    const { config, out } = configFor(bank.url, [...signing, [['safety', 'lateOutcomeS'], TEST_LATE_OUTCOME_S], ...(c.edits ?? [])]);
    const run = await runCli(['certify', '--config', config, '--out', out, '--suite', c.suites.join(',')], { env });
    const result = readResult(out);
    expect({ exit: run.code, notPassing: notPassing(result), inconclusive: inconclusive(result) }, run.stdout + run.stderr).toEqual({
      exit: c.expectedExit,
      notPassing: c.expectedFailing,
      inconclusive: c.expectedInconclusive ?? [],
    });
    expect(result.verdict).toBe(c.expectedExit === 0 ? 'certified' : 'not-certified');
    expect(result.signing).toBe(Boolean(c.signing));
    // No test money stays held, whatever the fault (unless the fault is exactly that).
    const state = (await (await fetch(`${bank.url}/__reference/state`)).json()) as { held: unknown[] };
    if (c.ledgerStaysOpen) expect(result.ledger.open).toBeGreaterThan(0);
    else expect(result.ledger.open).toBe(0);
    expect(state.held).toEqual([]);
  } finally {
    await bank.stop();
  }
}
