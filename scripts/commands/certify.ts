import type { Command } from 'commander';
import { AVAILABLE_SUITES } from '../../checks/catalogue.ts';
import { certify } from '../run/certify.ts';
import { collect, EXIT_CODES, verboseOf, verdictLines } from '../util/cli-options.ts';
import { consoleUi } from '../util/terminal.ts';

export function register(program: Command): void {
  program
    .command('certify')
    .description('run the certification suites against the bank named in the config and write the report')
    .requiredOption('-c, --config <file>', 'bankcert config file (JSON with comments; `bankcert init` writes one)')
    .option('-o, --out <dir>', 'folder for result.json, report.html, report.md, junit.xml, ledger.csv', 'bankcert-report')
    .option('-s, --suite <list>', `comma-separated suites to run (default: all of ${AVAILABLE_SUITES.join(', ')})`, collect)
    .option(
      '-p, --profile <name>',
      'load profile for the load suite: smoke, load, stress, spike, soak, capacity, or e.g. load,capacity (default: load.profile of the config, else the load profile at load.expectedPeakRate)',
    )
    .option('-n, --instances <n>', 'split the load suite over N k6 processes (k6 execution segments); figures merge exactly', '1')
    .option('-b, --baseline <dir>', 'compare load figures with an earlier run (its --out folder); regressions beyond config.baseline tolerances warn or fail')
    .addHelpText('after', `\nEvery option is checked before the first request to the bank. The signing secret is read from the environment variable named by signing.secretEnv, never from the config.${EXIT_CODES}`)
    .action(async (opts: { config: string; out: string; suite?: string[]; profile?: string; instances: string; baseline?: string }, command: Command) => {
      const ui = consoleUi(verboseOf(command));
      const { result, exitCode } = await certify({
        configPath: opts.config,
        outDir: opts.out,
        suites: opts.suite ?? [],
        profile: opts.profile,
        instances: opts.instances,
        baselineDir: opts.baseline,
        env: process.env,
        ui,
      });
      for (const line of verdictLines(result, opts.out)) ui.info(line);
      process.exitCode = exitCode;
    });
}
