import { Option, type Command } from 'commander';
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
}

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
      },
      { out, err: (s) => process.stderr.write(`${s}\n`), ...(opts.quiet ? { requestLog: false } : {}) },
    );
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') throw usageError(`port ${port} on ${opts.host} is already in use`, ['Pick another with --port, or --port 0 for any free port.'], err);
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
    .option('--quiet', 'do not log each request')
    .option('--list-faults', 'list the faults and the check each one breaks')
    .action(async (opts: BankCliOptions) => {
      await runBank(opts);
    });
}
