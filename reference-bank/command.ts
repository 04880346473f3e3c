import type { FaultName } from './faults.ts';
import { FAULTS, isFaultName } from './faults.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';

export interface BankCommandOptions {
  port: number;
  host: string;
  /** Name of the environment variable holding the signing secret; signing is off without it. */
  secretEnv?: string;
  faults: string[];
}

export interface BankCommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const LISTENING_PREFIX = 'bankcert reference bank listening on ';

function parseFaults(names: readonly string[]): FaultName[] {
  const unknown = names.filter((n) => !isFaultName(n));
  if (unknown.length > 0) {
    throw new Error(`unknown fault ${unknown.map((n) => `"${n}"`).join(', ')}; valid faults: ${Object.keys(FAULTS).join(', ')}`);
  }
  return [...new Set(names.filter(isFaultName))];
}

function readSecret(secretEnv: string | undefined): string | undefined {
  if (secretEnv === undefined) return undefined;
  const value = process.env[secretEnv];
  if (value === undefined || value === '') {
    throw new Error(
      `environment variable ${secretEnv} is not set or empty: export ${secretEnv}=<shared signing secret>, or drop --secret-env to run without signing`,
    );
  }
  return value;
}

/**
 * `bankcert bank`: starts the reference bank. Throws on bad input (the CLI maps that to exit 2).
 * The first line printed is the contract tests parse the URL from; keep it exact.
 */
export async function runBankCommand(opts: BankCommandOptions, io: BankCommandIo): Promise<RunningBank> {
  const faults = parseFaults(opts.faults);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) {
    throw new Error(`invalid port ${opts.port}: use an integer from 0 (any free port) to 65535`);
  }
  const secret = readSecret(opts.secretEnv);
  const bank = await startReferenceBank({ host: opts.host, port: opts.port, secret, faults, log: io.out });
  io.out(`${LISTENING_PREFIX}${bank.url}`);
  const signing = opts.secretEnv !== undefined ? `on (secret from $${opts.secretEnv})` : 'off';
  io.out(`faults: ${faults.length > 0 ? faults.join(', ') : 'none (compliant)'}; request signing: ${signing}`);
  return bank;
}
