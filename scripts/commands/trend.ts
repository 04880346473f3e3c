import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTrendHtml, renderTrendMarkdown } from '../../reports/trend.ts';
import { buildTrendView } from '../../reports/trend-view.ts';
import { readRuns } from '../trend/read-runs.ts';
import { usageError } from '../util/errors.ts';
import { harnessVersion } from '../util/paths.ts';

export function register(program: Command): void {
  program
    .command('trend')
    .argument('<dir...>', 'folders of earlier runs (each written by `bankcert certify --out`), oldest first, newest last')
    .description('draw the runs side by side: verdict, p95 and p99 per endpoint, error rate and capacity per run, with the thresholds (trend.html, trend.md)')
    .option('-o, --out <dir>', 'folder for trend.html and trend.md', 'bankcert-trend')
    .addHelpText(
      'after',
      `
Each folder's result.json is validated; a folder that is not a run is an error (exit 2). trend.html is
self-contained (inline SVG, no script) and prints well; trend.md is the table, for a CI step summary.

Example (the nightly history, newest last):
  bankcert trend history/2026-11-27 history/2026-11-28 history/2026-11-29 --out bankcert-trend`,
    )
    .action((dirs: string[], opts: { out: string }) => {
      const runs = readRuns(dirs);
      const view = buildTrendView(runs);
      try {
        mkdirSync(opts.out, { recursive: true });
      } catch (err) {
        throw usageError(`--out ${opts.out}: cannot create the folder (${(err as Error).message})`, ['Give a folder bankcert can write.'], err);
      }
      // Only what the results hold, and they were scrubbed of secrets when their run wrote them.
      writeFileSync(join(opts.out, 'trend.html'), renderTrendHtml(view, harnessVersion()));
      writeFileSync(join(opts.out, 'trend.md'), renderTrendMarkdown(view, harnessVersion()));
      process.stdout.write(`trend of ${runs.length} run${runs.length === 1 ? '' : 's'} written: ${join(opts.out, 'trend.html')} (also trend.md)\n`);
    });
}
