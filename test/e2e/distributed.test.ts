import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findK6, k6Env } from '../../scripts/k6/toolchain.ts';
import { LOG_BYTES_PER_ITERATION } from '../../scripts/run/bundle.ts';
import { segmentArgs } from '../../scripts/run/load-run.ts';
import { configFor, readResult, runCli, startBank } from '../helpers/cli.ts';

const SECRET = 'distributed-secret-Q7v!';

/**
 * What a k6-operator runner does with the archive (pkg/resources/jobs/runner.go of grafana/k6-operator:
 * `k6 run --quiet <its execution segment> <testrun.yaml arguments> archive.tar`), and what
 * `kubectl logs job/NAME-N -c k6 > runner-N.log` then saves: the container's stdout and stderr, together.
 */
function runRunner(k6: string, dir: string, i: number, n: number): Promise<number | null> {
  const args = /^ {2}arguments: (.*)$/m.exec(readFileSync(join(dir, 'testrun.yaml'), 'utf8'))?.[1]?.split(' ') ?? [];
  return new Promise((resolve, reject) => {
    const child = spawn(k6, ['run', '--quiet', ...segmentArgs(i, n), ...args, join(dir, 'archive.tar')], {
      env: k6Env({ BANKCERT_SECRETS: JSON.stringify({ signingSecret: SECRET, authCodes: {} }) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(dir, `runner-${i + 1}.log`));
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (code) => log.end(() => resolve(code)));
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
      // The steps print commands a Kubernetes user can run as written: logs of the finished runner Jobs, no copying out of pods.
      expect(bundled.stdout).toContain(`5. kubectl wait --for=jsonpath='{.status.stage}'=finished testrun/bankcert-reference-bank --timeout=`);
      expect(bundled.stdout).toContain('6. for N in $(seq 1 2); do kubectl logs job/bankcert-reference-bank-$N -c k6 > runner-$N.log; done');
      expect(bundled.stdout).toContain('7. bankcert report . --merge');
      expect(bundled.stdout).not.toMatch(/kubectl (cp|exec)/);
      const archive = readFileSync(join(out, 'archive.tar'));
      expect(archive.includes(Buffer.from(SECRET))).toBe(false);
      const testRun = readFileSync(join(out, 'testrun.yaml'), 'utf8');
      expect(testRun).toMatch(/parallelism: 2[\s\S]*secretKeyRef/);
      expect(testRun).not.toMatch(/--out|^\s*cleanup:/m);

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
      expect(result.load?.notHonest).toEqual([]);
      // What a runner's log costs per iteration (its record lines; each VU's one announcement aside) stays
      // within what `bankcert bundle` budgets for the kubelet's log rotation.
      const recordBytes = [1, 2]
        .flatMap((i) =>
          readFileSync(join(out, `runner-${i}.log`), 'utf8')
            .split('\n')
            .filter((l) => l.includes('\\"t\\":\\"recs\\"')),
        )
        .reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      expect(recordBytes / (result.load?.iterations ?? 1)).toBeLessThan(LOG_BYTES_PER_ITERATION);

      // A runner's log cut short (its first lines rotated away by the kubelet): the merged run is inconclusive and says why.
      const log = readFileSync(join(out, 'runner-1.log'), 'utf8').split('\n');
      writeFileSync(join(out, 'runner-1.log'), log.slice(Math.floor(log.length / 2)).join('\n'));
      const cut = await runCli(['report', out, '--merge']);
      expect(cut.code, cut.stdout + cut.stderr).toBe(3);
      expect(readResult(out).inconclusiveReasons.join(' ')).toMatch(/reported no record.*containerLogMaxSize/);
    } finally {
      await bank.stop();
    }
  });
});
