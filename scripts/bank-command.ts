import { runBankCommand } from '../reference-bank/command.ts';
import { FAULTS } from '../reference-bank/faults.ts';
import { usageError } from './errors.ts';

/** `bankcert bank`: serves until SIGINT/SIGTERM, then closes cleanly. */
export async function runBank(opts: { port: string; host: string; secretEnv?: string; fault: string[]; latencyMs: string; stallAfter?: string; quiet?: boolean; listFaults?: boolean }): Promise<void> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (opts.listFaults) {
    for (const [name, f] of Object.entries(FAULTS)) out(`${name.padEnd(30)} breaks ${f.breaks.padEnd(18)} ${f.description}`);
    return;
  }
  const port = Number(opts.port);
  let bank;
  try {
    bank = await runBankCommand(
      { port, host: opts.host, faults: opts.fault, latencyMs: Number(opts.latencyMs), ...(opts.stallAfter === undefined ? {} : { stallAfter: Number(opts.stallAfter) }), ...(opts.secretEnv === undefined ? {} : { secretEnv: opts.secretEnv }) },
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
