// The harness performance bench (`npm run bench`, started by bench/run.mjs). One run measures, against
// the reference bank on loopback: wrk, bare k6 (bench/bare.js) and bankcert's load scenario at the same
// connection/VU count, plus the floor of bankcert's design (bare + signing + 1 console line); k6 memory
// per VU; bundle size; start-up time; latency accuracy through `bankcert certify`; and the report build
// from 1,000,000 raw samples. Writes bench/RESULTS.md. Every loop is bounded; all traffic is 127.0.0.1.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { applyEdits, modify } from 'jsonc-parser';
import type { Plan } from '../checks/plan.ts';
import type { Result } from '../checks/result.ts';
import { starterConfigText } from '../scripts/config/starter.ts';
import { ensureK6, type K6 } from '../scripts/k6/toolchain.ts';
import { startK6 } from '../scripts/run/k6-process.ts';
import { busyCpuSeconds, cpuSeconds, runCommand, startBank, startTimestampServer, watch, type Bank } from './lib/procs.ts';
import { renderResults, type BenchResults, type LatencyRow, type MemoryRow, type ScaleRow, type StartupRow, type ThroughputRun } from './lib/results.ts';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const OUT = process.env.BENCH_OUT ?? join(ROOT, 'node_modules', '.cache', 'bankcert-bench');
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const VUS = num('BENCH_VUS', 10);
const DURATION_S = num('BENCH_DURATION_S', 6);
const WARMUP_S = num('BENCH_WARMUP_S', 2);
const ROUNDS = num('BENCH_ROUNDS', 4);
const MEMORY_VUS: [number, number] = [num('BENCH_MEMORY_VUS_LOW', 10), num('BENCH_MEMORY_VUS_HIGH', 210)];
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,50,500,1900').split(',').map(Number);
const SCALE_SAMPLES = num('BENCH_SCALE_SAMPLES', 1_000_000);
const BANKCERT_BUNDLE = join(ROOT, 'dist', 'scenarios', 'load.js');
/** Other builds of load.js to measure beside the current one: "name=path,name=path" (before/after a change). */
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
  if (!commands.has(label)) commands.set(label, command.replaceAll(work, '$WORK').replaceAll(ROOT, '.').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT'));
}

// ---- configs and plans -------------------------------------------------------------------------

function writeConfig(dir: string, baseUrl: string, edits: [string[], unknown][]): string {
  let text = starterConfigText();
  for (const [path, value] of [[['target', 'baseUrl'], baseUrl] as [string[], unknown], ...edits]) {
    text = applyEdits(text, modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  }
  const file = join(dir, 'bankcert.config.json');
  writeFileSync(file, text);
  return file;
}

/** A signed smoke-load config at 10 iterations/s against `baseUrl`. */
function smokeConfig(dir: string, baseUrl: string, duration: string): string {
  return writeConfig(dir, baseUrl, [
    [['signing', 'enabled'], true],
    [['signing', 'secretEnv'], SECRET_ENV],
    [['load', 'profile'], 'smoke'],
    [['load', 'rate'], 10],
    [['load', 'duration'], duration],
  ]);
}

/** The plan of a real `certify --suite load` run, pointed at another bank. */
function planFor(template: Plan, baseUrl: string): string {
  const plan: Plan = { ...template, target: { ...template.target, reserveFundsUrl: `${baseUrl}/reserveFunds`, transactResultUrl: `${baseUrl}/transactResult` } };
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
  bundle: string;
  bare: boolean;
  /** bare.js only. */
  mode?: 'iteration' | 'reserve';
  /** bare.js only: sign with this secret (BARE_SIGN, BARE_SECRET). */
  secret?: string;
  /** bare.js only: ledger-sized console lines per iteration (BARE_LEDGER_LINES). */
  ledgerLines?: number;
  /** bare.js only: open model at this many iterations/s (BARE_RATE) instead of constant VUs. */
  rate?: number;
  raw?: boolean;
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

async function runK6(k6: K6, spec: K6Spec, planFile: string, vus: number, durationS: number, bank: Bank | undefined): Promise<K6Measure> {
  const summary = join(work, 'summary.json');
  rmSync(summary, { force: true });
  const env: Record<string, string> = spec.bare
    ? {
        BANKCERT_PLAN_FILE: planFile,
        BARE_VUS: String(vus),
        BARE_DURATION_S: String(durationS),
        BARE_MODE: spec.mode ?? 'iteration',
        ...(spec.secret !== undefined ? { BARE_SIGN: '1', BARE_SECRET: spec.secret } : {}),
        ...(spec.ledgerLines ? { BARE_LEDGER_LINES: String(spec.ledgerLines) } : {}),
        ...(spec.rate ? { BARE_RATE: String(spec.rate) } : {}),
        BENCH_SUMMARY_FILE: summary,
      }
    : { BANKCERT_PLAN_FILE: planFile, BANKCERT_SECRETS: SECRETS_JSON, BANKCERT_BENCH_VUS: String(vus), BANKCERT_LOAD_SCHEDULE: schedule(durationS), BANKCERT_SUMMARY_FILE: summary };
  const args = [
    ...(spec.raw ? ['--out', `json=${join(work, 'raw.ndjson')}`, '--system-tags', 'status,error_code'] : []),
  ];
  const shownEnv = Object.entries(env)
    .filter(([k]) => !k.includes('SUMMARY'))
    .map(([k, v]) => `${k}=${k === 'BANKCERT_SECRETS' ? `'{"authCodes":{},"signingSecret":"…"}'` : /[{"]/.test(v) ? `'${v}'` : v}`)
    .join(' ');
  noteCommand(spec.label, `${shownEnv} k6 run --quiet --no-color --log-format=json --console-output=$TMP/console.ndjson ${args.join(' ')} ${spec.bundle}`.replace(/ +/g, ' '));
  let events = 0;
  const errors: string[] = [];
  const reader0 = process.cpuUsage();
  const bankCpu0 = bank ? (cpuSeconds(bank.pid) ?? 0) : 0;
  const busy0 = busyCpuSeconds();
  const started = performance.now();
  // startK6 is the CLI's own k6 runner: events are parsed from k6's stderr exactly as during certify.
  const run = startK6({
    k6,
    bundle: spec.bundle,
    env,
    args,
    onEvent: () => {
      events += 1; // read and dropped (the CLI keeps them; the bench only counts)
    },
    onLog: (line) => {
      if ((line.level === 'error' || line.level === 'fatal') && errors.length < 5) errors.push(line.msg);
    },
  });
  const watcher = run.pid !== undefined ? watch(run.pid) : undefined;
  const deadline = setTimeout(() => run.interrupt(), (durationS + 60) * 1000);
  await run.done;
  clearTimeout(deadline);
  const k6Figures = watcher?.stop() ?? { cpuS: 0, wallS: 0, peakRssKiB: 0 };
  const wallS = (performance.now() - started) / 1000;
  const reader = process.cpuUsage(reader0);
  const readerCpuS = (reader.user + reader.system) / 1e6;
  const bankCpuS = bank ? (cpuSeconds(bank.pid) ?? bankCpu0) - bankCpu0 : 0;
  const otherCpuS = Math.max(0, busyCpuSeconds() - busy0 - k6Figures.cpuS - readerCpuS - bankCpuS);
  if (!existsSync(summary)) throw new Error(`k6 (${spec.label}) wrote no summary: exit ${run.exitCode}; ${errors.join(' | ')}`);
  const metrics = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> }).metrics;
  return {
    metrics,
    reqPerS: metrics.http_reqs?.values.rate ?? 0,
    requests: metrics.http_reqs?.values.count ?? 0,
    iterPerS: metrics.iterations?.values.rate ?? 0,
    failed: metrics.http_req_failed?.values.rate ?? 0,
    events,
    k6: k6Figures,
    readerCpuS,
    bankCpuS,
    otherCpuS,
    wallS,
    errors,
  };
}

async function runWrk(plan: Plan, bank: Bank, connections: number, durationS: number, label = 'wrk'): Promise<{ reqPerS: number; non2xx: number; cpuS: number; bankCpuS: number; otherCpuS: number; wallS: number }> {
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
  await runK6(k6, { label: 'warm-up', bundle: BARE, bare: true, mode: 'iteration' }, planFile, vus, seconds, bank);
}

// ---- the parts of the run ----------------------------------------------------------------------

/** Signed warm-up (the latency banks check signatures): bare.js with the bench's secret, no ledger lines. */
async function warmUpSigned(k6: K6, planFile: string, bank: Bank): Promise<void> {
  await runK6(k6, { label: 'warm-up-signed', bundle: BARE, bare: true, mode: 'iteration', secret: SECRET }, planFile, 20, WARMUP_S, bank);
}

async function latencyAccuracy(k6: K6): Promise<{ rows: LatencyRow[]; plan: Plan; result: string }> {
  // The plan every other measurement reuses: one short `certify --suite load` against the reference bank.
  let plan: Plan;
  const resultFile = join(work, 'result.json');
  {
    const bank = await startBank(ROOT, ['--secret-env', SECRET_ENV], { [SECRET_ENV]: SECRET });
    try {
      const dir = mkdtempSync(join(work, 'plan-'));
      const config = smokeConfig(dir, bank.url, '2s');
      const out = join(dir, 'out');
      log('plan: certify --suite load once against the reference bank');
      const run = await runCommand(process.execPath, [CLI, 'certify', '--config', config, '--out', out, '--suite', 'load'], { env: { ...process.env, [SECRET_ENV]: SECRET }, timeoutMs: 180_000 });
      if (!existsSync(join(out, 'plan.json')) || !existsSync(join(out, 'result.json'))) throw new Error(`certify made no plan (exit ${run.code}): ${run.stdout}${run.stderr}`);
      plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as Plan;
      writeFileSync(resultFile, readFileSync(join(out, 'result.json')));
    } finally {
      await bank.stop();
    }
  }
  const rows: LatencyRow[] = [];
  for (const latencyMs of LATENCIES) {
    const bank = await startBank(ROOT, ['--latency-ms', String(latencyMs), '--secret-env', SECRET_ENV], { [SECRET_ENV]: SECRET });
    try {
      const dir = mkdtempSync(join(work, `latency-${latencyMs}-`));
      const config = smokeConfig(dir, bank.url, '10s');
      // A fresh bank's first requests measure V8 compiling the bank, not the harness: warm it first.
      const planFile = planFor(plan, bank.url);
      await warmUpSigned(k6, planFile, bank);
      // Control: bare k6 (signed, no checks, no ledger) on the same schedule against the same bank. What
      // it measures beyond the delay is the bank's own time and the machine's, not bankcert's.
      const control = await runK6(k6, { label: 'latency-control', bundle: BARE, bare: true, mode: 'iteration', secret: SECRET, rate: 10 }, planFile, 1, 10, bank);
      const out = join(dir, 'out');
      noteCommand('bank-latency', `${SECRET_ENV}=… node ${CLI} bank --port 0 --quiet --latency-ms ${latencyMs} --secret-env ${SECRET_ENV}`);
      noteCommand('certify', `${SECRET_ENV}=… node ${CLI} certify --config bankcert.config.json --out DIR --suite load   # config: starter + baseUrl, signing on, load {profile smoke, rate 10, duration "10s"}`);
      log(`latency accuracy: bank delays every answer ${latencyMs} ms, certify --suite load at 10/s for 10 s`);
      const run = await runCommand(process.execPath, [CLI, 'certify', '--config', config, '--out', out, '--suite', 'load'], { env: { ...process.env, [SECRET_ENV]: SECRET }, timeoutMs: 180_000 });
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
      const load = result.load;
      if (!load) throw new Error(`certify wrote no load figures (exit ${run.code}): ${run.stdout}${run.stderr}`);
      for (const endpoint of ['reserveFunds', 'transactResult'] as const) {
        const e = load.endpoints[endpoint];
        const c = control.metrics[`http_req_duration{endpoint:${endpoint}}`]?.values;
        rows.push({ latencyMs, endpoint, requests: e.requests, p50Ms: e.p50Ms, p95Ms: e.p95Ms, exit: run.code ?? -1, verdict: result.verdict, controlP50Ms: c?.med ?? Number.NaN, controlP95Ms: c?.['p(95)'] ?? Number.NaN });
      }
    } finally {
      await bank.stop();
    }
  }
  return { rows, plan, result: resultFile };
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
    { tool: 'bare-reserve', spec: { label: 'bare-reserve', bundle: BARE, bare: true, mode: 'reserve' } },
    { tool: 'bare', spec: { label: 'bare', bundle: BARE, bare: true, mode: 'iteration' } },
    { tool: 'floor', spec: { label: 'floor', bundle: BARE, bare: true, mode: 'iteration', secret: SECRET, ledgerLines: 1 } },
    { tool: 'bankcert', spec: { label: 'bankcert', bundle: BANKCERT_BUNDLE, bare: false } },
  );
  for (const c of COMPARE) list.push({ tool: `bankcert:${c.name}`, spec: { label: `bankcert:${c.name}`, bundle: c.bundle, bare: false } });
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
      run = { round, tool: c.tool, reqPerS: r.reqPerS, iterPerS: r.reqPerS, failed: r.non2xx, genCpu: r.cpuS / r.wallS, bankCpu: r.bankCpuS / r.wallS, otherCpu: r.otherCpuS / r.wallS, events: 0 };
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
        bankCpu: r.bankCpuS / r.wallS,
        otherCpu: r.otherCpuS / r.wallS,
        events: r.events,
        k6CpuUsPerRequest: r.requests > 0 ? (r.k6.cpuS * 1e6) / r.requests : Number.NaN,
      };
      if (c.spec.raw) rmSync(join(work, 'raw.ndjson'), { force: true });
    }
    log(`round ${round} ${c.tool}: ${Math.round(run.reqPerS)} requests/s (generator core ${Math.round(run.genCpu * 100)} %, bank core ${Math.round(run.bankCpu * 100)} %, others ${Math.round(run.otherCpu * 100)} %)`);
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
      const before = sequence.slice(0, i).reverse().find((x) => x.tool === 'bare');
      const after = sequence.slice(i + 1).find((x) => x.tool === 'bare');
      const refs = [before, after].filter((x): x is ThroughputRun => x !== undefined).map((x) => x.reqPerS);
      if (refs.length > 0) run.bareRefPerS = refs.reduce((a, b) => a + b, 0) / refs.length;
    });
    runs.push(...sequence);
  }
  // Once, for information: as certify runs it (raw samples written by k6 on top of the events), and the
  // bank's own ceiling (wrk with many connections).
  runs.push(await measure(k6, plan, { tool: 'bankcert-raw', spec: { label: 'bankcert-raw', bundle: BANKCERT_BUNDLE, bare: false, raw: true } }, 1));
  if (hasWrk()) runs.push(await measure(k6, plan, { tool: 'wrk-50' }, 1));
  return runs;
}

async function memory(k6: K6, plan: Plan): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  const bank = await startBank(ROOT, []);
  try {
    const planFile = planFor(plan, bank.url);
    const scripts: { kind: string; spec: K6Spec }[] = [
      { kind: 'bench/bare.js', spec: { label: 'memory-bare', bundle: BARE, bare: true } },
      { kind: 'bankcert', spec: { label: 'memory-bankcert', bundle: BANKCERT_BUNDLE, bare: false } },
      ...COMPARE.map((c) => ({ kind: `bankcert:${c.name}`, spec: { label: `memory-${c.name}`, bundle: c.bundle, bare: false } })),
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
      { what: `\`k6 run dist/scenarios/load.js\` (${VUS} VUs)`, start: () => runK6(k6, { label: 'startup-bankcert', bundle: BANKCERT_BUNDLE, bare: false }, planFile, VUS, 1, undefined) },
      ...COMPARE.map((c) => ({ what: `\`k6 run\` ${c.name} build of load.js (${VUS} VUs)`, start: () => runK6(k6, { label: `startup-${c.name}`, bundle: c.bundle, bare: false }, planFile, VUS, 1, undefined) })),
      { what: `\`k6 run bench/bare.js\` (${VUS} VUs)`, start: () => runK6(k6, { label: 'startup-bare', bundle: BARE, bare: true }, planFile, VUS, 1, undefined) },
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

async function reportScale(resultFile: string): Promise<ScaleRow[]> {
  const script = join(OUT, 'report-scale.mjs');
  const rows: ScaleRow[] = [];
  for (const mode of ['mixed', 'durations'] as const) {
    const file = join(work, `k6-${mode}.ndjson`);
    try {
      await runCommand(process.execPath, [script, 'generate', file, String(SCALE_SAMPLES), mode], { timeoutMs: 300_000 });
      const args = [script, 'build', file, resultFile];
      noteCommand(`scale-${mode}`, `node ${script} generate k6.ndjson ${SCALE_SAMPLES} ${mode} && node ${script} build k6.ndjson result.json`);
      const run = await runCommand(process.execPath, args, { timeoutMs: 300_000 });
      const figures = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Omit<ScaleRow, 'mode' | 'fileMiB'>;
      rows.push({ mode, fileMiB: statSync(file).size / 2 ** 20, ...figures });
      log(`report from ${SCALE_SAMPLES} samples (${mode}): ${figures.totalS} s, peak RSS ${figures.peakRssMiB} MiB`);
    } finally {
      rmSync(file, { force: true });
    }
  }
  return rows;
}

/** The fast ledger line must equal JSON.stringify's, in Node and in k6 (whose JSON.stringify is Sobek's). */
async function main(): Promise<void> {
  const started = Date.now();
  const k6 = await ensureK6((line) => log(line));
  log(`k6 ${k6.version} at ${k6.path}; ${VUS} VUs / connections, ${DURATION_S} s per measurement after ${WARMUP_S} s of warm-up, ${ROUNDS} rounds`);
  const latency = await latencyAccuracy(k6);
  const runs = await throughput(k6, latency.plan);
  const mem = await memory(k6, latency.plan);
  const start = await startup(k6, latency.plan);
  const scale = await reportScale(latency.result);
  const bundles = [{ name: 'bankcert', bundle: BANKCERT_BUNDLE }, ...COMPARE.map((c) => ({ name: `bankcert:${c.name}`, bundle: c.bundle }))];
  const results: BenchResults = {
    date: new Date().toISOString(),
    tookS: Math.round((Date.now() - started) / 1000),
    machine: {
      cores: cpus().length,
      memoryGiB: round1(totalmem() / 2 ** 30),
      cpu: cpus()[0]?.model.trim() ?? '?',
      kernel: release(),
      pinned:
        process.env.BENCH_BANK_CPU !== undefined
          ? `reference bank on core ${process.env.BENCH_BANK_CPU}; wrk, k6 and the bench process (which reads k6's event stream with the CLI's own reader, scripts/run/k6-process.ts) on core ${process.env.BENCH_GEN_CPU}`
          : 'not pinned',
    },
    versions: {
      node: process.version,
      k6: `${k6.version} (${k6.path.replace(ROOT, '.')})`,
      wrk: hasWrk() ? await versionOf('wrk', ['-v']) : 'not installed',
    },
    settings: { vus: VUS, durationS: DURATION_S, warmupS: WARMUP_S, rounds: ROUNDS, memoryVus: MEMORY_VUS, compare: COMPARE.map((c) => `${c.name}: ${c.bundle}`) },
    runs,
    latency: latency.rows,
    memory: mem,
    bundles: bundles.map((b) => ({ name: b.name, path: b.bundle.replace(ROOT, '.'), bytes: statSync(b.bundle).size, gzipBytes: gzipSync(readFileSync(b.bundle)).length })),
    bareBytes: statSync(BARE).size,
    startup: start,
    scale,
    commands: [...commands.entries()],
  };
  const file = join(ROOT, 'bench', 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, renderResults(results, previous));
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  log(`wrote bench/RESULTS.md (${results.tookS} s)`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
