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

/** Where a k6-operator runner writes its raw samples; collect these files for `bankcert report --merge`. */
export const RUNNER_RAW = '/tmp/bankcert/raw-load.ndjson';

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
  const portable: Plan = { ...plan, target: { ...plan.target, ...(plan.target.tls ? { tls: plan.target.tls.caFile ? { caFile: '/etc/bankcert/ca.pem' } : {} } : {}) } };
  // Checked (and created) before k6 is looked for: a folder it cannot write is a usage error, not a crash.
  const outDir = checkOutDir(opts.outDir);
  const planFile = join(outDir, 'plan.json');
  writeFileSync(planFile, `${JSON.stringify(portable, null, 2)}\n`);
  const schedule = scheduleFor(profile, load.rate, load.durationS);

  const k6 = await ensureK6((l) => ui.info(`  ${l}`));
  const archive = join(outDir, 'archive.tar');
  try {
    await run(k6.path, ['archive', '--include-system-env-vars=false', '-e', `${PLAN_ENV}=${planFile}`, '-e', `${LOAD_SCHEDULE_ENV}=${JSON.stringify(schedule)}`, '-O', archive, scenarioBundle('load')], { env: k6Env(), timeout: 60_000 });
  } catch (err) {
    throw cannotRun(`k6 archive failed: ${(err as { stderr?: string }).stderr?.trim().split('\n').pop() ?? (err as Error).message}`, [], err);
  }
  // What `bankcert report --merge` needs besides the runners' files: the schedule and the bars to judge by.
  const manifest: BundleManifest = {
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
  writeFileSync(join(outDir, 'testrun.yaml'), testRunManifest({ name: `bankcert-${slug(config.bank)}`, parallelism, mtls, ca: Boolean(plan.target.tls?.caFile), signing: plan.signing.enabled }));
  ui.info(`wrote ${archive}, ${join(outDir, 'testrun.yaml')}, ${planFile} and bundle.json`);
  ui.info(`  profile ${profile}: ${peakRate(schedule)} iterations/s at peak, ${totalDurationS(schedule)} s, ${plannedIterations(schedule)} iterations over ${parallelism} runner(s)`);
  ui.info('  1. kubectl create configmap bankcert-archive --from-file=archive.tar');
  ui.info(`  2. kubectl create secret generic bankcert-secrets --from-file=secrets.json${mtls ? ' --from-file=client.pem --from-file=client-key.pem' : ''}${plan.target.tls?.caFile ? ' --from-file=ca.pem' : ''}   (secrets.json: {"signingSecret":"…","authCodes":{"funded":"…"}})`);
  ui.info(`  3. kubectl apply -f testrun.yaml; when it ends, copy each runner's ${RUNNER_RAW} (as raw-load-N.ndjson) and its log (as runner-N.log) into this folder`);
  ui.info(`  4. bankcert report ${opts.outDir} --merge`);
}

export interface BundleManifest {
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

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'bank';
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
  arguments: --log-format=json --out json=${RUNNER_RAW} --system-tags=status,error_code
  runner:
    env:
${env.join('\n')}${mounts}
`;
}
