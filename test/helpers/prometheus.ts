// A real Prometheus for the `certify --k6-out` round trip: found on PATH (or BANKCERT_PROMETHEUS), installed
// with apt-get on a fresh Debian machine (as root) like Chromium is, started on a free loopback port with
// its remote-write receiver on and a temporary storage folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onPath } from '../../scripts/k6/toolchain.ts';

/** Overrides the PATH lookup (a Prometheus 2.33 or later elsewhere). */
export const PROMETHEUS_ENV = 'BANKCERT_PROMETHEUS';

export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[PROMETHEUS_ENV] || onPath('prometheus', env.PATH ?? '');
}

export interface SetupDeps {
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
  /** Runs a command with its output shown; its exit status (null: killed or not started). */
  run(command: string, args: string[]): number | null;
  log(line: string): void;
}

const APT_INSTALL = ['install', '-y', '--no-install-recommends', 'prometheus'];

/**
 * The Prometheus binary, installed with apt-get (Debian package `prometheus`) when missing and that can
 * work (root, apt-get on PATH). Otherwise an error that names the fix: the round trip is the test.
 */
export function ensurePrometheus(deps: SetupDeps): string {
  const found = findPrometheus(deps.env);
  if (found) return found;
  if (!deps.isRoot || !onPath('apt-get', deps.env.PATH ?? '')) {
    throw new Error(
      `prometheus is not on PATH and cannot be installed here (needs root and apt-get): install Prometheus 2.33 or later, or set ${PROMETHEUS_ENV}`,
    );
  }
  for (const args of [['update'], APT_INSTALL]) {
    const command = `apt-get ${args.join(' ')}`;
    deps.log(`prometheus is not installed: running \`${command}\` (once per machine; the --k6-out test sends k6 metrics to it)`);
    const status = deps.run('apt-get', args);
    if (status !== 0)
      throw new Error(`\`${command}\` failed with exit status ${status ?? 'none (killed)'}: install Prometheus yourself, or set ${PROMETHEUS_ENV}`);
  }
  const installed = findPrometheus(deps.env);
  if (!installed) throw new Error(`\`apt-get ${APT_INSTALL.join(' ')}\` succeeded but prometheus is still not on PATH`);
  deps.log(`prometheus installed: ${installed}`);
  return installed;
}

export function systemSetup(log: (line: string) => void): SetupDeps {
  return {
    env: process.env,
    isRoot: process.getuid?.() === 0,
    // The package's own service is not wanted (the test starts its own): policy-rc.d may refuse it, harmlessly.
    run: (command, args) => spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status,
    log,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningPrometheus {
  url: string;
  child: ChildProcess;
  output: string[];
  /** An instant query; the `data.result` vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** Starts Prometheus on a free loopback port and waits (bounded) until /-/ready answers. */
export async function startPrometheus(bin: string): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'bankcert-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  // Nothing to scrape: everything arrives by remote write.
  writeFileSync(config, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    bin,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => output.push(d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => output.push(d));
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
    });
  let ready = false;
  for (let i = 0; i < 300 && !ready && child.exitCode === null; i += 1) {
    try {
      ready = (await fetch(`${url}/-/ready`)).ok;
    } catch {
      // not listening yet
    }
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    await stop();
    throw new Error(`prometheus did not become ready on ${url}: ${output.join('').slice(-2_000)}`);
  }
  return {
    url,
    child,
    output,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql }).toString()}`);
      const body = (await response.json()) as {
        status: string;
        data?: { result?: { metric: Record<string, string>; value: [number, string] }[] };
        error?: string;
      };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error ?? response.status}`);
      return body.data?.result ?? [];
    },
    stop,
  };
}
