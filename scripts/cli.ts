import { Command, CommanderError } from 'commander';
import { register as bank } from './commands/bank.ts';
import { register as bundle } from './commands/bundle.ts';
import { register as certify } from './commands/certify.ts';
import { register as demo } from './commands/demo.ts';
import { register as init } from './commands/init.ts';
import { register as reconcile } from './commands/reconcile.ts';
import { register as report } from './commands/report.ts';
import { register as setup } from './commands/setup.ts';
import { EXIT_CODES } from './util/cli-options.ts';
import { UserError } from './util/errors.ts';
import { harnessVersion } from './util/paths.ts';

function program(): Command {
  const cli = new Command('bankcert')
    .description("Certify a bank's Clickatell Bank Interfaces implementation (reserveFunds, transactResult): correct, safe with money, fast enough.")
    .version(harnessVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES)
    .exitOverride();
  for (const register of [certify, demo, bank, init, report, bundle, reconcile, setup]) register(cli);
  return cli;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message; help and version are not errors.
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof UserError) {
      process.stderr.write(`bankcert: ${err.message}\n`);
      for (const line of err.hint) process.stderr.write(`  ${line}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}

await main(process.argv);
