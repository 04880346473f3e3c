import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AVAILABLE_SUITES } from '../../checks/catalogue.ts';
import type { Suite } from '../../checks/ids.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import type { Result } from '../../checks/result.ts';
import { loadConfig } from '../config/read.ts';
import { buildPlan } from '../config/plan.ts';
import type { Config } from '../config/schema.ts';
import { readBaseline } from '../load/read-baseline.ts';
import { cannotRun, usageError } from '../util/errors.ts';
import { scenarioBundle } from '../util/paths.ts';
import type { Ui } from '../util/terminal.ts';
import { parseChecks, type CheckSelection } from './check-selection.ts';
import { parseK6Outputs, type K6Outputs } from './k6-outputs.ts';
import { loadOptions, type LoadOptions } from './load-run.ts';

export interface CertifyOptions {
  configPath: string;
  /** Overrides load.profile of the config. */
  profile?: string | undefined;
  /** k6 processes for the load suite (execution segments), as typed. */
  instances?: string | number | undefined;
  /** An earlier run's folder to compare load figures with (nightly regressions). */
  baselineDir?: string | undefined;
  /** `bankcert demo`: the certificate says its load was a demonstration, not a production peak. */
  demo?: boolean;
  /** --k6-raw-samples: k6 also writes its raw samples for the load suite (LoadOptions.k6RawSamples). */
  k6RawSamples?: boolean;
  outDir: string;
  suites: readonly string[];
  /** `--check`: run only these checks (a partial run, never a certificate). */
  checks?: readonly string[] | undefined;
  /** `--k6-out`: k6 outputs passed through to every k6 run, as `k6 run --out` takes them. */
  k6Outputs?: readonly string[] | undefined;
  env: NodeJS.ProcessEnv;
  ui: Ui;
}

/** Everything a certification needs, checked: once this exists, nothing the user typed can still be refused. */
export interface Prepared {
  suites: Suite[];
  config: Config;
  plan: Plan;
  secrets: BankcertSecrets;
  runId: string;
  /** Present when the load suite runs. */
  load: LoadOptions | undefined;
  baseline: Result | undefined;
  /** Present for a partial run (`--check`): the chosen checks. */
  selection: CheckSelection | undefined;
  /** `--k6-out`: the k6 arguments (outputs and tags), how to print them, and their credentials for the scrubber. */
  k6Outputs: K6Outputs;
  /** Absolute. */
  outDir: string;
  /** As the user typed it, for messages (`bankcert reconcile DIR`). */
  outDirShown: string;
}

export function parseSuites(requested: readonly string[]): Suite[] {
  const suites = [
    ...new Set(
      requested
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  // Default: every suite that exists, so a certificate covers every rule bankcert can assert.
  if (suites.length === 0) return [...AVAILABLE_SUITES];
  for (const s of suites) {
    if (!(AVAILABLE_SUITES as readonly string[]).includes(s)) {
      throw usageError(`--suite ${s}: unknown or not yet available suite`, [`Available suites: ${AVAILABLE_SUITES.join(', ')}.`]);
    }
  }
  return suites as Suite[];
}

export function parseInstances(given: string | number | undefined): number {
  if (given === undefined) return 1;
  const text = String(given).trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw usageError(`--instances ${text}: use a whole number from 1 to 64`);
  return n;
}

/**
 * The output folder must be a folder bankcert can write, checked before any request: a run that
 * finds out only at the end has already held (and maybe left) a buyer's money for nothing. Created
 * here and written to once, since only doing it proves it (permissions, read-only mounts, /proc).
 */
export function checkOutDir(given: string): string {
  const outDir = resolve(given);
  let existing = outDir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const hint = ['Give a folder bankcert can write (it is created if missing), e.g. --out bankcert-report.'];
  if (!statSync(existing).isDirectory()) {
    throw usageError(
      existing === outDir ? `--out ${given}: it is a file, not a folder` : `--out ${given}: ${existing} is a file, so the folder cannot be created there`,
      hint,
    );
  }
  const probe = join(outDir, `.bankcert-write-test-${process.pid}`);
  try {
    // One level at a time from the deepest existing folder (Node's recursive mkdir loops forever under /proc).
    const missing = relative(existing, outDir).split(sep).filter(Boolean);
    missing.reduce((dir, part) => {
      const next = join(dir, part);
      mkdirSync(next);
      return next;
    }, existing);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
    throw usageError(
      existsSync(outDir) ? `--out ${given}: the folder is not writable (${why})` : `--out ${given}: cannot create the folder (${why})`,
      hint,
      err,
    );
  }
  return outDir;
}

/**
 * Parses and checks every option and every choice that depends on the config, reading files only
 * (and creating the output folder, last): no request leaves before this returns, so a typo (`--profile lod`) costs nothing at the bank.
 * Usage and configuration problems are exit 2; a missing build is exit 3.
 */
export function prepareCertification(options: CertifyOptions): Prepared {
  const suitesGiven = options.suites.some((s) => s.trim() !== '') ? parseSuites(options.suites) : undefined;
  const selection = parseChecks(options.checks, suitesGiven);
  const suites = selection?.suites ?? suitesGiven ?? parseSuites([]);
  const instances = parseInstances(options.instances);
  // ConfigError is already a UserError (exit 2) with every problem; wrapping it again printed it twice.
  const config = loadConfig(options.configPath);
  const runsLoad = suites.includes('load');
  // Checked even when the load suite does not run: a mistyped option is a mistake either way.
  const load =
    runsLoad || options.profile !== undefined || instances !== 1
      ? { ...loadOptions(config, options.profile, instances), demo: options.demo === true, k6RawSamples: options.k6RawSamples === true }
      : undefined;
  if (options.baselineDir !== undefined && !runsLoad) {
    throw usageError(`--baseline ${options.baselineDir}: the comparison is of load figures, and the load suite does not run`, [
      'Add load to --suite, or leave out --baseline.',
    ]);
  }
  // Read now: a wrong --baseline is a usage error, not a surprise after a long load run.
  const baseline = options.baselineDir === undefined ? undefined : readBaseline(options.baselineDir);
  if (selection?.checks.includes('LD-CAPACITY') && load && !load.capacity) {
    throw usageError('--check LD-CAPACITY: the capacity search does not run with this load profile', [
      'LD-CAPACITY is measured by the capacity search: add --profile capacity (or e.g. --profile load,capacity).',
    ]);
  }
  const runId = randomBytes(4).toString('hex');
  const built = buildPlan(config, { suites, runId, env: options.env });
  // The observers skip the traffic of every check not chosen (checks/observe/context.ts, wants).
  const plan = selection ? { ...built.plan, checks: selection.checks } : built.plan;
  const secrets = built.secrets;
  const k6Outputs = parseK6Outputs(options.k6Outputs, { runId, bank: config.bank }, options.env);
  const outDir = checkOutDir(options.outDir);
  for (const suite of suites) {
    const bundle = scenarioBundle(suite);
    if (!existsSync(bundle)) throw cannotRun(`the ${suite} scenario is not built (${bundle} is missing)`, ['Run `npm run build` first.']);
  }
  return { suites, config, plan, secrets, runId, load: runsLoad ? load : undefined, baseline, selection, k6Outputs, outDir, outDirShown: options.outDir };
}
