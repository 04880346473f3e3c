import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

/**
 * What a user sees of a certified demo run: the CLI's output and report.md, with what changes from run
 * to run (times, ports, references, digests, measured figures) normalised. A refactor that changes a
 * word a user reads changes this snapshot; an intended change is recorded with `vitest -u`.
 */
export function normalise(text: string, out: string): string {
  return (
    text
      .split(out)
      .join('OUT')
      .replace(/\b[0-9a-f]{64}\b/g, 'DIGEST')
      .replace(/\bbc-[0-9a-f]{8}-[\w.-]+/g, 'REF')
      .replace(/\brun [0-9a-f]{8}\b/g, 'run RUNID')
      .replace(/127\.0\.0\.1:\d+/g, 'LOOPBACK:PORT')
      .replace(/^ {2}k6 v.*$/m, '  k6 VERSION (SOURCE)')
      // Progress lines come every few seconds and capacity steps as the search goes: how many is timing.
      .split('\n')
      .filter((line) => !/^ {2}(load: \d+ s of|step \d+: )/.test(line))
      .join('\n')
      // Figures measured from the bank vary; codes, HTTP statuses and check ids do not.
      .replace(/(?<![\w.-])\d+(?:[.,]\d+)*(?![\w-])/g, (n, offset: number, all: string) =>
        /^(0000|20[1-9]0|22\d\d|9001)$/.test(n) || /HTTP $/.test(all.slice(Math.max(0, offset - 5), offset)) ? n : 'N',
      )
  );
}

describe('a certified demo run, as the user sees it', () => {
  it('the CLI output and report.md match the snapshot (times, references and figures normalised)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bankcert-snapshot-')), 'report');
    const run = await runCli(['demo', '--out', out], { timeoutMs: 240_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await expect(normalise(run.stdout, out)).toMatchFileSnapshot('__snapshots__/demo-stdout.txt');
    await expect(normalise(readFileSync(join(out, 'report.md'), 'utf8'), out)).toMatchFileSnapshot('__snapshots__/demo-report.md');
  }, 300_000);
});
