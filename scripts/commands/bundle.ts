import type { Command } from 'commander';
import { bundle } from '../run/bundle.ts';
import { consoleUi } from '../util/terminal.ts';

export function register(program: Command): void {
  program
    .command('bundle')
    .description('write the load suite as a k6 archive and a k6-operator TestRun manifest for a distributed run (no secrets inside)')
    .requiredOption('-c, --config <file>', 'bankcert config file')
    .option('-o, --out <dir>', 'folder for archive.tar, testrun.yaml, plan.json, bundle.json', 'bankcert-bundle')
    .option('--parallelism <n>', 'k6-operator runners', '2')
    .option('-p, --profile <name>', 'load profile (default: load.profile of the config, else the load profile at load.expectedPeakRate)')
    .action(async (opts: { config: string; out: string; parallelism: string; profile?: string }) => {
      await bundle({ configPath: opts.config, outDir: opts.out, parallelism: opts.parallelism, profile: opts.profile }, consoleUi(false));
    });
}
