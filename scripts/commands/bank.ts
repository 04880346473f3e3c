import { Option, type Command } from 'commander';
import { CHAOS_MODES } from '../../reference-bank/chaos.ts';
import { runBankCommand } from '../../reference-bank/command.ts';
import { checksBrokenBy, FAULTS, isFaultName } from '../../reference-bank/faults.ts';
import { collect } from '../util/cli-options.ts';
import { usageError } from '../util/errors.ts';

/** The `bank` command's options as commander parses them (strings, as typed). */
interface BankCliOptions {
  port: string;
  host: string;
  secretEnv?: string;
  fault: string[];
  latencyMs: string;
  stallAfter?: string;
  serviceMs?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  quiet?: boolean;
  listFaults?: boolean;
  unknownAs2020?: boolean;
  minimal?: boolean;
  state?: string;
  chaos?: string;
}

// Why listen() failed, for the codes a user can act on; the code sits on the error or on its cause.
const LISTEN_REASONS: Record<string, string> = {
  EADDRINUSE: 'is already in use',
  EACCES: 'needs privileges this user does not have',
  EADDRNOTAVAIL: 'cannot be used: the address is not one of this machine',
};

function listenFailure(err: unknown, port: number, host: string): string | undefined {
  const codeOf = (e: unknown): unknown => (e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined);
  const code = codeOf(err) ?? codeOf((err as { cause?: unknown } | null)?.cause);
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(LISTEN_REASONS, code)) return undefined;
  return `port ${port} on ${host} ${LISTEN_REASONS[code]} (${code}): pick another with --port, or --port 0 for any free port`;
}

const CHAOS_HELP = `
Chaos modes (--chaos NAME): every reserveFunds answer is sent broken, after the bank has decided (a 0000
has held the funds: finish such reservations by raasTxnRef). transactResult is unaffected. Combines with
--fault and --state; not with --minimal, which cannot release by raasTxnRef what a broken answer held.
${Object.entries(CHAOS_MODES)
  .map(([name, what]) => `  ${name.padEnd(22)} ${what}`)
  .join('\n')}`;

/** `bankcert bank`: serves until SIGINT/SIGTERM, then closes cleanly. */
async function runBank(opts: BankCliOptions): Promise<void> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (opts.listFaults) {
    for (const [name, f] of Object.entries(FAULTS)) {
      const broken = isFaultName(name) ? checksBrokenBy(name).join(', ') : f.breaks;
      out(`${name.padEnd(30)} breaks ${broken.padEnd(18)} ${f.description}`);
    }
    return;
  }
  const port = Number(opts.port);
  let bank;
  try {
    bank = await runBankCommand(
      {
        port,
        host: opts.host,
        faults: opts.fault,
        latencyMs: Number(opts.latencyMs),
        ...(opts.stallAfter === undefined ? {} : { stallAfter: Number(opts.stallAfter) }),
        ...(opts.secretEnv === undefined ? {} : { secretEnv: opts.secretEnv }),
        ...(opts.serviceMs === undefined ? {} : { serviceMs: Number(opts.serviceMs) }),
        ...(opts.tlsCert === undefined ? {} : { tlsCertFile: opts.tlsCert }),
        ...(opts.tlsKey === undefined ? {} : { tlsKeyFile: opts.tlsKey }),
        ...(opts.tlsClientCa === undefined ? {} : { tlsClientCaFile: opts.tlsClientCa }),
        ...(opts.unknownAs2020 ? { unknownAs2020: true } : {}),
        ...(opts.minimal ? { minimal: true } : {}),
        ...(opts.state === undefined ? {} : { stateFile: opts.state }),
        ...(opts.chaos === undefined ? {} : { chaos: opts.chaos }),
      },
      { out, err: (s) => process.stderr.write(`${s}\n`), ...(opts.quiet ? { requestLog: false } : {}) },
    );
  } catch (err) {
    const busy = listenFailure(err, port, opts.host);
    if (busy !== undefined) throw usageError(busy, [], err);
    throw usageError(err instanceof Error ? err.message : String(err), [], err);
  }
  await new Promise<void>((resolve) => {
    const stop = () => void bank.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function register(program: Command): void {
  program
    .command('bank')
    .description('run the reference bank (compliant unless --fault is given) until Ctrl-C')
    .addHelpText('after', CHAOS_HELP)
    .option('-p, --port <n>', 'port (0 = any free port)', '8480')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--secret-env <var>', 'verify request signatures with the secret in this environment variable')
    .addOption(new Option('-f, --fault <name>', 'break one rule on purpose (repeatable)').choices(Object.keys(FAULTS)).argParser(collect).default([]))
    .option('--latency-ms <ms>', 'delay every reserveFunds/transactResult answer (a slow bank)', '0')
    .option('--stall-after <n>', 'after N reserveFunds, hold the funds of each further one but never answer (lost answers)')
    .option('--service-ms <ms>', 'with --fault one-at-a-time: time each reserveFunds takes (default 20)')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (needs --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--tls-client-ca <file>', 'require client certificates signed by this PEM CA (mutual TLS)')
    .option('--unknown-as-2020', 'answer 2020 (not 2030) for an unknown sourceIdentifier, as the public errors table documents; compliant, RF-2030 warns')
    .option('--minimal', 'run the minimal compliant personality: validates only the fields a bank acts on (not with --fault)')
    .option('--state <file>', 'keep balances, reservations and answers in this file (rewritten before every answer) so a restarted bank continues')
    .addOption(new Option('--chaos <mode>', 'send every reserveFunds answer broken this way (modes below)').choices(Object.keys(CHAOS_MODES)))
    .option('--quiet', 'do not log each request')
    .option('--list-faults', 'list the faults and the check each one breaks')
    .action(async (opts: BankCliOptions) => {
      await runBank(opts);
    });
}
