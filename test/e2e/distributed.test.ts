import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findK6, k6Env } from '../../scripts/k6/toolchain.ts';
import { segmentArgs } from '../../scripts/run/load-run.ts';
import { configFor, readResult, runCli, startBank } from '../helpers/cli.ts';

const SECRET = 'distributed-secret-Q7v!';

/** What a k6-operator runner does with the archive: its execution segment, raw samples to a file, JSON logs. */
function runRunner(k6: string, dir: string, i: number, n: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(k6, ['run', '--quiet', '--log-format=json', '--out', `json=${join(dir, `raw-load-${i}.ndjson`)}`, '--system-tags=status,error_code', ...segmentArgs(i, n), join(dir, 'archive.tar')], {
      env: k6Env({ BANKCERT_SECRETS: JSON.stringify({ signingSecret: SECRET, authCodes: {} }) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.pipe(createWriteStream(join(dir, `runner-${i}.log`)));
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('distributed run: bankcert bundle → k6 runners on execution segments → bankcert report --merge', () => {
  it('the archive carries no secret, the runners share the schedule, and the merged certificate holds', async () => {
    const bank = await startBank(['--quiet', '--secret-env', 'BANKCERT_DIST_SECRET'], { BANKCERT_DIST_SECRET: SECRET });
    try {
      const { config, dir } = configFor(bank.url, [
        [['signing', 'enabled'], true],
        [['signing', 'secretEnv'], 'BANKCERT_DIST_SECRET'],
        // 330 iterations: enough answers to judge p99 at 95 % confidence (299 with none slow).
        [['load', 'profile'], 'smoke'],
        [['load', 'rate'], 30],
        [['load', 'duration'], '11s'],
      ]);
      const out = join(dir, 'bundle');
      const bundled = await runCli(['bundle', '--config', config, '--out', out, '--parallelism', '2'], { env: { BANKCERT_DIST_SECRET: SECRET } });
      expect(bundled.code, bundled.stderr).toBe(0);
      const archive = readFileSync(join(out, 'archive.tar'));
      expect(archive.includes(Buffer.from(SECRET))).toBe(false);
      expect(readFileSync(join(out, 'testrun.yaml'), 'utf8')).toMatch(/parallelism: 2[\s\S]*secretKeyRef/);

      const k6 = (await findK6())!.path;
      expect(await Promise.all([runRunner(k6, out, 0, 2), runRunner(k6, out, 1, 2)])).toEqual([0, 0]);
      const merged = await runCli(['report', out, '--merge']);
      expect(merged.code, merged.stdout + merged.stderr).toBe(0);
      const result = readResult(out);
      expect(result.verdict).toBe('certified');
      expect(result.load?.iterations).toBeGreaterThanOrEqual(320);
      expect(result.load?.iterations).toBeLessThanOrEqual(331);
      // The runners' iteration records give the response-code mix, as a live run's do.
      expect(result.load?.responses?.reserves).toBe(result.load?.iterations);
      // Every reservation of both runners is in the ledger, finished.
      expect(result.ledger.reservations).toBe(result.load?.iterations);
      expect(result.ledger.open).toBe(0);
    } finally {
      await bank.stop();
    }
  });
});
