import { readFileSync } from 'node:fs';
import type { ChaosMode } from './chaos.ts';
import { CHAOS_MODES, isChaosMode } from './chaos.ts';
import type { FaultName } from './faults.ts';
import { FAULTS, isFaultName } from './faults.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import type { BankTls } from './transport.ts';

export interface BankCommandOptions {
  port: number;
  host: string;
  /** Name of the environment variable holding the signing secret; signing is off without it. */
  secretEnv?: string;
  faults: string[];
  /** Delay before every reserveFunds/transactResult answer, in ms. */
  latencyMs?: number;
  /** After this many reserveFunds, hold funds but never answer (see ReferenceBankOptions.stallAfter). */
  stallAfter?: number;
  /** PEM files for HTTPS; the client CA turns on mutual TLS. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  tlsClientCaFile?: string;
  /** one-at-a-time's time per reserveFunds, in ms. */
  serviceMs?: number;
  /** Answer 2020 for an unknown sourceIdentifier (documented in the public errors table; not a fault). */
  unknownAs2020?: boolean;
  /** The minimal compliant personality (checks only what the bank acts on); takes no faults. */
  minimal?: boolean;
  /** Keep the bank's state in this file so a restarted bank continues (see ReferenceBankOptions.stateFile). */
  stateFile?: string;
  /** Send every reserveFunds answer broken this way (see CHAOS_MODES). */
  chaos?: string;
}

export interface BankCommandIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** false: no line per request (a load test's terminal would drown in them). */
  requestLog?: boolean;
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

function readPem(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`${option} ${file}: cannot read the file (${reason})`, { cause });
  }
}

function readTls(opts: BankCommandOptions): BankTls | undefined {
  const { tlsCertFile: cert, tlsKeyFile: key, tlsClientCaFile: clientCa } = opts;
  if (cert === undefined && key === undefined) {
    if (clientCa !== undefined) throw new Error('--tls-client-ca needs --tls-cert and --tls-key: mutual TLS is a kind of HTTPS');
    return undefined;
  }
  if (cert === undefined || key === undefined) throw new Error('--tls-cert and --tls-key go together: give both files, or neither for plain HTTP');
  const tls: BankTls = { cert: readPem('--tls-cert', cert), key: readPem('--tls-key', key) };
  if (clientCa !== undefined) tls.clientCa = readPem('--tls-client-ca', clientCa);
  return tls;
}

function checkServiceMs(serviceMs: number | undefined): void {
  if (serviceMs === undefined) return;
  if (!Number.isInteger(serviceMs) || serviceMs < 1 || serviceMs > 60_000) {
    throw new Error(`invalid --service-ms ${serviceMs}: use an integer number of milliseconds from 1 to 60000`);
  }
}

function parseChaos(name: string | undefined): ChaosMode | undefined {
  if (name === undefined) return undefined;
  if (!isChaosMode(name)) throw new Error(`unknown chaos mode "${name}"; valid modes: ${Object.keys(CHAOS_MODES).join(', ')}`);
  return name;
}

function describeTransport(tls: BankTls | undefined): string {
  if (tls === undefined) return '';
  return tls.clientCa === undefined ? '; TLS on' : '; TLS on, client certificates required';
}

/**
 * `bankcert bank`: starts the reference bank. Throws on bad input (the CLI maps that to exit 2).
 * The first line printed is the contract tests parse the URL from; keep it exact.
 */
export async function runBankCommand(opts: BankCommandOptions, io: BankCommandIo): Promise<RunningBank> {
  const faults = parseFaults(opts.faults);
  if (opts.minimal && faults.length > 0) {
    throw new Error(`--minimal and --fault ${faults.join(', ')} do not go together: faults break the strict bank's rules; drop --minimal to run a faulty bank`);
  }
  const chaos = parseChaos(opts.chaos);
  if (opts.minimal && chaos !== undefined) {
    throw new Error(
      `--minimal and --chaos ${chaos} do not go together: a broken answer leaves funds held that only a cancel by raasTxnRef can release, and the minimal bank does not match cancels; drop --minimal`,
    );
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) {
    throw new Error(`invalid port ${opts.port}: use an integer from 0 (any free port) to 65535`);
  }
  const secret = readSecret(opts.secretEnv);
  const latencyMs = opts.latencyMs ?? 0;
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000) {
    throw new Error(`invalid latency ${opts.latencyMs}: use an integer number of milliseconds from 0 to 60000`);
  }
  checkServiceMs(opts.serviceMs);
  if (opts.serviceMs !== undefined && !faults.includes('one-at-a-time')) io.err('note: --service-ms only matters with --fault one-at-a-time');
  const tls = readTls(opts);
  const bank = await startReferenceBank({
    host: opts.host,
    port: opts.port,
    secret,
    faults,
    latencyMs,
    ...(opts.stallAfter === undefined ? {} : { stallAfter: opts.stallAfter }),
    ...(opts.serviceMs === undefined ? {} : { serviceMs: opts.serviceMs }),
    ...(opts.unknownAs2020 ? { unknownAs2020: true } : {}),
    ...(tls === undefined ? {} : { tls }),
    ...(io.requestLog === false ? {} : { log: io.out }),
    ...(opts.minimal ? { personality: 'minimal' as const } : {}),
    ...(opts.stateFile === undefined ? {} : { stateFile: opts.stateFile }),
    ...(chaos === undefined ? {} : { chaos }),
  });
  io.out(`${LISTENING_PREFIX}${bank.url}`);
  const signing = opts.secretEnv !== undefined ? `on (secret from $${opts.secretEnv})` : 'off';
  const compliant = opts.minimal ? 'none (compliant, minimal personality)' : 'none (compliant)';
  io.out(
    `faults: ${faults.length > 0 ? faults.join(', ') : compliant}; request signing: ${signing}${latencyMs > 0 ? `; every answer delayed ${latencyMs} ms` : ''}${describeTransport(tls)}` +
      `${chaos === undefined ? '' : `; chaos: ${chaos}`}${opts.stateFile === undefined ? '' : `; state kept in ${opts.stateFile}`}`,
  );
  return bank;
}
