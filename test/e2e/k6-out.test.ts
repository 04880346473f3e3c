import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFor, readResult, runCli, startBank, type BankProcess } from '../helpers/cli.ts';
import { ensurePrometheus, startPrometheus, systemSetup, type RunningPrometheus } from '../helpers/prometheus.ts';

const PASSWORD = 'rw-pass-Zoë-7f3a';

/** Every file a run wrote, as text: the credentials of an output must be in none of them. */
function folderText(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

describe('certify --k6-out: k6 metrics into a real Prometheus (remote write) and back for the run id', () => {
  let prometheus: RunningPrometheus;
  let bank: BankProcess;

  beforeAll(async () => {
    const bin = ensurePrometheus(systemSetup((line) => process.stdout.write(`[prometheus setup] ${line}\n`)));
    prometheus = await startPrometheus(bin);
    bank = await startBank();
  });

  afterAll(async () => {
    await bank?.stop();
    await prometheus?.stop();
  });

  it('tags every metric with the run id, bank and suite; k6 request durations are queryable by run id; the output credentials are never printed', async () => {
    const { config, out } = configFor(bank.url);
    // Prometheus asks for no credentials; these only prove that bankcert never prints or writes them.
    const serverUrl = new URL(`${prometheus.url}/api/v1/write`);
    serverUrl.username = 'bankcert';
    serverUrl.password = PASSWORD;
    const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'conformance', '--k6-out', 'experimental-prometheus-rw'], {
      env: { K6_PROMETHEUS_RW_SERVER_URL: serverUrl.href, K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = readResult(out);
    expect(run.stdout).toContain(`k6 outputs: experimental-prometheus-rw; every metric tagged run_id=${result.runId}`);

    // Remote write is acknowledged once stored, and k6 flushes before it exits; polled (bounded) all the same.
    let series: Awaited<ReturnType<RunningPrometheus['query']>> = [];
    for (let i = 0; i < 50 && series.length === 0; i += 1) {
      series = await prometheus.query(`{__name__=~"k6_http_req_duration.*", run_id="${result.runId}"}`);
      if (series.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(series.length, prometheus.output.join('')).toBeGreaterThan(0);
    for (const s of series) expect(s.metric).toMatchObject({ run_id: result.runId, bank: 'Reference Bank', suite: 'conformance' });
    expect(series.every((s) => Number.isFinite(Number(s.value[1])))).toBe(true);
    // Another run id has nothing: the tag separates runs.
    expect(await prometheus.query('{__name__=~"k6_http_req_duration.*", run_id="00000000"}')).toEqual([]);

    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(folderText(out)).not.toContain(PASSWORD);
  });

  it('an unknown output is a usage error before any traffic, listing the outputs k6 has', async () => {
    const { config, out } = configFor(bank.url);
    const before = bank.output.length;
    const run = await runCli(['certify', '--config', config, '--out', out, '--k6-out', `influx=http://user:${PASSWORD}@127.0.0.1:1/k6`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown k6 output "influx"');
    expect(run.stderr).toContain('experimental-prometheus-rw');
    expect(run.stderr).not.toContain(PASSWORD);
    expect(bank.output.slice(before).filter((l) => l.includes('POST'))).toEqual([]);
  });
});
