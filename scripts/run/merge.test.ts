import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE_SCHEMA_VERSION } from './bundle.ts';
import { mergeDistributedRun } from './merge.ts';

describe('report --merge reads bundle.json of its own format only', () => {
  const dirs: string[] = [];
  const folder = (manifest: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'bankcert-merge-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'bundle.json'), manifest);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses another schemaVersion, or none, naming both and what to do (exit 2)', async () => {
    for (const manifest of [JSON.stringify({ schemaVersion: BUNDLE_SCHEMA_VERSION + 1 }), JSON.stringify({ bank: 'x' })]) {
      const run = mergeDistributedRun(folder(manifest), () => undefined);
      await expect(run).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(new RegExp(`not a bundle of schemaVersion ${BUNDLE_SCHEMA_VERSION}`)) as unknown,
      });
    }
  });

  it('refuses a bundle.json that is not JSON', async () => {
    await expect(mergeDistributedRun(folder('{not json'), () => undefined)).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/is not JSON/) as unknown,
    });
  });

  it('accepts its own format, then asks for the runner logs', async () => {
    const manifest = {
      schemaVersion: BUNDLE_SCHEMA_VERSION,
      bank: 'Bank',
      runId: 'r1',
      parallelism: 2,
      schedule: { profile: 'load', stages: [] },
      thresholds: { p95Ms: 2000, p99Ms: 2000 },
      expectedPeakRate: 40,
      configDigest: 'sha256:x',
      signing: true,
      target: { reserveFundsUrl: 'http://127.0.0.1:1/reserveFunds', transactResultUrl: 'http://127.0.0.1:1/transactResult' },
      k6Version: 'v2.2.0',
    };
    await expect(mergeDistributedRun(folder(JSON.stringify(manifest)), () => undefined)).rejects.toThrow(/no runner logs/);
  });
});
