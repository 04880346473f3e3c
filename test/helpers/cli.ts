import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { applyEdits, modify } from 'jsonc-parser';
import type { Result } from '../../checks/result.ts';
import { starterConfigText } from '../../scripts/config/starter.ts';
import { DIST } from '../../scripts/util/paths.ts';

export const CLI = join(DIST, 'bankcert.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI bundle to completion (bounded by timeoutMs). */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface BankProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts `bankcert bank --port 0 ...` and waits until its first line names the URL and `ready` says so
 * (by default /health over plain HTTP; a TLS bank passes its own check).
 */
export async function startBank(args: string[] = [], env: NodeJS.ProcessEnv = {}, ready: (url: string) => Promise<void> = waitForHealth): Promise<BankProcess> {
  const child = spawn(process.execPath, [CLI, 'bank', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bank did not start: ${output.join('\n')}`)), 15_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const m = /listening on (http\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => output.push(d));
    child.on('exit', (code) => reject(new Error(`bank exited with ${code}: ${output.join('\n')}`)));
  });
  await ready(url);
  return {
    url,
    child,
    output,
    stop: () =>
      new Promise((resolve) => {
        // Already gone (ended, or killed by a test): its 'exit' has fired.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls readiness with a bounded number of attempts instead of sleeping a fixed time. */
export async function waitForHealth(url: string, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url}/health never answered`);
}

/** A temp folder with the starter config pointed at `url`, plus any edits. */
export function configFor(url: string, edits: [string[], unknown][] = []): { dir: string; config: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bankcert-test-'));
  let text = starterConfigText();
  for (const [path, value] of [[['target', 'baseUrl'], url] as [string[], unknown], ...edits]) {
    text = applyEdits(text, modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  const config = join(dir, 'bankcert.config.json');
  writeFileSync(config, text);
  return { dir, config, out: join(dir, 'out') };
}

export function readResult(out: string): Result {
  return JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
}

/** Checks that failed or warned: what a bank got wrong. */
export function notPassing(result: Result): string[] {
  return result.checks.filter((c) => c.status === 'fail' || c.status === 'warn').map((c) => c.id);
}

/** Checks that could not see what they assert. */
export function inconclusive(result: Result): string[] {
  return result.checks.filter((c) => c.status === 'inconclusive').map((c) => c.id);
}
