import { expect } from 'vitest';
import type { CheckId, Suite } from '../../checks/ids.ts';
import type { FaultName } from '../../reference-bank/faults.ts';
import { configFor, notPassing, readResult, runCli, startBank } from './cli.ts';

export interface FaultCase {
  name: string;
  fault?: FaultName;
  suites: Suite[];
  signing?: boolean;
  expectedExit: number;
  /** Checks that must fail (or warn, for SHOULD checks); every other check must pass or skip. */
  expectedFailing: CheckId[];
  /** A fault that stops the harness from finishing its reservations leaves money held at the bank. */
  leavesFundsHeld?: boolean;
  /** Config edits (JSON paths and values) beyond the starter config. */
  edits?: [string[], unknown][];
  /** More `bankcert bank` arguments, e.g. ['--minimal'] for the minimal compliant personality. */
  bankArgs?: string[];
}

const SECRET_ENV = 'BANKCERT_TEST_SIGNING_SECRET';
const SECRET = 'e2e-secret-Zoë-ключ';

/** The whole path a user takes: `bankcert bank --fault`, a config file, `bankcert certify`, result.json. */
export async function runFaultCase(c: FaultCase): Promise<void> {
  const env = c.signing ? { [SECRET_ENV]: SECRET } : {};
  const bank = await startBank([...(c.fault ? ['--fault', c.fault] : []), ...(c.signing ? ['--secret-env', SECRET_ENV] : []), ...(c.bankArgs ?? [])], env);
  try {
    const signing: [string[], unknown][] = c.signing ? [[['signing', 'enabled'], true], [['signing', 'secretEnv'], SECRET_ENV]] : [];
    const { config, out } = configFor(bank.url, [...signing, ...(c.edits ?? [])]);
    const run = await runCli(['certify', '--config', config, '--out', out, '--suite', c.suites.join(',')], { env });
    const result = readResult(out);
    expect({ exit: run.code, notPassing: notPassing(result) }, run.stdout + run.stderr).toEqual({ exit: c.expectedExit, notPassing: c.expectedFailing });
    expect(result.verdict).toBe(c.expectedExit === 0 ? 'certified' : 'not-certified');
    expect(result.signing).toBe(Boolean(c.signing));
    // No test money stays held, whatever the fault (unless the fault is exactly that).
    const state = (await (await fetch(`${bank.url}/__reference/state`)).json()) as { held: unknown[] };
    if (c.leavesFundsHeld) {
      expect(result.ledger.open).toBeGreaterThan(0);
    } else {
      expect(result.ledger.open).toBe(0);
      expect(state.held).toEqual([]);
    }
  } finally {
    await bank.stop();
  }
}
