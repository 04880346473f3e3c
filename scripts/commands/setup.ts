import type { Command } from 'commander';
import { k6Selftest } from '../k6/selftest.ts';
import { ensureK6 } from '../k6/toolchain.ts';
import { cannotRun } from '../util/errors.ts';

export function register(program: Command): void {
  program
    .command('setup')
    .description('make sure a supported k6 is available (builds the pinned k6 with Go if needed) and self-test it')
    .action(async () => {
      const k6 = await ensureK6((l) => process.stdout.write(`${l}\n`));
      process.stdout.write(`k6 ${k6.version} (${k6.source}: ${k6.path})\n`);
      const results = await k6Selftest(k6);
      const failed = Object.entries(results).filter(([, ok]) => !ok);
      for (const [name, ok] of Object.entries(results)) process.stdout.write(`  ${ok ? '✓' : '✗'} ${name}\n`);
      if (failed.length > 0) throw cannotRun(`k6 self-test failed: ${failed.map(([n]) => n).join('; ')}`);
      process.stdout.write("k6 self-test passed: bankcert's bundles run in this k6\n");
    });
}
