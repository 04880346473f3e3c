import { runBankCommand } from '../reference-bank/command.ts';
import { checksBrokenBy, FAULTS, isFaultName } from '../reference-bank/faults.ts';
import { usageError } from './errors.ts';

/** The `bank` command's options as commander parses them (strings, as typed). */
export interface BankCliOptions {
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
}

/** `bankcert bank`: serves until SIGINT/SIGTERM, then closes cleanly. */
export async function runBank(opts: BankCliOptions): Promise<void> {
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
