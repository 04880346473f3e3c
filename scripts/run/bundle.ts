import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peakRate, plannedIterations, scheduleFor, totalDurationS, type LoadSchedule } from '../../checks/load-profile.ts';
import { LOAD_SCHEDULE_ENV, PLAN_ENV, type Plan } from '../../checks/plan.ts';
import { loadConfig } from '../config/read.ts';
import { buildPlan, configDigest } from '../config/plan.ts';
import type { Config } from '../config/schema.ts';
import { cannotRun, usageError } from '../util/errors.ts';
import { ensureK6, k6Env } from '../k6/toolchain.ts';
import { scenarioBundle } from '../util/paths.ts';
import { checkOutDir } from './certify-options.ts';
import { loadOptions } from './load-run.ts';
import type { Ui } from '../util/terminal.ts';

const run = promisify(execFile);

/**
 * How a distributed run's data comes back: each runner writes its records to its log (k6's console, as
 * JSON log lines), and `kubectl logs` reads a finished runner's log (a finished pod cannot be exec'd
 * into, so no file can be fetched from it). k6-operator names runner N's Job `<TestRun name>-N` and its
 * container `k6` (pkg/resources/jobs/runner.go of grafana/k6-operator).
 */
export const RUNNER_LOGS_HINT = 'kubectl logs job/<TestRun name>-N -c k6 > runner-N.log, for N = 1 … parallelism';

/**
 * Bytes a runner's log takes per iteration (one record line of k6's JSON log with its wrapper; measured
 * on the distributed e2e run, with a margin). The kubelet rotates a container's log past its
 * containerLogMaxSize (10 MiB unless the cluster says otherwise), and `kubectl logs` shows the last file
 * only: a runner must stay under it.
 */
export const LOG_BYTES_PER_ITERATION = 300;
const KUBELET_LOG_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The load suite as a portable k6 archive plus a k6-operator TestRun (parallelism N) for distributed
 * runs. Nothing secret goes in: the plan has no secrets, the client key's path is dropped (k6 would pack
 * the file), and the runners get BANKCERT_SECRETS and the client certificate from a Kubernetes Secret.
 */
export async function bundle(opts: { configPath: string; outDir: string; parallelism: string | number; profile?: string | undefined }, ui: Ui): Promise<void> {
  // A ConfigError is already a UserError (exit 2) listing every problem once.
  const config = loadConfig(opts.configPath);
  const typed = String(opts.parallelism).trim();
  const parallelism = /^\d+$/.test(typed) ? Number(typed) : Number.NaN;
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 1000) throw usageError(`--parallelism ${typed}: use a whole number from 1 to 1000`);
  const load = loadOptions(config, opts.profile);
  const profile = load.profile;
  if (!profile || load.capacity) {
    const why = load.chosenBy === 'peak' ? 'thresholds.minCapacity adds the capacity search, which' : '--profile capacity is a search of many short runs and';
    throw usageError(`${why} cannot be bundled`, ['Bundle one fixed profile (smoke, load, stress, spike, soak), e.g. --profile load.']);
  }
  // The secret is not needed to build the archive; a placeholder keeps buildPlan from asking for it.
  const env = { ...process.env, [config.signing.secretEnv]: process.env[config.signing.secretEnv] || 'not-used-by-bundle' };
  const { plan } = buildPlan(config, { suites: ['load'], runId: `bundle-${Date.now().toString(36)}`, env });
  const mtls = Boolean(plan.target.tls?.certFile);
  const portable: Plan = {
    ...plan,
    target: { ...plan.target, ...(plan.target.tls ? { tls: plan.target.tls.caFile ? { caFile: '/etc/bankcert/ca.pem' } : {} } : {}) },
  };
  // Checked (and created) before k6 is looked for: a folder it cannot write is a usage error, not a crash.
  const outDir = checkOutDir(opts.outDir);
  const planFile = join(outDir, 'plan.json');
  writeFileSync(planFile, `${JSON.stringify(portable, null, 2)}\n`);
  const schedule = scheduleFor(profile, load.rate, load.durationS);

  const k6 = await ensureK6((l) => ui.info(`  ${l}`));
  const archive = join(outDir, 'archive.tar');
  try {
    await run(
      k6.path,
      [
        'archive',
        '--include-system-env-vars=false',
        '-e',
        `${PLAN_ENV}=${planFile}`,
        '-e',
        `${LOAD_SCHEDULE_ENV}=${JSON.stringify(schedule)}`,
        '-O',
        archive,
        scenarioBundle('load'),
      ],
      { env: k6Env(), timeout: 60_000 },
    );
  } catch (err) {
    throw cannotRun(`k6 archive failed: ${(err as { stderr?: string }).stderr?.trim().split('\n').pop() ?? (err as Error).message}`, [], err);
  }
  // What `bankcert report --merge` needs besides the runners' files: the schedule and the bars to judge by.
  const manifest: BundleManifest = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    bank: config.bank,
    runId: plan.runId,
    parallelism,
    schedule,
    thresholds: config.thresholds,
    expectedPeakRate: load.expectedPeakRate,
    configDigest: configDigest(config),
    signing: plan.signing.enabled,
    target: { reserveFundsUrl: plan.target.reserveFundsUrl, transactResultUrl: plan.target.transactResultUrl },
    k6Version: k6.version,
  };
  writeFileSync(join(outDir, 'bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(outDir, 'testrun.yaml'),
    testRunManifest({ name: `bankcert-${slug(config.bank)}`, parallelism, mtls, ca: Boolean(plan.target.tls?.caFile), signing: plan.signing.enabled }),
  );
  ui.info(`wrote ${archive}, ${join(outDir, 'testrun.yaml')}, ${planFile} and bundle.json`);
  ui.info(
    `  profile ${profile}: ${peakRate(schedule)} iterations/s at peak, ${totalDurationS(schedule)} s, ${plannedIterations(schedule)} iterations over ${parallelism} runner(s)`,
  );
  const name = `bankcert-${slug(config.bank)}`;
  const perRunnerMiB = ((plannedIterations(schedule) / parallelism) * LOG_BYTES_PER_ITERATION) / 2 ** 20;
  ui.info(`  1. cd ${shellQuote(outDir)}`);
  ui.info('  2. kubectl create configmap bankcert-archive --from-file=archive.tar');
  ui.info(
    `  3. kubectl create secret generic bankcert-secrets --from-file=secrets.json${mtls ? ' --from-file=client.pem --from-file=client-key.pem' : ''}${plan.target.tls?.caFile ? ' --from-file=ca.pem' : ''}   (secrets.json: {"signingSecret":"…","authCodes":{"funded":"…"}})`,
  );
  ui.info('  4. kubectl apply -f testrun.yaml');
  ui.info(`  5. kubectl wait --for=jsonpath='{.status.stage}'=finished testrun/${name} --timeout=${totalDurationS(schedule) + 600}s`);
  ui.info(`  6. for N in $(seq 1 ${parallelism}); do kubectl logs job/${name}-$N -c k6 > runner-$N.log; done`);
  ui.info('  7. bankcert report . --merge');
  ui.info(
    `  Each runner logs about ${perRunnerMiB < 0.1 ? '0.1' : perRunnerMiB.toFixed(1)} MiB of records; kubectl logs returns a log whole only while it stays under the kubelet's containerLogMaxSize (10 MiB by default).`,
  );
  if (perRunnerMiB * 2 ** 20 > KUBELET_LOG_MAX_BYTES) {
    ui.warn(
      `  That is over 10 MiB: with the default kubelet settings the first records would be rotated away and \`report --merge\` would say the run is inconclusive. Use --parallelism ${Math.ceil((plannedIterations(schedule) * LOG_BYTES_PER_ITERATION) / (KUBELET_LOG_MAX_BYTES * 0.8))} or more, or raise containerLogMaxSize.`,
    );
  }
}

/** bundle.json's format; `report --merge` refuses any other (a bundle is merged by the bankcert that made it). */
export const BUNDLE_SCHEMA_VERSION = 1;

export interface BundleManifest {
  schemaVersion: typeof BUNDLE_SCHEMA_VERSION;
  bank: string;
  runId: string;
  parallelism: number;
  schedule: LoadSchedule;
  thresholds: Config['thresholds'];
  /** load.expectedPeakRate, for the merged certificate's "Load proven" line (absent in older bundles). */
  expectedPeakRate?: number | null;
  configDigest: string;
  signing: boolean;
  target: { reserveFundsUrl: string; transactResultUrl: string };
  k6Version: string;
}

/** A path as one shell word. */
function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'bank'
  );
}

/** A k6-operator TestRun. Every value is ours (names, numbers), never a secret. */
export function testRunManifest(o: { name: string; parallelism: number; mtls: boolean; ca: boolean; signing: boolean }): string {
  const env = [
    `        - name: BANKCERT_SECRETS\n          valueFrom:\n            secretKeyRef:\n              name: bankcert-secrets\n              key: secrets.json`,
    `        - name: K6_NO_USAGE_REPORT\n          value: "true"`,
    `        - name: K6_AUTO_EXTENSION_RESOLUTION\n          value: "false"`,
    ...(o.mtls
      ? ['BANKCERT_TLS_CERT client.pem', 'BANKCERT_TLS_KEY client-key.pem'].map((pair) => {
          const [name, key] = pair.split(' ');
          return `        - name: ${name}\n          valueFrom:\n            secretKeyRef:\n              name: bankcert-secrets\n              key: ${key}`;
        })
      : []),
    ...(o.ca ? ['        - name: SSL_CERT_FILE\n          value: /etc/bankcert/ca.pem'] : []),
  ];
  const mounts = o.ca
    ? `\n    volumeMounts:\n      - name: bankcert-ca\n        mountPath: /etc/bankcert\n        readOnly: true\n    volumes:\n      - name: bankcert-ca\n        secret:\n          secretName: bankcert-secrets\n          items:\n            - key: ca.pem\n              path: ca.pem`
    : '';
  return `# k6-operator TestRun for bankcert's load suite (written by \`bankcert bundle\`).
# Secrets come from the Kubernetes Secret "bankcert-secrets", never from this file.${o.signing ? '\n# Signing is on: secrets.json must carry "signingSecret".' : ''}
# No "cleanup: post": the finished runner Jobs must stay until their logs are collected (kubectl logs).
apiVersion: k6.io/v1alpha1
kind: TestRun
metadata:
  name: ${o.name}
spec:
  parallelism: ${o.parallelism}
  script:
    configMap:
      name: bankcert-archive
      file: archive.tar
  # The runners' records go to their logs (JSON lines), which \`kubectl logs\` collects: no output file.
  arguments: --log-format=json
  runner:
    env:
${env.join('\n')}${mounts}
`;
}
