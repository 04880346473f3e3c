// Headless Chromium for the report-safety test: found on PATH, installed by the global setup on a
// fresh Debian machine (as root, with apt-get), or skipped only when BANKCERT_SKIP_BROWSER=1.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { onPath } from '../../scripts/k6/toolchain.ts';

export const SKIP_BROWSER_ENV = 'BANKCERT_SKIP_BROWSER';
/** Overrides the PATH lookup (a Chrome or Chromium elsewhere, e.g. on macOS). */
export const CHROMIUM_ENV = 'BANKCERT_CHROMIUM';

export function browserSkipped(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SKIP_BROWSER_ENV] === '1';
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[CHROMIUM_ENV] || onPath('chromium', env.PATH ?? '');
}

export interface BrowserSetupDeps {
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
  /** Runs a command with its output shown; returns its exit status (null: killed or not started). */
  run(command: string, args: string[]): number | null;
  log(line: string): void;
}

const APT_INSTALL = ['install', '-y', '--no-install-recommends', 'chromium'];

/**
 * Makes sure the browser exists before any test runs. Installs with apt-get only when that can work
 * (root, apt-get on PATH); otherwise the report-safety test fails later and names the fix.
 */
export function ensureChromium(deps: BrowserSetupDeps): string | undefined {
  if (browserSkipped(deps.env)) {
    deps.log(`${SKIP_BROWSER_ENV}=1: report.html will not be loaded in a browser (the escaping checks still run)`);
    return undefined;
  }
  const found = findChromium(deps.env);
  if (found) return found;
  if (!deps.isRoot || !onPath('apt-get', deps.env.PATH ?? '')) {
    deps.log(
      `chromium is not on PATH and cannot be installed here (needs root and apt-get): test/e2e/report-safety.test.ts will fail; install Chromium, set ${CHROMIUM_ENV}, or set ${SKIP_BROWSER_ENV}=1`,
    );
    return undefined;
  }
  for (const args of [['update'], APT_INSTALL]) {
    const command = `apt-get ${args.join(' ')}`;
    deps.log(`chromium is not installed: running \`${command}\` (once per machine; the report-safety test loads report.html in it)`);
    const status = deps.run('apt-get', args);
    if (status !== 0)
      throw new Error(`\`${command}\` failed with exit status ${status ?? 'none (killed)'}: install Chromium yourself, or set ${SKIP_BROWSER_ENV}=1`);
  }
  const installed = findChromium(deps.env);
  if (!installed) throw new Error(`\`apt-get ${APT_INSTALL.join(' ')}\` succeeded but chromium is still not on PATH`);
  deps.log(`chromium installed: ${installed}`);
  return installed;
}

/** The real dependencies: this process's environment and user, commands run with their output shown. */
export function systemBrowserSetup(log: (line: string) => void): BrowserSetupDeps {
  return {
    env: process.env,
    isRoot: process.getuid?.() === 0,
    run: (command, args) => spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status,
    log,
  };
}

/**
 * Loads a local HTML file in headless Chromium and returns the DOM after scripts had their chance to
 * run (virtual time), in a fresh profile with everything that phones home turned off.
 */
export async function dumpDom(chromium: string, file: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'bankcert-chromium-'));
  const args = [
    ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
    ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=3000',
    '--dump-dom',
    pathToFileURL(file).href,
  ];
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(chromium, args, { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${chromium} --dump-dom failed: ${error.message}\n${stderr.slice(-2_000)}`));
        else resolve(stdout);
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
