// The harness performance bench (`npm run bench`, started by bench/run.mjs). One run measures, against
// the reference bank on loopback: wrk, bare k6 (bench/bare.js) and certify's load path (the CLI's own
// code running k6 with exactly certify's arguments and reading its records) at the same connection/VU
// count, plus the floor of bankcert's design (bare + signing + record lines); k6 memory per VU; bundle
// size; start-up time; latency accuracy of `bankcert certify` against a bare-k6 control measuring the
// same bank at the same time; and the report built from ten million request records. Writes
// bench/RESULTS.md and bench/results.json. Every loop is bounded; all traffic is 127.0.0.1.
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plan } from '../checks/plan.ts';
import type { Result } from '../checks/result.ts';
import { scheduleFor } from '../checks/load-profile.ts';
import { ensureK6, type K6 } from '../scripts/k6/toolchain.ts';
import { aggregateLoad } from '../scripts/load/aggregate.ts';
import { readLines } from '../scripts/load/lines.ts';
import { LoadRecords, recordsFromFiles } from '../scripts/load/records.ts';
import { LedgerFile, ledgerPath } from '../scripts/ledger/ledger.ts';
import { startK6 } from '../scripts/run/k6-process.ts';
import { writeConfig } from './lib/config.ts';
import { Interrupts } from '../scripts/run/interrupts.ts';
import { loadInstance } from '../scripts/run/load-run.ts';
import { runScenario, type Sink } from '../scripts/run/scenario-run.ts';
import { Scrubber } from '../scripts/util/scrub.ts';
import { busyCpuSeconds, cpuSeconds, runCommand, startBank, startTimestampServer, unpinned, watch, type Bank } from './lib/procs.ts';
import {
  renderResults,
  resultsJson,
  type BenchResults,
  type LatencyRow,
  type MemoryRow,
  type ScaleRow,
  type StartupRow,
  type ThroughputRun,
} from './lib/results.ts';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const OUT = process.env.BENCH_OUT ?? join(ROOT, 'node_modules', '.cache', 'bankcert-bench');
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
/** BENCH_QUICK=1: one short round, two delays, a small report: for trying changes, never for RESULTS.md. */
const QUICK = process.env.BENCH_QUICK === '1';
const VUS = num('BENCH_VUS', 10);
const DURATION_S = num('BENCH_DURATION_S', QUICK ? 4 : 6);
const WARMUP_S = num('BENCH_WARMUP_S', QUICK ? 1 : 2);
const ROUNDS = num('BENCH_ROUNDS', QUICK ? 1 : 4);
const MEMORY_VUS: [number, number] = [num('BENCH_MEMORY_VUS_LOW', 10), num('BENCH_MEMORY_VUS_HIGH', 210)];
const LATENCIES = (process.env.BENCH_LATENCIES ?? (QUICK ? '0,500' : '0,50,500,1900')).split(',').map(Number);
/** certify's latency runs: enough answers per endpoint to judge p99 at 95 % confidence (299), so they can certify. */
const LATENCY_RATE = num('BENCH_LATENCY_RATE', 70);
const LATENCY_DURATION_S = num('BENCH_LATENCY_DURATION_S', 15);
/** Iterations of the report-scale run: 5,040,000 iterations make about 10,000,000 request records. */
const SCALE_ITERATIONS = num('BENCH_SCALE_ITERATIONS', QUICK ? 200_000 : 5_040_000);
/** BENCH_ONLY=throughput,latency,memory,startup,scale: run only these parts (results go to the cache folder, not bench/). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((p) => p.trim());
const PART = (name: string) => !ONLY || ONLY.includes(name);
const BANKCERT_BUNDLE = join(ROOT, 'dist', 'scenarios', 'load.js');
/**
 * Other builds of load.js to measure beside certify's path, as plain k6 runs: "name=path,name=path" (before
 * and after a change); a name ending in "+raw" also writes k6's raw samples, as certify used to.
 */
const COMPARE = (process.env.BENCH_COMPARE ?? '')
  .split(',')
  .filter((s) => s.includes('='))
  .map((s) => ({ name: s.slice(0, s.indexOf('=')), bundle: s.slice(s.indexOf('=') + 1) }));
const BARE = join(ROOT, 'bench', 'bare.js');
const WRK_LUA = join(ROOT, 'bench', 'wrk.lua');
const CLI = join(ROOT, 'dist', 'bankcert.mjs');
const SECRET_ENV = 'BENCH_SIGNING_SECRET';
const SECRET = 'bench-signing-secret-Zoë';
const SECRETS_JSON = JSON.stringify({ authCodes: {}, signingSecret: SECRET });

const work = mkdtempSync(join(tmpdir(), 'bankcert-bench-'));
const commands = new Map<string, string>();
const log = (line: string) => process.stdout.write(`bench: ${line}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;

function noteCommand(label: string, command: string): void {
  if (!commands.has(label))
    commands.set(
      label,
      command
        .replaceAll(work, '$WORK')
        .replaceAll(ROOT, '.')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'),
    );
}

// ---- configs and plans -------------------------------------------------------------------------

/** A signed smoke-load config at `rate` iterations/s against `baseUrl`. */
function smokeConfig(dir: string, baseUrl: string, rate: number, duration: string): string {
  return writeConfig(dir, baseUrl, [
    [['signing', 'enabled'], true],
    [['signing', 'secretEnv'], SECRET_ENV],
    [['load', 'profile'], 'smoke'],
    [['load', 'rate'], rate],
    [['load', 'duration'], duration],
  ]);
}

/** The plan of a real `certify --suite load` run, pointed at another bank. */
function planFor(template: Plan, baseUrl: string): string {
  const plan: Plan = {
    ...template,
    target: { ...template.target, reserveFundsUrl: `${baseUrl}/reserveFunds`, transactResultUrl: `${baseUrl}/transactResult` },
  };
  const file = join(work, 'plan.json');
  writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

/** What wrk needs to send bare.js's reserveFunds body (the same computation as bench/bare.js). */
function wrkArgs(plan: Plan): string[] {
  const p = plan.product;
  const amount = p.typicalAmount;
  const fee = amount >= p.feeAmount ? p.feeAmount : 0;
  const share = Math.floor((amount * p.clientSharePerMille) / 1000);
  const type = p.productType === undefined ? '' : `"productType":${p.productType},`;
  const fixed = `"productId":${p.productId},${type}"purchaseAmount":${amount - fee},"reserveAmount":${amount},"feeAmount":${fee},"clientShareAmount":${share},"settlementAmount":${amount - share}`;
  const channel = `"channelId":${p.channelId},"channelName":${JSON.stringify(p.channelName)}`;
  const pool = plan.accounts.load.length > 0 ? plan.accounts.load : plan.accounts.funded ? [plan.accounts.funded] : [];
  return ['/reserveFunds', plan.runId, fixed, channel, ...pool.map((a) => a.sourceIdentifier)];
}

// ---- k6 and wrk runs ---------------------------------------------------------------------------

/** What one k6 measurement runs. */
interface K6Spec {
  label: string;
  /** bare: bench/bare.js; plain: a load.js build run by k6 alone (BENCH_COMPARE); certify: certify's load path. */
  kind: 'bare' | 'plain' | 'certify';
  bundle: string;
  /** bare.js only. */
  mode?: 'iteration' | 'reserve';
  /** bare.js only: sign with this secret (BARE_SIGN, BARE_SECRET). */
  secret?: string;
  /** bare.js only: one record-sized console line per this many iterations (BARE_RECORD_LINES). */
  recordLines?: number;
  /** bare.js only: open model at this many iterations/s (BARE_RATE) instead of constant VUs. */
  rate?: number;
  /** bare.js, plain: k6's raw samples to this file; certify: `--k6-raw-samples`. */
  raw?: string;
  /** certify only: records per console line (BANKCERT_BENCH_LINE_RECORDS; default 100, 1: as an open-model VU writes). */
  lineRecords?: number;
  /** bare.js only: run this long instead of the measurement's duration. */
  durationS?: number;
  /** certify only: the plan with signing off (a bank that does not check signatures). */
  unsigned?: boolean;
}

interface K6Measure {
  metrics: Record<string, { values: Record<string, number> }>;
  reqPerS: number;
  requests: number;
  iterPerS: number;
  failed: number;
  events: number;
  k6: { cpuS: number; wallS: number; peakRssKiB: number };
  readerCpuS: number;
  bankCpuS: number;
  otherCpuS: number;
  wallS: number;
  errors: string[];
}

function schedule(durationS: number): string {
  return JSON.stringify({ profile: 'smoke', startRate: 1, stages: [{ target: 1, durationS }] });
}

const shown = (env: Record<string, string>) =>
  Object.entries(env)
    .filter(([k]) => !k.includes('SUMMARY'))
    .map(([k, v]) => `${k}=${k === 'BANKCERT_SECRETS' ? `'{"authCodes":{},"signingSecret":"…"}'` : /[{"]/.test(v) ? `'${v}'` : v}`)
    .join(' ');

/** The CPU and process figures around one k6 run, whoever starts it. */
function meter(bank: Bank | undefined) {
  const reader0 = process.cpuUsage();
  const bankCpu0 = bank ? (cpuSeconds(bank.pid) ?? 0) : 0;
  const busy0 = busyCpuSeconds();
  const started = performance.now();
  let watcher: ReturnType<typeof watch> | undefined;
  return {
    onStart(pid: number | undefined) {
      if (pid !== undefined) watcher = watch(pid);
    },
    stop() {
      const k6 = watcher?.stop() ?? { cpuS: 0, wallS: 0, peakRssKiB: 0 };
      const wallS = (performance.now() - started) / 1000;
      const reader = process.cpuUsage(reader0);
      const readerCpuS = (reader.user + reader.system) / 1e6;
      const bankCpuS = bank ? (cpuSeconds(bank.pid) ?? bankCpu0) - bankCpu0 : 0;
      const otherCpuS = Math.max(0, busyCpuSeconds() - busy0 - k6.cpuS - readerCpuS - bankCpuS);
      return { k6, wallS, readerCpuS, bankCpuS, otherCpuS };
    },
  };
}

function measured(label: string, summary: string, m: ReturnType<ReturnType<typeof meter>['stop']>, events: number, errors: string[], exit: string): K6Measure {
  if (!existsSync(summary)) throw new Error(`k6 (${label}) wrote no summary: ${exit}; ${errors.join(' | ')}`);
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> }).metrics;
  return {
    metrics,
    reqPerS: metrics.http_reqs?.values.rate ?? 0,
    requests: metrics.http_reqs?.values.count ?? 0,
    iterPerS: metrics.iterations?.values.rate ?? 0,
    failed: metrics.http_req_failed?.values.rate ?? 0,
    events,
    ...m,
    errors,
  };
}

/** bench/bare.js or a load.js build, run by k6 through the CLI's own runner (scripts/run/k6-process.ts), events counted. */
async function runK6(k6: K6, spec: K6Spec, planFile: string, vus: number, durationS: number, bank: Bank | undefined): Promise<K6Measure> {
  if (spec.kind === 'certify') return runCertify(k6, spec, planFile, vus, durationS, bank);
  const summary = join(work, 'summary.json');
  rmSync(summary, { force: true });
  const env: Record<string, string> =
    spec.kind === 'bare'
      ? {
          BANKCERT_PLAN_FILE: planFile,
          BARE_VUS: String(vus),
          BARE_DURATION_S: String(spec.durationS ?? durationS),
          BARE_MODE: spec.mode ?? 'iteration',
          ...(spec.secret !== undefined ? { BARE_SIGN: '1', BARE_SECRET: spec.secret } : {}),
          ...(spec.recordLines ? { BARE_RECORD_LINES: String(spec.recordLines) } : {}),
          ...(spec.rate ? { BARE_RATE: String(spec.rate) } : {}),
          BENCH_SUMMARY_FILE: summary,
        }
      : {
          BANKCERT_PLAN_FILE: planFile,
          BANKCERT_SECRETS: SECRETS_JSON,
          BANKCERT_BENCH_VUS: String(vus),
          BANKCERT_LOAD_SCHEDULE: schedule(durationS),
          BANKCERT_SUMMARY_FILE: summary,
        };
  const args = spec.raw ? ['--out', `json=${spec.raw}`, '--system-tags', 'status,error_code'] : [];
  noteCommand(
    spec.label,
    `${shown(env)} k6 run --quiet --no-color --log-format=json --console-output=$TMP/console.ndjson ${args.join(' ')} ${spec.bundle}`.replace(/ +/g, ' '),
  );
  let events = 0;
  const errors: string[] = [];
  const m = meter(bank);
  const run = startK6({
    k6,
    bundle: spec.bundle,
    env,
    args,
    onEvent: () => {
      events += 1; // read and dropped: these runs measure k6, not the CLI's handling of the events
    },
    onLog: (line) => {
      if ((line.level === 'error' || line.level === 'fatal') && errors.length < 5) errors.push(line.msg);
    },
  });
  m.onStart(run.pid);
  const deadline = setTimeout(() => run.interrupt(), (durationS + 60) * 1000);
  await run.done;
  clearTimeout(deadline);
  return measured(spec.label, summary, m.stop(), events, errors, `exit ${run.exitCode}`);
}

const silentUi = { info: () => undefined, warn: () => undefined, verbose: false, scrubber: new Scrubber() };

/**
 * certify's load path, as it runs: the CLI's runScenario with what loadInstance (scripts/run/load-run.ts)
 * gives every certification (k6's arguments and environment, the records into the figures, the ledger
 * and DIR/records-load.ndjson), in the closed model (BANKCERT_BENCH_VUS) instead of a schedule. The CLI's
 * work (reading k6's console file, the ledger, the figures) is this process, on the generator's core.
 */
async function runCertify(k6: K6, spec: K6Spec, planFile: string, vus: number, durationS: number, bank: Bank | undefined): Promise<K6Measure> {
  const outDir = mkdtempSync(join(work, 'certify-'));
  try {
    const signed = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    const plan: Plan = spec.unsigned ? { ...signed, signing: { ...signed.signing, enabled: false } } : signed;
    if (spec.unsigned) {
      planFile = join(outDir, 'plan.json');
      writeFileSync(planFile, JSON.stringify(plan));
    }
    const ledger = new LedgerFile(ledgerPath(outDir));
    const sink: Sink = { observations: [], ledger, k6Log: [], problems: [], interrupted: false, interrupts: new Interrupts(), loadRuns: [] };
    const records = new LoadRecords();
    const kept = createWriteStream(join(outDir, 'records-load.ndjson'));
    const instance = loadInstance(
      { k6RawSamples: spec.raw !== undefined },
      outDir,
      scheduleFor('smoke', 1, durationS),
      { i: 0, instances: 1, name: 'load' },
      records,
      kept,
    );
    const env = { ...instance.env, BANKCERT_BENCH_VUS: String(vus), ...(spec.lineRecords ? { BANKCERT_BENCH_LINE_RECORDS: String(spec.lineRecords) } : {}) };
    noteCommand(
      spec.label,
      `${shown({ BANKCERT_PLAN_FILE: '$WORK/plan.json', BANKCERT_SECRETS: '…', ...env })} k6 run --quiet --no-color --log-format=json --console-output=$TMP/console.ndjson ${instance.args.join(' ')} ./dist/scenarios/load.js   # started and read by scripts/run/scenario-run.ts with scripts/run/load-run.ts's loadInstance, as certify does`
        .replace(/ +/g, ' ')
        .replaceAll(outDir, '$OUT'),
    );
    let events = 0;
    const m = meter(bank);
    await runScenario('load', { k6, plan, planFile, secrets: { authCodes: {}, signingSecret: SECRET }, outDir, tls: undefined, ui: silentUi }, sink, {
      ...instance,
      env,
      label: 'load',
      onStart: (pid) => m.onStart(pid),
      onRecords(batch, json) {
        events += 1;
        instance.onRecords(batch, json);
      },
    });
    const figures = m.stop();
    await new Promise((resolve) => kept.end(resolve));
    await ledger.close();
    const errors = sink.k6Log.filter((l) => l.startsWith('error') || l.startsWith('fatal')).slice(0, 5);
    const result = measured(spec.label, join(outDir, 'k6-summary-load.json'), figures, events, errors, sink.problems.join('; '));
    if (records.figures.iterations === 0) throw new Error(`certify's load path (${spec.label}) recorded no iterations: ${sink.problems.join('; ')}`);
    return result;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function runWrk(
  plan: Plan,
  bank: Bank,
  connections: number,
  durationS: number,
  label = 'wrk',
): Promise<{ reqPerS: number; non2xx: number; cpuS: number; bankCpuS: number; otherCpuS: number; wallS: number }> {
  const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '-s', WRK_LUA, `${bank.url}/reserveFunds`, '--', ...wrkArgs(plan)];
  noteCommand(label, `wrk ${args.map((a) => (/["{ ]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const bank0 = cpuSeconds(bank.pid) ?? 0;
  const busy0 = busyCpuSeconds();
  let watcher: ReturnType<typeof watch> | undefined;
  const started = performance.now();
  const run = await runCommand('wrk', args, { timeoutMs: (durationS + 30) * 1000, onStart: (pid) => (watcher = watch(pid)) });
  const figures = watcher?.stop();
  const reqPerS = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1] ?? Number.NaN);
  if (!Number.isFinite(reqPerS)) throw new Error(`wrk gave no rate: ${run.stdout}${run.stderr}`);
  const bankCpuS = (cpuSeconds(bank.pid) ?? bank0) - bank0;
  return {
    reqPerS,
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(run.stdout)?.[1] ?? 0),
    cpuS: figures?.cpuS ?? 0,
    bankCpuS,
    otherCpuS: Math.max(0, busyCpuSeconds() - busy0 - (figures?.cpuS ?? 0) - bankCpuS),
    wallS: (performance.now() - started) / 1000,
  };
}

function hasWrk(): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, 'wrk')));
}

async function versionOf(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await runCommand(cmd, args, { timeoutMs: 15_000 });
    return (r.stdout + r.stderr).split('\n')[0]?.trim() ?? '?';
  } catch {
    return 'not installed';
  }
}

/**
 * A fresh bank answers its first thousands of requests slowly (V8 compiles its hot paths): every
 * measurement starts after a short warm-up of both endpoints (bare k6), so each one meets the same bank.
 */
async function warmUp(k6: K6, planFile: string, bank: Bank, seconds: number, vus = VUS): Promise<void> {
  await runK6(k6, { label: 'warm-up', kind: 'bare', bundle: BARE, mode: 'iteration' }, planFile, vus, seconds, bank);
}

// ---- the parts of the run ----------------------------------------------------------------------

/** Signed warm-up (the latency banks check signatures): bare.js with the bench's secret, no record lines. */
async function warmUpSigned(k6: K6, planFile: string, bank: Bank): Promise<void> {
  await runK6(k6, { label: 'warm-up-signed', kind: 'bare', bundle: BARE, mode: 'iteration', secret: SECRET }, planFile, 20, WARMUP_S, bank);
}

/** The plan every other measurement reuses (its URLs pointed at each fresh bank): one short `certify --suite load`. */
async function planRun(): Promise<{ plan: Plan; result: string }> {
  const resultFile = join(work, 'result.json');
  const bank = await startBank(ROOT, ['--secret-env', SECRET_ENV], { [SECRET_ENV]: SECRET });
  try {
    const dir = mkdtempSync(join(work, 'plan-'));
    const config = smokeConfig(dir, bank.url, 10, '2s');
    const out = join(dir, 'out');
    log('plan: certify --suite load once against the reference bank');
    const run = await runCommand(process.execPath, [CLI, 'certify', '--config', config, '--out', out, '--suite', 'load'], {
      env: { ...process.env, [SECRET_ENV]: SECRET },
      timeoutMs: 180_000,
    });
    if (!existsSync(join(out, 'plan.json')) || !existsSync(join(out, 'result.json')))
      throw new Error(`certify made no plan (exit ${run.code}): ${run.stdout}${run.stderr}`);
    writeFileSync(resultFile, readFileSync(join(out, 'result.json')));
    return { plan: JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as Plan, result: resultFile };
  } finally {
    await bank.stop();
  }
}

/**
 * For each injected delay: `bankcert certify --suite load` at LATENCY_RATE/s for LATENCY_DURATION_S, and at
 * the same time, against the same bank, a bare-k6 control at the same rate (signed, nothing else) whose
 * raw samples give its nearest-rank percentiles, the way bankcert's report computes them.
 */
async function latencyAccuracy(k6: K6, plan: Plan): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  for (const latencyMs of LATENCIES) {
    const bank = await startBank(ROOT, ['--latency-ms', String(latencyMs), '--secret-env', SECRET_ENV], { [SECRET_ENV]: SECRET }, true);
    try {
      const dir = mkdtempSync(join(work, `latency-${latencyMs}-`));
      const config = smokeConfig(dir, bank.url, LATENCY_RATE, `${LATENCY_DURATION_S}s`);
      // A fresh bank's first requests measure V8 compiling the bank, not the harness: warm it first.
      const planFile = planFor(plan, bank.url);
      await warmUpSigned(k6, planFile, bank);
      const out = join(dir, 'out');
      const controlRaw = join(dir, 'control.ndjson');
      noteCommand('bank-latency', `${SECRET_ENV}=… node ${CLI} bank --port 0 --quiet --latency-ms ${latencyMs} --secret-env ${SECRET_ENV}`);
      noteCommand(
        'certify',
        `${SECRET_ENV}=… node ${CLI} certify --config bankcert.config.json --out DIR --suite load   # config: starter + baseUrl, signing on, load {profile smoke, rate ${LATENCY_RATE}, duration "${LATENCY_DURATION_S}s"}`,
      );
      log(
        `latency accuracy: bank delays every answer ${latencyMs} ms; certify --suite load at ${LATENCY_RATE}/s for ${LATENCY_DURATION_S} s beside a bare-k6 control`,
      );
      // The control starts with certify and runs 2 s longer, so it spans certify's k6 run (which starts after the CLI's own start-up).
      const [run] = await Promise.all([
        runCommand(process.execPath, [CLI, 'certify', '--config', config, '--out', out, '--suite', 'load'], {
          env: { ...process.env, [SECRET_ENV]: SECRET },
          timeoutMs: 180_000,
        }),
        runK6(
          k6,
          {
            label: 'latency-control',
            kind: 'bare',
            bundle: BARE,
            mode: 'iteration',
            secret: SECRET,
            rate: LATENCY_RATE,
            raw: controlRaw,
            durationS: LATENCY_DURATION_S + 2,
          },
          planFile,
          1,
          LATENCY_DURATION_S + 2,
          bank,
        ),
      ]);
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
      const load = result.load;
      if (!load) throw new Error(`certify wrote no load figures (exit ${run.code}): ${run.stdout}${run.stderr}`);
      // The control's requests that ended while certify's k6 ran (its first iteration's start to its last
      // answer): both measured the bank over the same seconds, not the CLI's start-up beside the control.
      const window = await recordsWindow(join(out, 'records-load.ndjson'));
      const windowed = join(dir, 'control-windowed.ndjson');
      await keepLines(controlRaw, windowed, (line) => {
        const at = /"time":"([^"]+)"/.exec(line)?.[1];
        const ms = at ? Date.parse(at) : Number.NaN;
        return !line.includes('"http_req_duration"') || (ms >= window.fromMs && ms <= window.toMs);
      });
      const control = await aggregateLoad([windowed], {
        profile: 'control',
        targetRateAt: () => LATENCY_RATE,
        durationS: LATENCY_DURATION_S + 2,
        plannedIterations: 0,
        peakRate: LATENCY_RATE,
      });
      for (const endpoint of ['reserveFunds', 'transactResult'] as const) {
        const e = load.endpoints[endpoint];
        const c = control.endpoints[endpoint];
        rows.push({
          latencyMs,
          endpoint,
          requests: e.requests,
          p50Ms: e.p50Ms,
          p95Ms: e.p95Ms,
          exit: run.code ?? -1,
          verdict: result.verdict,
          controlRequests: c.requests,
          controlP50Ms: c.p50Ms,
          controlP95Ms: c.p95Ms,
        });
      }
    } finally {
      await bank.stop();
    }
  }
  return rows;
}

/** From certify's records: when its first iteration started and its last answer came (epoch ms). */
async function recordsWindow(file: string): Promise<{ fromMs: number; toMs: number }> {
  const records = await recordsFromFiles([file], []);
  const r = records.figures;
  return { fromMs: r.minEpochMs, toMs: r.baseEpochMs + r.maxTime };
}

/** Copies the lines of `from` that `keep` accepts into `to`. */
async function keepLines(from: string, to: string, keep: (line: string) => boolean): Promise<void> {
  const out = createWriteStream(to);
  await readLines(from, (line) => {
    if (keep(line)) out.write(`${line}\n`);
  });
  await new Promise((resolve) => out.end(resolve));
}

interface Contender {
  tool: string;
  spec?: K6Spec;
}

function contenders(): Contender[] {
  const list: Contender[] = [];
  // wrk and bare-reserve side by side: their ratio is taken between neighbours too.
  if (hasWrk()) list.push({ tool: 'wrk' });
  list.push(
    { tool: 'bare-reserve', spec: { label: 'bare-reserve', kind: 'bare', bundle: BARE, mode: 'reserve' } },
    { tool: 'bare', spec: { label: 'bare', kind: 'bare', bundle: BARE, mode: 'iteration' } },
    { tool: 'floor', spec: { label: 'floor', kind: 'bare', bundle: BARE, mode: 'iteration', secret: SECRET, recordLines: 100 } },
    { tool: 'certify', spec: { label: 'certify', kind: 'certify', bundle: BANKCERT_BUNDLE } },
    { tool: 'certify-line', spec: { label: 'certify-line', kind: 'certify', bundle: BANKCERT_BUNDLE, lineRecords: 1 } },
    { tool: 'certify-unsigned', spec: { label: 'certify-unsigned', kind: 'certify', bundle: BANKCERT_BUNDLE, unsigned: true } },
  );
  for (const c of COMPARE)
    list.push({
      tool: `plain:${c.name}`,
      spec: { label: `plain:${c.name}`, kind: 'plain', bundle: c.bundle, ...(c.name.endsWith('+raw') ? { raw: join(work, 'raw.ndjson') } : {}) },
    });
  return list;
}

/** One round's order: bare k6 between every two other contenders, so each has a bare run minutes-free of drift beside it. */
function roundOrder(list: readonly Contender[]): Contender[] {
  const bare = list.find((c) => c.tool === 'bare') as Contender;
  const others = list.filter((c) => c.tool !== 'bare');
  const order: Contender[] = [bare];
  others.forEach((c, i) => {
    order.push(c);
    if (i % 2 === 1 || i === others.length - 1) order.push(bare);
  });
  return order;
}

async function measure(k6: K6, plan: Plan, c: Contender, round: number): Promise<ThroughputRun> {
  // A fresh, warmed bank for every measurement: the reference bank keeps every reservation, and one
  // that has served 100,000 of them is slower (bigger maps, longer GC) than a fresh one.
  const bank = await startBank(ROOT, []);
  try {
    const planFile = planFor(plan, bank.url);
    await warmUp(k6, planFile, bank, WARMUP_S);
    let run: ThroughputRun;
    if (c.spec === undefined) {
      const r = await runWrk(plan, bank, c.tool === 'wrk-50' ? 50 : VUS, DURATION_S, c.tool);
      run = {
        round,
        tool: c.tool,
        reqPerS: r.reqPerS,
        iterPerS: r.reqPerS,
        failed: r.non2xx,
        genCpu: r.cpuS / r.wallS,
        bankCpu: r.bankCpuS / r.wallS,
        otherCpu: r.otherCpuS / r.wallS,
        events: 0,
      };
    } else {
      const r = await runK6(k6, c.spec, planFile, VUS, DURATION_S, bank);
      if (r.errors.length > 0) log(`  k6 errors: ${r.errors.join(' | ')}`);
      run = {
        round,
        tool: c.tool,
        reqPerS: r.reqPerS,
        iterPerS: r.iterPerS,
        failed: r.failed,
        genCpu: (r.k6.cpuS + r.readerCpuS) / r.wallS,
        readerCpu: r.readerCpuS / r.wallS,
        bankCpu: r.bankCpuS / r.wallS,
        otherCpu: r.otherCpuS / r.wallS,
        events: r.events,
        k6CpuUsPerRequest: r.requests > 0 ? (r.k6.cpuS * 1e6) / r.requests : Number.NaN,
      };
      if (c.spec.raw && c.spec.kind !== 'certify') rmSync(c.spec.raw, { force: true });
    }
    log(
      `round ${round} ${c.tool}: ${Math.round(run.reqPerS)} requests/s (generator core ${Math.round(run.genCpu * 100)} %, bank core ${Math.round(run.bankCpu * 100)} %, others ${Math.round(run.otherCpu * 100)} %)`,
    );
    return run;
  } finally {
    await bank.stop();
  }
}

async function throughput(k6: K6, plan: Plan): Promise<ThroughputRun[]> {
  const runs: ThroughputRun[] = [];
  const order = roundOrder(contenders());
  for (let round = 1; round <= ROUNDS; round++) {
    const sequence: ThroughputRun[] = [];
    for (const c of order) sequence.push(await measure(k6, plan, c, round));
    // Each contender's reference: the mean of the bare runs just before and just after it.
    sequence.forEach((run, i) => {
      if (run.tool === 'bare') return;
      const before = sequence
        .slice(0, i)
        .reverse()
        .find((x) => x.tool === 'bare');
      const after = sequence.slice(i + 1).find((x) => x.tool === 'bare');
      const refs = [before, after].filter((x): x is ThroughputRun => x !== undefined).map((x) => x.reqPerS);
      if (refs.length > 0) run.bareRefPerS = refs.reduce((a, b) => a + b, 0) / refs.length;
    });
    runs.push(...sequence);
  }
  // Once, for information, between two bare runs: certify with --k6-raw-samples (what it always did
  // before), and the bank's own ceiling (wrk with many connections).
  const once: ThroughputRun[] = [];
  const bare = contenders().find((c) => c.tool === 'bare') as Contender;
  for (const c of [
    bare,
    { tool: 'certify-raw', spec: { label: 'certify-raw', kind: 'certify', bundle: BANKCERT_BUNDLE, raw: 'raw-load.ndjson' } } as Contender,
    bare,
  ])
    once.push(await measure(k6, plan, c, ROUNDS + 1));
  const raw = once[1] as ThroughputRun;
  raw.bareRefPerS = ((once[0]?.reqPerS ?? 0) + (once[2]?.reqPerS ?? 0)) / 2;
  runs.push(...once);
  if (hasWrk()) runs.push(await measure(k6, plan, { tool: 'wrk-50' }, ROUNDS + 1));
  return runs;
}

async function memory(k6: K6, plan: Plan): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const bank = await startBank(ROOT, []);
  try {
    const planFile = planFor(plan, bank.url);
    const scripts: { kind: string; spec: K6Spec }[] = [
      { kind: 'bench/bare.js', spec: { label: 'memory-bare', kind: 'bare', bundle: BARE } },
      { kind: 'bankcert', spec: { label: 'memory-bankcert', kind: 'plain', bundle: BANKCERT_BUNDLE } },
      ...COMPARE.filter((c) => !c.name.endsWith('+raw')).map((c) => ({
        kind: `plain:${c.name}`,
        spec: { label: `memory-${c.name}`, kind: 'plain' as const, bundle: c.bundle },
      })),
    ];
    for (const s of scripts) {
      for (const vus of MEMORY_VUS) {
        const r = await runK6(k6, s.spec, planFile, vus, 3, bank);
        rows.push({ kind: s.kind, vus, peakRssKiB: r.k6.peakRssKiB });
        log(`memory ${s.kind} ${vus} VUs: peak RSS ${Math.round(r.k6.peakRssKiB / 1024)} MiB`);
      }
    }
  } finally {
    await bank.stop();
  }
  return rows;
}

async function startup(k6: K6, plan: Plan): Promise<StartupRow[]> {
  const server = await startTimestampServer();
  const rows: StartupRow[] = [];
  try {
    const planFile = planFor(plan, server.url);
    const dir = mkdtempSync(join(work, 'startup-'));
    const config = writeConfig(dir, server.url, [
      [['load', 'profile'], 'smoke'],
      [['load', 'rate'], 2],
      [['load', 'duration'], '1s'],
    ]);
    const variants: { what: string; start(): Promise<unknown> }[] = [
      {
        what: '`bankcert certify --suite load` (whole CLI: config, plan, preflight, k6 start, VU init)',
        start: () => runCommand(process.execPath, [CLI, 'certify', '--config', config, '--out', join(dir, 'out'), '--suite', 'load'], { timeoutMs: 60_000 }),
      },
      {
        what: `\`k6 run dist/scenarios/load.js\` (${VUS} VUs)`,
        start: () => runK6(k6, { label: 'startup-bankcert', kind: 'plain', bundle: BANKCERT_BUNDLE }, planFile, VUS, 1, undefined),
      },
      ...COMPARE.filter((c) => !c.name.endsWith('+raw')).map((c) => ({
        what: `\`k6 run\` ${c.name} build of load.js (${VUS} VUs)`,
        start: () => runK6(k6, { label: `startup-${c.name}`, kind: 'plain', bundle: c.bundle }, planFile, VUS, 1, undefined),
      })),
      {
        what: `\`k6 run bench/bare.js\` (${VUS} VUs)`,
        start: () => runK6(k6, { label: 'startup-bare', kind: 'bare', bundle: BARE }, planFile, VUS, 1, undefined),
      },
    ];
    for (const v of variants) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        server.reset();
        const t0 = performance.now();
        await v.start();
        const first = server.firstReserveAt();
        if (first !== undefined) times.push(first - t0);
      }
      rows.push({ what: v.what, ms: times });
      log(`start-up ${v.what}: ${times.map((t) => Math.round(t)).join(', ')} ms`);
    }
  } finally {
    await server.close();
  }
  return rows;
}

/** The certificate from ~10,000,000 request records, in a fresh process each: as batches, and as k6 log lines of one record each. */
async function reportScale(resultFile: string): Promise<ScaleRow[]> {
  const script = join(OUT, 'report-scale.mjs');
  const rows: ScaleRow[] = [];
  for (const mode of ['batches', 'k6log'] as const) {
    const file = join(work, `records-${mode}.ndjson`);
    try {
      await runCommand(process.execPath, [script, 'generate', file, String(SCALE_ITERATIONS), mode], { timeoutMs: 600_000 });
      noteCommand(
        `scale-${mode}`,
        `node ${script} generate records.ndjson ${SCALE_ITERATIONS} ${mode} && node ${script} build records.ndjson result.json ${SCALE_ITERATIONS}`,
      );
      const run = await runCommand(process.execPath, [script, 'build', file, resultFile, String(SCALE_ITERATIONS)], { timeoutMs: 600_000 });
      const figures = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Omit<ScaleRow, 'mode' | 'fileMiB'>;
      rows.push({ mode, fileMiB: statSync(file).size / 2 ** 20, ...figures });
      log(`report from ${figures.requests} request records (${mode}): ${figures.totalS} s, peak RSS ${figures.peakRssMiB} MiB`);
    } finally {
      rmSync(file, { force: true });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const started = Date.now();
  const k6 = await ensureK6((line) => log(line));
  log(
    `k6 ${k6.version} at ${k6.path}; ${VUS} VUs / connections, ${DURATION_S} s per measurement after ${WARMUP_S} s of warm-up, ${ROUNDS} rounds${QUICK ? ' (BENCH_QUICK)' : ''}${ONLY ? `; only ${ONLY.join(', ')}` : ''}`,
  );
  const { plan, result } = await planRun();
  // Unpinned: certify and its control run side by side, and on one core each would delay the other's answers.
  const latency = PART('latency') ? await unpinned(() => latencyAccuracy(k6, plan)) : [];
  const runs = PART('throughput') ? await throughput(k6, plan) : [];
  const mem = PART('memory') ? await memory(k6, plan) : [];
  const start = PART('startup') ? await startup(k6, plan) : [];
  const scale = PART('scale') ? await reportScale(result) : [];
  const bundles = [
    { name: 'bankcert', bundle: BANKCERT_BUNDLE },
    ...COMPARE.filter((c) => !c.name.endsWith('+raw')).map((c) => ({ name: `plain:${c.name}`, bundle: c.bundle })),
  ];
  const results: BenchResults = {
    date: new Date().toISOString(),
    tookS: Math.round((Date.now() - started) / 1000),
    complete: !QUICK && !ONLY,
    machine: {
      cores: cpus().length,
      memoryGiB: round1(totalmem() / 2 ** 30),
      cpu: cpus()[0]?.model.trim() ?? '?',
      kernel: release(),
      pinned:
        process.env.BENCH_BANK_CPU !== undefined
          ? `reference bank on core ${process.env.BENCH_BANK_CPU}; wrk, k6 and the bench process (which runs certify's load path: reading k6's console file, the ledger, the records) on core ${process.env.BENCH_GEN_CPU}`
          : 'not pinned',
    },
    versions: {
      node: process.version,
      k6: `${k6.version} (${k6.path.replace(ROOT, '.')})`,
      wrk: hasWrk() ? await versionOf('wrk', ['-v']) : 'not installed',
    },
    settings: {
      vus: VUS,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      rounds: ROUNDS,
      memoryVus: MEMORY_VUS,
      latencyRate: LATENCY_RATE,
      latencyDurationS: LATENCY_DURATION_S,
      scaleIterations: SCALE_ITERATIONS,
      compare: COMPARE.map((c) => `${c.name}: ${c.bundle}`),
    },
    runs,
    latency,
    memory: mem,
    bundles: bundles.map((b) => ({
      name: b.name,
      path: b.bundle.replace(ROOT, '.'),
      bytes: statSync(b.bundle).size,
      gzipBytes: gzipSync(readFileSync(b.bundle)).length,
    })),
    bareBytes: statSync(BARE).size,
    startup: start,
    scale,
    commands: [...commands.entries()],
  };
  // Only a complete run writes bench/: a partial or quick one goes to the cache folder.
  const into = results.complete ? join(ROOT, 'bench') : join(OUT, 'partial');
  mkdirSync(into, { recursive: true });
  const file = join(into, 'RESULTS.md');
  const previous = existsSync(join(ROOT, 'bench', 'RESULTS.md')) ? readFileSync(join(ROOT, 'bench', 'RESULTS.md'), 'utf8') : '';
  writeFileSync(file, renderResults(results, previous));
  // `npm run bench:long` writes its own key (longRun) from its own run: kept, as its RESULTS.md section is.
  const previousJson = join(ROOT, 'bench', 'results.json');
  const longRun = existsSync(previousJson) ? (JSON.parse(readFileSync(previousJson, 'utf8')) as { longRun?: unknown }).longRun : undefined;
  writeFileSync(join(into, 'results.json'), `${JSON.stringify({ ...resultsJson(results), ...(longRun === undefined ? {} : { longRun }) }, null, 2)}\n`);
  log(`wrote ${file.replace(ROOT, '.')} and results.json (${results.tookS} s)`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
