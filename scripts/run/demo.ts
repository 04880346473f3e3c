import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import type { Result } from '../../checks/result.ts';
import { isFaultName, FAULTS } from '../../reference-bank/faults.ts';
import { startReferenceBank } from '../../reference-bank/server.ts';
import { certify } from './certify.ts';
import { starterConfigText } from '../config/starter.ts';
import { usageError } from '../util/errors.ts';
import type { Ui } from '../util/terminal.ts';

const DEMO_SECRET_ENV = 'BANKCERT_DEMO_SIGNING_SECRET';
/** The demo's smoke load: DEMO_RATE × DEMO_SECONDS iterations, at least 300 so that p95 and p99 can be judged. */
export const DEMO_RATE = 30;
export const DEMO_SECONDS = 12;

/** The demo's config: the starter config (the reference bank's own) with the demo bank's URL, signing and a short load. */
export function demoConfigText(bankUrl: string, signing: boolean): string {
  let config = starterConfigText();
  const edits: [string[], unknown][] = [
    [['target', 'baseUrl'], bankUrl],
    [['signing', 'enabled'], signing],
    [['signing', 'secretEnv'], DEMO_SECRET_ENV],
    // A short smoke run, still large enough to judge p95 and p99 at 95 % confidence (360 iterations: p99
    // needs 299 answers with none slow), then a bounded capacity search. The certificate calls it a
    // demo-level load: it proves no production peak.
    [['load', 'profile'], 'smoke,capacity'],
    [['load', 'rate'], DEMO_RATE],
    [['load', 'duration'], `${DEMO_SECONDS}s`],
    [['load', 'capacityStartRate'], 25],
    [['load', 'stepDuration'], '3s'],
    [['load', 'maxRate'], 200],
  ];
  for (const [path, value] of edits) config = applyEdits(config, modify(config, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  return config;
}

/**
 * `bankcert demo`: the reference bank on a free loopback port, certified by the same path a real bank
 * takes (config file → certify). Signing is on with a fresh random secret that lives only in memory
 * and in the k6 process environment.
 */
export async function runDemo(options: {
  outDir: string;
  faults: readonly string[];
  signing: boolean;
  /** Certify the minimal compliant personality instead of the strict one. */
  minimal?: boolean;
  ui: Ui;
}): Promise<{ result: Result; exitCode: number }> {
  const unknown = options.faults.filter((f) => !isFaultName(f));
  if (unknown.length > 0) throw usageError(`--fault ${unknown.join(', ')}: unknown fault`, [`Known faults: ${Object.keys(FAULTS).join(', ')}.`]);
  if (options.minimal && options.faults.length > 0) {
    throw usageError(`--minimal and --fault ${options.faults.join(', ')} do not go together`, [
      "Faults break the strict reference bank's rules: drop --minimal to see a failing certificate.",
    ]);
  }
  const secret = options.signing ? randomBytes(24).toString('base64url') : undefined;
  const bank = await startReferenceBank({
    port: 0,
    faults: options.faults.filter(isFaultName),
    ...(options.minimal ? { personality: 'minimal' as const } : {}),
    ...(secret ? { secret } : {}),
  });
  const work = mkdtempSync(join(tmpdir(), 'bankcert-demo-'));
  try {
    const kind = options.minimal ? ' (compliant, minimal personality)' : ' (compliant)';
    options.ui.info(`reference bank listening on ${bank.url}${options.faults.length > 0 ? ` with faults: ${options.faults.join(', ')}` : kind}`);
    const configPath = join(work, 'bankcert.config.json');
    writeFileSync(configPath, demoConfigText(bank.url, options.signing));
    const env = { ...process.env, ...(secret ? { [DEMO_SECRET_ENV]: secret } : {}) };
    return await certify({ configPath, outDir: options.outDir, suites: [], env, ui: options.ui, demo: true });
  } finally {
    await bank.close();
    rmSync(work, { recursive: true, force: true });
  }
}
