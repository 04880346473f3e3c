// bench/RESULTS.md from one bench run. The part after KEEP_MARKER (the before/after record of the
// hot-path work, written by people) is carried over from the previous file unchanged.

export const KEEP_MARKER = '<!-- Everything below this line is kept by `npm run bench`; everything above is rewritten. -->';

export interface ThroughputRun {
  round: number;
  /** wrk, wrk-50, bare-reserve, bare, floor, bankcert, bankcert-raw, bankcert:NAME */
  tool: string;
  reqPerS: number;
  iterPerS: number;
  /** k6: share of failed requests; wrk: count of non-2xx answers. */
  failed: number;
  /** Busy fraction of the generator's core: wrk, or k6 plus the bench process reading k6's events. */
  genCpu: number;
  /** Busy fraction of the bank's core. */
  bankCpu: number;
  /** CPU used by anything else on the machine meanwhile, in cores: noise in the figures when high. */
  otherCpu: number;
  /** Scenario events read from k6 (ledger lines). */
  events: number;
  /** k6 process CPU time per request sent (start-up included), µs: steadier than the rate on a noisy machine. */
  k6CpuUsPerRequest?: number;
  /** Mean rate of the bare k6 runs just before and after this one (same round): its reference. */
  bareRefPerS?: number;
}

export interface LatencyRow {
  latencyMs: number;
  endpoint: 'reserveFunds' | 'transactResult';
  requests: number;
  p50Ms: number;
  p95Ms: number;
  exit: number;
  verdict: string;
  /** bench/bare.js on the same schedule against the same bank (signed, no checks, no ledger). */
  controlP50Ms: number;
  controlP95Ms: number;
}

export interface MemoryRow {
  kind: string;
  vus: number;
  peakRssKiB: number;
}

export interface StartupRow {
  what: string;
  ms: number[];
}

export interface ScaleRow {
  mode: 'mixed' | 'durations';
  fileMiB: number;
  samples: number;
  requests: number;
  aggregateS: number;
  renderS: number;
  totalS: number;
  peakRssMiB: number;
  htmlKiB: number;
  otherKiB: number;
}

export interface BenchResults {
  date: string;
  tookS: number;
  machine: { cores: number; memoryGiB: number; cpu: string; kernel: string; pinned: string };
  versions: { node: string; k6: string; wrk: string };
  settings: { vus: number; durationS: number; warmupS: number; rounds: number; memoryVus: [number, number]; compare: string[] };
  runs: ThroughputRun[];
  latency: LatencyRow[];
  memory: MemoryRow[];
  bundles: { name: string; path: string; bytes: number; gzipBytes: number }[];
  bareBytes: number;
  startup: StartupRow[];
  scale: ScaleRow[];
  commands: [string, string][];
}

export const RATIO_GOAL = 0.8;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)} %` : 'n/a');
const fixed = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

/**
 * Ratio a/b per round, then the median. Against bare k6 each run uses its own reference (the bare runs
 * measured just before and after it), so the machine's drift within a round cancels too.
 */
export function ratio(runs: readonly ThroughputRun[], a: string, b: string): { median: number; perRound: number[] } {
  const perRound: number[] = [];
  for (const r of runs.filter((x) => x.tool === a)) {
    if (b === 'bare' && r.bareRefPerS) {
      perRound.push(r.reqPerS / r.bareRefPerS);
      continue;
    }
    const other = runs.find((x) => x.tool === b && x.round === r.round);
    if (other && other.reqPerS > 0) perRound.push(r.reqPerS / other.reqPerS);
  }
  return { median: median(perRound), perRound };
}

/** bare's k6 CPU per request ÷ the tool's, per round (against the neighbouring bare runs), and the median. */
export function cpuRatio(runs: readonly ThroughputRun[], tool: string): { median: number; perRound: number[] } {
  const perRound: number[] = [];
  for (const round of [...new Set(runs.map((r) => r.round))]) {
    const inRound = runs.filter((r) => r.round === round);
    inRound.forEach((r, i) => {
      if (r.tool !== tool || !r.k6CpuUsPerRequest) return;
      const before = inRound.slice(0, i).reverse().find((x) => x.tool === 'bare');
      const after = inRound.slice(i + 1).find((x) => x.tool === 'bare');
      const refs = [before, after].map((x) => x?.k6CpuUsPerRequest).filter((x): x is number => x !== undefined && Number.isFinite(x));
      if (refs.length > 0) perRound.push(refs.reduce((a, b) => a + b, 0) / refs.length / r.k6CpuUsPerRequest);
    });
  }
  return { median: median(perRound), perRound };
}

export function toolMedian(runs: readonly ThroughputRun[], tool: string, field: 'reqPerS' | 'iterPerS' | 'genCpu' | 'bankCpu' | 'otherCpu' = 'reqPerS'): number {
  return median(runs.filter((r) => r.tool === tool).map((r) => r[field]));
}

export function perVuMiB(memory: readonly MemoryRow[], kind: string): { low?: MemoryRow; high?: MemoryRow; perVu: number } {
  const rows = memory.filter((m) => m.kind === kind).sort((a, b) => a.vus - b.vus);
  const low = rows[0];
  const high = rows[rows.length - 1];
  const perVu = low && high && high.vus > low.vus ? (high.peakRssKiB - low.peakRssKiB) / 1024 / (high.vus - low.vus) : Number.NaN;
  return { ...(low ? { low } : {}), ...(high ? { high } : {}), perVu };
}

function toolName(tool: string): string {
  const names: Record<string, string> = {
    wrk: 'wrk, reserveFunds only',
    'wrk-50': 'wrk, reserveFunds only, 50 connections (the bank\'s ceiling)',
    'bare-reserve': 'bare k6 (bench/bare.js), reserveFunds only',
    bare: 'bare k6 (bench/bare.js), reserveFunds + transactResult',
    floor: 'floor: bare k6 + signing + 1 ledger line per iteration (console file)',
    bankcert: 'bankcert load scenario (closed model), reserveFunds + transactResult',
    'bankcert-raw': 'bankcert load scenario + raw samples (`--out json`, as certify runs it)',
  };
  return names[tool] ?? (tool.startsWith('bankcert:') ? `bankcert load scenario, build "${tool.slice(9)}"` : tool);
}

export function renderResults(r: BenchResults, previous: string): string {
  const tools = [...new Set(r.runs.map((x) => x.tool))];
  const bankcertVsBare = ratio(r.runs, 'bankcert', 'bare');
  const k6VsWrk = ratio(r.runs, 'bare-reserve', 'wrk');
  const lines: string[] = [];
  const p = (s = '') => lines.push(s);

  p('# bankcert harness benchmark');
  p();
  p(`Written by \`npm run bench\` on ${r.date} (the run took ${r.tookS} s). Every figure and ratio below comes from that one run.`);
  p();
  p('## Machine and versions');
  p();
  p('| | |');
  p('|---|---|');
  p(`| cores (nproc) | ${r.machine.cores} |`);
  p(`| memory | ${r.machine.memoryGiB} GiB |`);
  p(`| CPU model | ${r.machine.cpu} |`);
  p(`| kernel | ${r.machine.kernel} |`);
  p(`| placement | ${r.machine.pinned} |`);
  p(`| node | ${r.versions.node} |`);
  p(`| k6 | ${r.versions.k6} |`);
  p(`| wrk | ${r.versions.wrk} |`);
  p(`| settings | ${r.settings.vus} VUs = ${r.settings.vus} wrk connections; ${r.settings.durationS} s per throughput measurement after ${r.settings.warmupS} s of warm-up on a fresh reference bank; ${r.settings.rounds} rounds, contenders interleaved within each round |`);
  for (const c of r.settings.compare) p(`| compared build | ${c} |`);
  p();

  p('## Figures');
  p();
  p('Ratios are medians over the rounds; each round runs bare k6 between every two other contenders, and a contender\'s ratio is taken against the mean of the bare runs just before and after it, so the machine\'s drift cancels.');
  p();
  p('| figure | value |');
  p('|---|---|');
  p(`| **bankcert ÷ bare k6** (requests/s, same VUs, same bank; goal ≥ ${RATIO_GOAL}) | **${fixed(bankcertVsBare.median)}** ${bankcertVsBare.median >= RATIO_GOAL ? '(met)' : '(not met)'} |`);
  for (const t of tools.filter((t) => t.startsWith('bankcert:'))) p(`| ${toolName(t)} ÷ bare k6 | ${fixed(ratio(r.runs, t, 'bare').median)} |`);
  p(`| **bare k6 ÷ wrk** (reserveFunds only, same connections) | **${fixed(k6VsWrk.median)}** |`);
  const cpu = cpuRatio(r.runs, 'bankcert');
  p(`| bankcert ÷ bare k6 by k6 CPU per request (bare's µs ÷ bankcert's; steadier than the rate on a machine whose speed swings) | ${fixed(cpu.median)} (per round: ${cpu.perRound.map((x) => fixed(x)).join(', ')}) |`);
  p(`| floor ÷ bare k6 (the most a harness that signs and writes one console line per iteration can reach) | ${fixed(ratio(r.runs, 'floor', 'bare').median)} |`);
  for (const t of tools) {
    p(`| ${toolName(t)} | ${int(toolMedian(r.runs, t))} requests/s${t.startsWith('wrk') ? '' : ` (${int(toolMedian(r.runs, t, 'iterPerS'))} iterations/s)`} |`);
  }
  const bankMax = Math.max(toolMedian(r.runs, 'wrk'), toolMedian(r.runs, 'wrk-50'));
  p(`| the reference bank's own rate (wrk, one core) vs the harness | ${int(bankMax)} requests/s, against ${int(toolMedian(r.runs, 'bare'))} for bare k6 and ${int(toolMedian(r.runs, 'bankcert'))} for bankcert; the bank's core was ${pct(toolMedian(r.runs, 'bare', 'bankCpu'))} busy under bare k6 and ${pct(toolMedian(r.runs, 'bankcert', 'bankCpu'))} under bankcert while the generator's was ${pct(toolMedian(r.runs, 'bare', 'genCpu'))} / ${pct(toolMedian(r.runs, 'bankcert', 'genCpu'))}: the generator, not the bank, sets the pace |`);
  for (const b of r.bundles) {
    const m = perVuMiB(r.memory, b.name);
    p(`| k6 memory per VU, ${b.name === 'bankcert' ? 'bankcert bundle' : `build "${b.name.replace(/^bankcert:/, '')}"`} | ${fixed(m.perVu)} MiB (peak RSS ${int((m.low?.peakRssKiB ?? 0) / 1024)} MiB at ${m.low?.vus} VUs, ${int((m.high?.peakRssKiB ?? 0) / 1024)} MiB at ${m.high?.vus} VUs) |`);
  }
  const bare = perVuMiB(r.memory, 'bench/bare.js');
  p(`| k6 memory per VU, bench/bare.js | ${fixed(bare.perVu)} MiB (peak RSS ${int((bare.low?.peakRssKiB ?? 0) / 1024)} MiB at ${bare.low?.vus} VUs, ${int((bare.high?.peakRssKiB ?? 0) / 1024)} MiB at ${bare.high?.vus} VUs) |`);
  for (const b of r.bundles) p(`| bundle size, ${b.path} | ${int(b.bytes)} bytes (${int(b.gzipBytes)} gzipped) |`);
  p(`| bench/bare.js | ${int(r.bareBytes)} bytes |`);
  for (const s of r.startup) p(`| command to first request: ${s.what} | ${int(median(s.ms))} ms (median of ${s.ms.map(int).join(', ')}) |`);
  for (const s of r.scale) {
    p(`| report from ${int(s.samples)} raw samples (${s.mode === 'mixed' ? "k6's usual mix" : 'all request durations'}, ${int(s.requests)} requests) | ${fixed(s.totalS)} s (aggregate ${fixed(s.aggregateS)} s, render ${fixed(s.renderS)} s), peak RSS ${int(s.peakRssMiB)} MiB |`);
  }
  const misses = r.latency.filter((l) => !withinTolerance(l));
  const worst = Math.max(...r.latency.map((l) => Math.max(Math.abs(l.p50Ms - l.latencyMs), Math.abs(l.p95Ms - l.latencyMs)) - tolerance(l.latencyMs)));
  p(`| latency accuracy (p50 and p95 − injected delay within 2 ms + 1 %) | ${r.latency.length === 0 ? 'n/a' : misses.length === 0 ? `met at every delay (closest to the limit: ${fixed(-worst)} ms to spare)` : `NOT met in ${misses.length} of ${r.latency.length} rows (see below)`} |`);
  p();

  p('## Throughput, every measurement');
  p();
  p("Closed model: each VU (wrk: connection) sends its next request as soon as the last one is answered. Generator core = wrk, or k6 plus the bench process reading k6's event stream (both on one core). Others = CPU used by anything else on the machine meanwhile, in cores.");
  p();
  p('| round | contender | requests/s | ÷ neighbouring bare | iterations/s | k6 CPU per request | failed | generator core | bank core | others | events read |');
  p('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const x of r.runs) {
    const wrk = x.tool.startsWith('wrk');
    p(`| ${x.round} | ${x.tool} | ${int(x.reqPerS)} | ${x.bareRefPerS ? fixed(x.reqPerS / x.bareRefPerS) : ''} | ${wrk ? '' : int(x.iterPerS)} | ${wrk || !x.k6CpuUsPerRequest ? '' : `${int(x.k6CpuUsPerRequest)} µs`} | ${wrk ? `${x.failed} non-2xx` : pct(x.failed)} | ${pct(x.genCpu)} | ${pct(x.bankCpu)} | ${fixed(x.otherCpu)} | ${wrk ? '' : int(x.events)} |`);
  }
  p();
  p(`bankcert ÷ bare per round: ${bankcertVsBare.perRound.map((v) => fixed(v)).join(', ')}; bare k6 ÷ wrk per round: ${k6VsWrk.perRound.map((v) => fixed(v)).join(', ')}.`);
  p();

  p('## Latency accuracy');
  p();
  p('The reference bank delays every answer by the given time (`--latency-ms`); after a short signed warm-up of that bank, `bankcert certify --suite load` runs at 10 iterations/s for 10 s (signing on). Error = measured − injected; allowed: 2 ms + 1 % of the delay.');
  p();
  p('| delay | endpoint | requests | p50 | p50 error | p95 | p95 error | allowed | within | bare k6 p50 / p95 error (control) | certify exit |');
  p('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const l of r.latency) {
    p(`| ${l.latencyMs} ms | ${l.endpoint} | ${l.requests} | ${fixed(l.p50Ms)} ms | ${signed(l.p50Ms - l.latencyMs)} ms | ${fixed(l.p95Ms)} ms | ${signed(l.p95Ms - l.latencyMs)} ms | ${fixed(tolerance(l.latencyMs))} ms | ${withinTolerance(l) ? 'yes' : '**no**'} | ${signed(l.controlP50Ms - l.latencyMs)} / ${signed(l.controlP95Ms - l.latencyMs)} ms | ${l.exit} (${l.verdict}) |`);
  }
  p();
  p("The control is bench/bare.js at the same 10 iterations/s (signed, nothing else) against the same bank just before: whatever error it shows too is the bank's own time and the machine's wake-up latency at a low rate, not bankcert's measurement. k6's p(95) interpolates; bankcert's report uses nearest rank.");
  p();

  p('## Memory');
  p();
  p('Peak RSS of the k6 process (VmHWM from /proc/PID/status, read every 20 ms) for a 3 s closed-model run; per VU = difference ÷ difference in VUs.');
  p();
  p('| script | VUs | peak RSS |');
  p('|---|---|---|');
  for (const m of r.memory) p(`| ${m.kind} | ${m.vus} | ${fixed(m.peakRssKiB / 1024, 1)} MiB |`);
  p();

  p('## Report scale');
  p();
  p("A synthetic k6 `--out json` file (scripts/load/synthetic.ts) is aggregated (scripts/load/aggregate.ts) and rendered (report.html, report.md, junit.xml) in a fresh process; peak RSS is that process's VmHWM.");
  p();
  p('| samples | kind | file | aggregate | render | total | peak RSS | report.html |');
  p('|---|---|---|---|---|---|---|---|');
  for (const s of r.scale) p(`| ${int(s.samples)} | ${s.mode} | ${int(s.fileMiB)} MiB | ${fixed(s.aggregateS)} s | ${fixed(s.renderS)} s | ${fixed(s.totalS)} s | ${int(s.peakRssMiB)} MiB | ${int(s.htmlKiB)} KiB |`);
  p();

  p('## Commands');
  p();
  p("As run (PORT: the fresh bank's port; $WORK: the bench's temporary folder; plan.json: the plan of one `certify --suite load` run against the reference bank, its URLs pointed at each fresh bank). The throughput bank runs without a signing secret so it does the same work for every contender; bankcert still signs every request. k6 runs through the CLI's own runner (scripts/run/k6-process.ts): the same arguments and the same console-file reader as `certify` ($TMP: the runner's temporary folder).");
  p();
  p('```sh');
  p('npm run bench   # node bench/run.mjs: build, install wrk if missing, bundle bench/*.ts, run pinned');
  p('taskset -c 0 node ./dist/bankcert.mjs bank --port 0 --quiet   # every throughput bank');
  for (const [label, command] of r.commands) p(`# ${label}\n${command}`);
  p('```');
  p();
  p('Knobs (environment): BENCH_VUS, BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_ROUNDS, BENCH_MEMORY_VUS_LOW/HIGH, BENCH_LATENCIES, BENCH_SCALE_SAMPLES, BENCH_COMPARE="name=path/to/load.js,…" (measure other builds beside the current one), BENCH_NO_PIN=1.');
  p();

  const kept = previous.includes(KEEP_MARKER) ? previous.slice(previous.indexOf(KEEP_MARKER) + KEEP_MARKER.length) : '\n\n## Before and after the hot-path work\n\n(none recorded yet)\n';
  return `${lines.join('\n')}\n${KEEP_MARKER}${kept}`;
}

function tolerance(latencyMs: number): number {
  return 2 + 0.01 * latencyMs;
}

function withinTolerance(l: LatencyRow): boolean {
  return Math.abs(l.p50Ms - l.latencyMs) <= tolerance(l.latencyMs) && Math.abs(l.p95Ms - l.latencyMs) <= tolerance(l.latencyMs);
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;
}
