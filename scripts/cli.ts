import { Command, CommanderError, Option } from 'commander';
import { FAULTS } from '../reference-bank/faults.ts';
import { AVAILABLE_SUITES } from '../checks/catalogue.ts';
import { certify } from './certify.ts';
import { runDemo } from './demo.ts';
import { UserError, cannotRun } from './errors.ts';
import { initConfig } from './init.ts';
import { k6Selftest } from './k6/selftest.ts';
import { ensureK6 } from './k6/toolchain.ts';
import { harnessVersion } from './paths.ts';
import { bundle } from './bundle.ts';
import { mergeDistributedRun } from './merge.ts';
import { reconcile } from './reconcile.ts';
import { rerenderReport } from './report-command.ts';
import { runBank } from './bank-command.ts';
import type { BankCliOptions } from './bank-command.ts';
import { consoleUi } from './ui.ts';

const EXIT_CODES = `
Exit codes:
  0  certified
  1  not certified (a MUST check failed)
  2  usage or configuration error
  3  inconclusive or could not run (k6 missing, bank unreachable, run interrupted)`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function program(): Command {
  const cli = new Command('bankcert')
    .description('Certify a bank\'s Clickatell Bank Interfaces implementation (reserveFunds, transactResult): correct, safe with money, fast enough.')
    .version(harnessVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES)
    .exitOverride();

  cli
    .command('certify')
    .description('run the certification suites against the bank named in the config and write the report')
    .requiredOption('-c, --config <file>', 'bankcert config file (JSON with comments; `bankcert init` writes one)')
    .option('-o, --out <dir>', 'folder for result.json, report.html, report.md, junit.xml, ledger.csv', 'bankcert-report')
    .option('-s, --suite <list>', `comma-separated suites to run (default: all of ${AVAILABLE_SUITES.join(', ')})`, collect)
    .option('-p, --profile <name>', 'load profile for the load suite: smoke, load, stress, spike, soak, capacity (default: load.profile of the config)')
    .option('-n, --instances <n>', 'split the load suite over N k6 processes (k6 execution segments); figures merge exactly', '1')
    .option('-b, --baseline <dir>', 'compare load figures with an earlier run (its --out folder); regressions beyond config.baseline tolerances warn or fail')
    .option('-v, --verbose', 'print every step while k6 runs')
    .addHelpText('after', `\nThe signing secret is read from the environment variable named by signing.secretEnv, never from the config.${EXIT_CODES}`)
    .action(async (opts: { config: string; out: string; suite?: string[]; profile?: string; instances: string; baseline?: string; verbose?: boolean }) => {
      const ui = consoleUi(Boolean(opts.verbose));
      const { result, exitCode } = await certify({ configPath: opts.config, outDir: opts.out, suites: opts.suite ?? [], profile: opts.profile, instances: Number(opts.instances), baselineDir: opts.baseline, env: process.env, ui });
      printVerdict(ui.info, result.verdict, opts.out);
      process.exitCode = exitCode;
    });

  cli
    .command('demo')
    .description('start the built-in reference bank on a free loopback port and certify it end to end')
    .option('-o, --out <dir>', 'report folder', 'bankcert-report')
    .option('-f, --fault <name>', 'inject a reference-bank fault to see a failing certificate (repeatable)', collect, [] as string[])
    .option('--no-signing', 'run without request signing')
    .option('-v, --verbose', 'print every step while k6 runs')
    .action(async (opts: { out: string; fault: string[]; signing: boolean; verbose?: boolean }) => {
      const ui = consoleUi(Boolean(opts.verbose));
      const { result, exitCode } = await runDemo({ outDir: opts.out, faults: opts.fault, signing: opts.signing, ui });
      printVerdict(ui.info, result.verdict, opts.out);
      process.exitCode = exitCode;
    });

  cli
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
    .option('--quiet', 'do not log each request')
    .option('--list-faults', 'list the faults and the check each one breaks')
    .action(async (opts: BankCliOptions) => {
      await runBank(opts);
    });

  cli
    .command('init')
    .description('write a commented starter config (and its JSON Schema) for the reference bank, to edit for your bank')
    .option('-o, --output <file>', 'config file to write', 'bankcert.config.json')
    .option('--force', 'overwrite an existing file')
    .action((opts: { output: string; force?: boolean }) => {
      initConfig(opts, (l) => process.stdout.write(`${l}\n`));
    });

  cli
    .command('report')
    .argument('<dir>', 'a folder written by `bankcert certify` (or `bankcert bundle`, with --merge)')
    .description('re-render report.html, report.md and junit.xml from DIR/result.json (checks its digest)')
    .option('--merge', 'build the certificate of a distributed run: DIR has bundle.json, the runners\' raw-load-*.ndjson and their logs')
    .action(async (dir: string, opts: { merge?: boolean }) => {
      const print = (l: string) => process.stdout.write(`${l}\n`);
      process.exitCode = opts.merge ? await mergeDistributedRun(dir, print) : rerenderReport(dir, print);
    });

  cli
    .command('bundle')
    .description('write the load suite as a k6 archive and a k6-operator TestRun manifest for a distributed run (no secrets inside)')
    .requiredOption('-c, --config <file>', 'bankcert config file')
    .option('-o, --out <dir>', 'folder for archive.tar, testrun.yaml, plan.json, bundle.json', 'bankcert-bundle')
    .option('--parallelism <n>', 'k6-operator runners', '2')
    .option('-p, --profile <name>', 'load profile (default: load.profile of the config)')
    .action(async (opts: { config: string; out: string; parallelism: string; profile?: string }) => {
      await bundle({ configPath: opts.config, outDir: opts.out, parallelism: Number(opts.parallelism), profile: opts.profile }, consoleUi(false));
    });

  cli
    .command('reconcile')
    .argument('<dir>', 'a folder written by `bankcert certify`')
    .description('finish every reservation a run left open (CLI killed, bank down during cleanup) with a failure transactResult')
    .addHelpText('after', '\nUses DIR/plan.json and DIR/ledger.ndjson; a signed run needs its secret variable set again. Exit 0 when nothing stays open, 3 otherwise.')
    .action(async (dir: string) => {
      process.exitCode = await reconcile(dir, process.env, consoleUi(false));
    });

  cli
    .command('setup')
    .description('make sure a supported k6 is available (builds the pinned k6 with Go if needed) and self-test it')
    .action(async () => {
      const k6 = await ensureK6((l) => process.stdout.write(`${l}\n`));
      process.stdout.write(`k6 ${k6.version} (${k6.source}: ${k6.path})\n`);
      const results = await k6Selftest(k6);
      const failed = Object.entries(results).filter(([, ok]) => !ok);
      for (const [name, ok] of Object.entries(results)) process.stdout.write(`  ${ok ? '✓' : '✗'} ${name}\n`);
      if (failed.length > 0) throw cannotRun(`k6 self-test failed: ${failed.map(([n]) => n).join('; ')}`);
      process.stdout.write('k6 self-test passed: bankcert\'s bundles run in this k6\n');
    });
  return cli;
}

function printVerdict(print: (l: string) => void, verdict: string, outDir: string): void {
  const words = { certified: 'CERTIFIED', 'not-certified': 'NOT CERTIFIED', inconclusive: 'INCONCLUSIVE' } as Record<string, string>;
  print(`\nverdict: ${words[verdict] ?? verdict}   report: ${outDir}/report.html (also report.md, junit.xml, result.json, ledger.csv)`);
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
