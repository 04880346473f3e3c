import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureK6 } from '../scripts/k6/toolchain.ts';
import { ROOT } from '../scripts/util/paths.ts';
import { CHROMIUM_ENV, ensureChromium, systemBrowserSetup } from './helpers/chromium.ts';

/**
 * End-to-end tests drive the real CLI bundle with real k6: build the bundles (fast) and make sure
 * k6 exists, building the pinned release with Go on a fresh machine (minutes, once). The
 * report-safety test also loads report.html in headless Chromium, installed here with apt-get on a
 * fresh Debian machine (skip only with BANKCERT_SKIP_BROWSER=1).
 */
export default async function setup(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build', 'build.mjs')], { stdio: 'inherit' });
  const k6 = await ensureK6((line) => process.stdout.write(`[k6 setup] ${line}\n`));
  process.env.K6_BINARY = k6.path;
  const chromium = ensureChromium(systemBrowserSetup((line) => process.stdout.write(`[browser setup] ${line}\n`)));
  // Test workers inherit this environment, as they do K6_BINARY.
  if (chromium) process.env[CHROMIUM_ENV] = chromium;
}
