import type { Command } from 'commander';
import { AVAILABLE_SUITES } from '../../checks/catalogue.ts';
import { dryRun } from '../dry-run/run.ts';
import { certify, type CertifyOptions } from '../run/certify.ts';
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
    .option(
      '--k6-raw-samples',
      "also keep k6's own raw samples of the load suite (raw-load*.ndjson, k6 --out json) for your own analysis; the figures come from bankcert's records either way, and k6 drives about half the rate while it writes them",
    )
    .option('-b, --baseline <dir>', 'compare load figures with an earlier run (its --out folder); regressions beyond config.baseline tolerances warn or fail')
    .option(
      '--check <ids>',
      'run only these checks (comma-separated, repeatable, e.g. RF-2010 or SF-DEBIT-ONCE,TR-RETRY) plus the setup they need: a partial run, never a certificate (verdict passed-partial or failed-partial)',
      collect,
    )
    .option(
      '--dry-run',
      'check the config and every option, reach the bank without moving money (DNS, TCP, TLS, one transactResult for a reference no bank can know), and print what would run, what is skipped and why, the traffic per suite and the money plan per account; reserves nothing',
    )
    .option(
      '--k6-out <output>',
      "pass a k6 output through to every k6 run (repeatable), as `k6 run --out` takes it, e.g. experimental-prometheus-rw (configured by k6's own K6_PROMETHEUS_RW_* variables); every metric is tagged run_id, bank and suite",
      collect,
    )
    .addHelpText(
      'after',
      `
Every option is checked before the first request to the bank. The signing secret is read from the environment variable named by signing.secretEnv, never from the config.

Examples:
  bankcert certify --config bankcert.config.json                      certify: every suite
  bankcert certify --config bankcert.config.json --dry-run            see the plan and the money first
  bankcert certify --config bankcert.config.json --check RF-2010      re-run one rule (partial run: not a certificate)
  K6_PROMETHEUS_RW_SERVER_URL=http://prometheus:9090/api/v1/write \\
    bankcert certify --config bankcert.config.json --k6-out experimental-prometheus-rw${EXIT_CODES}`,
    )
    .action(
      async (
        opts: {
          config: string;
          out: string;
          suite?: string[];
          profile?: string;
          instances: string;
          baseline?: string;
          check?: string[];
          k6Out?: string[];
          dryRun?: boolean;
          k6RawSamples?: boolean;
        },
        command: Command,
      ) => {
        const ui = consoleUi(verboseOf(command));
        const options: CertifyOptions = {
          configPath: opts.config,
          outDir: opts.out,
          suites: opts.suite ?? [],
          profile: opts.profile,
          instances: opts.instances,
          baselineDir: opts.baseline,
          checks: opts.check,
          k6Outputs: opts.k6Out,
          k6RawSamples: opts.k6RawSamples === true,
          env: process.env,
          ui,
        };
        if (opts.dryRun) {
          process.exitCode = await dryRun(options);
          return;
        }
        const { result, exitCode } = await certify(options);
        for (const line of verdictLines(result, opts.out)) ui.info(line);
        process.exitCode = exitCode;
      },
    );
}
