import type { Command } from 'commander';
import { runDemo } from '../run/demo.ts';
import { collect, verboseOf, verdictLines } from '../util/cli-options.ts';
import { consoleUi } from '../util/terminal.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description('start the built-in reference bank on a free loopback port and certify it end to end')
    .option('-o, --out <dir>', 'report folder', 'bankcert-report')
    .option('-f, --fault <name>', 'inject a reference-bank fault to see a failing certificate (repeatable)', collect, [] as string[])
    .option('--no-signing', 'run without request signing')
    .option('--minimal', "certify the reference bank's minimal compliant personality (validates only the fields a bank acts on)")
    .action(async (opts: { out: string; fault: string[]; signing: boolean; minimal?: boolean }, command: Command) => {
      const ui = consoleUi(verboseOf(command));
      const { result, exitCode } = await runDemo({ outDir: opts.out, faults: opts.fault, signing: opts.signing, minimal: Boolean(opts.minimal), ui });
      for (const line of verdictLines(result, opts.out)) ui.info(line);
      process.exitCode = exitCode;
    });
}
