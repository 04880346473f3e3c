import type { Command } from 'commander';
import { verifyRun } from '../verify/verify.ts';

export function register(program: Command): void {
  program
    .command('verify')
    .argument('<dir>', 'a folder written by `bankcert certify` (or `bankcert demo`)')
    .description("check that DIR/result.json is what the run's records give: digest, record files, then every check, figure and the verdict re-derived with the same code")
    .addHelpText('after', '\nSends nothing. Exit 0 when everything matches, 4 when anything does not (each difference is printed), 3 when it cannot be checked (another bankcert version, no records).')
    .action(async (dir: string) => {
      const print = (line: string) => process.stdout.write(`${line}\n`);
      const verification = await verifyRun(dir, print);
      process.exitCode = verification.exitCode;
    });
}
