import type { Command } from 'commander';
import { AVAILABLE_SUITES } from '../../checks/catalogue.ts';
import { certify } from '../run/certify.ts';
import { collect, EXIT_CODES, verdictLine } from '../util/cli-options.ts';
import { loadProvenLine } from '../../reports/load-view.ts';
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
    .option('--k6-raw-samples', "also keep k6's own raw samples of the load suite (raw-load*.ndjson, k6 --out json) for your own analysis; the figures come from bankcert's records either way, and k6 drives about half the rate while it writes them")
    .option('-b, --baseline <dir>', 'compare load figures with an earlier run (its --out folder); regressions beyond config.baseline tolerances warn or fail')
    .option('-v, --verbose', 'print every step while k6 runs')
    .addHelpText('after', `\nThe signing secret is read from the environment variable named by signing.secretEnv, never from the config.${EXIT_CODES}`)
    .action(async (opts: { config: string; out: string; suite?: string[]; profile?: string; instances: string; baseline?: string; verbose?: boolean; k6RawSamples?: boolean }) => {
      const ui = consoleUi(Boolean(opts.verbose));
      const { result, exitCode } = await certify({
        configPath: opts.config,
        outDir: opts.out,
        suites: opts.suite ?? [],
        profile: opts.profile,
        instances: Number(opts.instances),
        baselineDir: opts.baseline,
        k6RawSamples: opts.k6RawSamples === true,
        env: process.env,
        ui,
      });
      ui.info(verdictLine(result.verdict, opts.out));
      const loadProven = loadProvenLine(result);
      if (loadProven) ui.info(loadProven);
      process.exitCode = exitCode;
    });
}
