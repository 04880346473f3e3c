// bench/RESULTS.md from one bench run. The part after KEEP_MARKER (the before/after record of the
// hot-path work, written by people) is carried over from the previous file unchanged.

export const KEEP_MARKER = '<!-- Everything below this line is kept by `npm run bench`; everything above is rewritten. -->';

export interface ThroughputRun {
  round: number;
  /** wrk, wrk-50, bare-reserve, bare, floor, certify, certify-line, certify-raw, plain:NAME */
  tool: string;
  reqPerS: number;
  iterPerS: number;
  /** k6: share of failed requests; wrk: count of non-2xx answers. */
  failed: number;
  /** Busy fraction of the generator's core: wrk, or k6 plus the bench process (the CLI's reading of k6's output). */
  genCpu: number;
  /** The bench process's share of it: certify's own work on the records (reading, ledger, figures). */
  readerCpu?: number;
  /** Busy fraction of the bank's core. */
  bankCpu: number;
  /** CPU used by anything else on the machine meanwhile, in cores: noise in the figures when high. */
  otherCpu: number;
  /** Scenario events read from k6 (record lines). */
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
  /** bench/bare.js at the same rate against the same bank at the same time (signed, nothing else), nearest rank from its raw samples. */
  controlRequests: number;
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
  /** batches: the CLI's records file, a closed-model VU's lines of 100; k6log: one record per k6 JSON log line (a runner's log). */
  mode: 'batches' | 'k6log';
  fileMiB: number;
  records: number;
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
  /** Every part at full length: only such a run writes bench/RESULTS.md. */
  complete: boolean;
  machine: { cores: number; memoryGiB: number; cpu: string; kernel: string; pinned: string };
  versions: { node: string; k6: string; wrk: string };
  settings: {
    vus: number;
    durationS: number;
    warmupS: number;
    rounds: number;
    memoryVus: [number, number];
    latencyRate: number;
    latencyDurationS: number;
    scaleIterations: number;
    compare: string[];
  };
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
      const before = inRound
        .slice(0, i)
        .reverse()
        .find((x) => x.tool === 'bare');
      const after = inRound.slice(i + 1).find((x) => x.tool === 'bare');
      const refs = [before, after].map((x) => x?.k6CpuUsPerRequest).filter((x): x is number => x !== undefined && Number.isFinite(x));
      if (refs.length > 0) perRound.push(refs.reduce((a, b) => a + b, 0) / refs.length / r.k6CpuUsPerRequest);
    });
  }
  return { median: median(perRound), perRound };
}

export function toolMedian(
  runs: readonly ThroughputRun[],
  tool: string,
  field: 'reqPerS' | 'iterPerS' | 'genCpu' | 'bankCpu' | 'otherCpu' | 'readerCpu' = 'reqPerS',
): number {
  return median(runs.filter((r) => r.tool === tool).map((r) => r[field] ?? Number.NaN));
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
    'wrk-50': "wrk, reserveFunds only, 50 connections (the bank's ceiling)",
    'bare-reserve': 'bare k6 (bench/bare.js), reserveFunds only',
    bare: 'bare k6 (bench/bare.js), reserveFunds + transactResult',
    floor: 'floor: bare k6 + signing + a record line per 100 iterations',
    certify: "certify's load path (closed model, records in lines of 100), reserveFunds + transactResult",
    'certify-line': "certify's load path, one record per line (what every open-model VU writes)",
    'certify-raw': "certify's load path with --k6-raw-samples (k6's raw output on top)",
    'certify-unsigned': "certify's load path with signing off (a bank that checks no signature)",
  };
  return names[tool] ?? (tool.startsWith('plain:') ? `k6 alone on load.js build "${tool.slice(6)}"` : tool);
}

/** Latency accuracy: bankcert's percentile within 0.5 ms + 1 % of the delay of the control's. */
export function tolerance(latencyMs: number): number {
  return 0.5 + 0.01 * latencyMs;
}

export function withinTolerance(l: LatencyRow): boolean {
  return Math.abs(l.p50Ms - l.controlP50Ms) <= tolerance(l.latencyMs) && Math.abs(l.p95Ms - l.controlP95Ms) <= tolerance(l.latencyMs);
}

/** Report scale: at most this long and this much memory (MB = 10^6 bytes) for ten million request records. */
export const SCALE_LIMIT = { seconds: 30, megabytes: 300, requests: 10_000_000 };

const mb = (mib: number) => (mib * 2 ** 20) / 1e6;

/** bench/results.json: the figures under names that say what they are. */
export function resultsJson(r: BenchResults): Record<string, unknown> {
  const r2 = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : null);
  const ratioOf = (a: string, b = 'bare') => {
    const x = ratio(r.runs, a, b);
    return { median: r2(x.median), perRound: x.perRound.map(r2) };
  };
  const tools = [...new Set(r.runs.map((x) => x.tool))];
  return {
    writtenBy: 'npm run bench (bench/bench.ts); bench/RESULTS.md is the same run in words',
    date: r.date,
    tookS: r.tookS,
    complete: r.complete,
    machine: r.machine,
    versions: r.versions,
    settings: r.settings,
    goals: { certifyVsBareK6: RATIO_GOAL, latencyToleranceMs: '0.5 + 1 % of the delay, against the control', reportScale: SCALE_LIMIT },
    ratios: {
      certifyVsBareK6: { ...ratioOf('certify'), goal: RATIO_GOAL, met: ratio(r.runs, 'certify', 'bare').median >= RATIO_GOAL },
      certifyVsBareK6ByK6CpuPerRequest: (() => {
        const x = cpuRatio(r.runs, 'certify');
        return { median: r2(x.median), perRound: x.perRound.map(r2) };
      })(),
      certifyOneRecordPerLineVsBareK6: ratioOf('certify-line'),
      certifyUnsignedVsBareK6: ratioOf('certify-unsigned'),
      certifyWithK6RawSamplesVsBareK6: ratioOf('certify-raw'),
      floorVsBareK6: ratioOf('floor'),
      bareK6VsWrk: ratioOf('bare-reserve', 'wrk'),
      ...Object.fromEntries(tools.filter((t) => t.startsWith('plain:')).map((t) => [`plainK6OnBuild_${t.slice(6)}VsBareK6`, ratioOf(t)])),
    },
    requestsPerSecond: Object.fromEntries(tools.map((t) => [t, r2(toolMedian(r.runs, t))])),
    generatorCoreBusy: Object.fromEntries(tools.map((t) => [t, r2(toolMedian(r.runs, t, 'genCpu'))])),
    certifyOwnWorkCoreShare: r2(toolMedian(r.runs, 'certify', 'readerCpu')),
    latency: {
      met: r.latency.length > 0 && r.latency.every(withinTolerance),
      rows: r.latency.map((l) => ({
        delayMs: l.latencyMs,
        endpoint: l.endpoint,
        requests: l.requests,
        controlRequests: l.controlRequests,
        p50Ms: l.p50Ms,
        controlP50Ms: l.controlP50Ms,
        p95Ms: l.p95Ms,
        controlP95Ms: l.controlP95Ms,
        toleranceMs: tolerance(l.latencyMs),
        within: withinTolerance(l),
        certifyExit: l.exit,
        verdict: l.verdict,
      })),
    },
    reportScale: r.scale.map((s) => ({
      mode: s.mode,
      records: s.records,
      requestRecords: s.requests,
      seconds: s.totalS,
      aggregateSeconds: s.aggregateS,
      renderSeconds: s.renderS,
      peakRssMiB: s.peakRssMiB,
      peakRssMB: Math.round(mb(s.peakRssMiB)),
      fileMiB: Math.round(s.fileMiB),
      met: s.requests >= SCALE_LIMIT.requests && s.totalS <= SCALE_LIMIT.seconds && mb(s.peakRssMiB) <= SCALE_LIMIT.megabytes,
    })),
    memoryPerVuMiB: Object.fromEntries([...new Set(r.memory.map((m) => m.kind))].map((k) => [k, r2(perVuMiB(r.memory, k).perVu)])),
    startupMs: r.startup.map((s) => ({ what: s.what, median: Math.round(median(s.ms)), runs: s.ms.map(Math.round) })),
    bundles: r.bundles,
    runs: r.runs,
  };
}

export function renderResults(r: BenchResults, previous: string): string {
  const tools = [...new Set(r.runs.map((x) => x.tool))];
  const certifyVsBare = ratio(r.runs, 'certify', 'bare');
  const k6VsWrk = ratio(r.runs, 'bare-reserve', 'wrk');
  const lines: string[] = [];
  const p = (s = '') => lines.push(s);

  p('# bankcert harness benchmark');
  p();
  p(
    `Written by \`npm run bench\` on ${r.date} (the run took ${r.tookS} s)${r.complete ? '' : ' — a PARTIAL or QUICK run, not for the record'}. Every figure and ratio below comes from that one run; [results.json](results.json) holds the same figures by name.`,
  );
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
  p(
    `| settings | ${r.settings.vus} VUs = ${r.settings.vus} wrk connections; ${r.settings.durationS} s per throughput measurement after ${r.settings.warmupS} s of warm-up on a fresh reference bank; ${r.settings.rounds} rounds, contenders interleaved within each round |`,
  );
  for (const c of r.settings.compare) p(`| compared build | ${c} |`);
  p();

  p('## Figures');
  p();
  p(
    "Ratios are medians over the rounds; each round runs bare k6 between every two other contenders, and a contender's ratio is taken against the mean of the bare runs just before and after it, so the machine's drift cancels. \"certify's load path\" is the CLI's own code (scripts/run/scenario-run.ts with load-run.ts's `loadInstance`): k6 with exactly the arguments certify gives it, its records read, put in the ledger (ledger.ndjson) and the figures, all on the generator's core; only the schedule differs (a closed model of constant VUs, so the rate is the harness's own).",
  );
  p();
  p('| figure | value |');
  p('|---|---|');
  p(
    `| **certify's load path ÷ bare k6** (requests/s, same VUs, same bank; goal ≥ ${RATIO_GOAL}) | **${fixed(certifyVsBare.median)}** ${certifyVsBare.median >= RATIO_GOAL ? '(met)' : '(not met)'}; per round: ${certifyVsBare.perRound.map((v) => fixed(v)).join(', ')} |`,
  );
  const cpu = cpuRatio(r.runs, 'certify');
  p(
    `| certify ÷ bare k6 by k6 CPU per request (bare's µs ÷ certify's; steadier than the rate on a machine whose speed swings) | ${fixed(cpu.median)} (per round: ${cpu.perRound.map((x) => fixed(x)).join(', ')}) |`,
  );
  p(
    `| certify with one record per line (what every open-model VU writes) ÷ bare k6 | ${fixed(ratio(r.runs, 'certify-line', 'bare').median)} (per round: ${ratio(
      r.runs,
      'certify-line',
      'bare',
    )
      .perRound.map((x) => fixed(x))
      .join(', ')}) |`,
  );
  p(
    `| certify with signing off ÷ bare k6 (what the harness costs besides the signature) | ${fixed(ratio(r.runs, 'certify-unsigned', 'bare').median)} (per round: ${ratio(
      r.runs,
      'certify-unsigned',
      'bare',
    )
      .perRound.map((x) => fixed(x))
      .join(', ')}) |`,
  );
  p(`| certify with --k6-raw-samples ÷ bare k6 (once) | ${fixed(ratio(r.runs, 'certify-raw', 'bare').median)} |`);
  p(
    `| floor ÷ bare k6 (bare + signing + a record line per 100 iterations: the most a harness that signs and reports its records through k6's console can reach) | ${fixed(ratio(r.runs, 'floor', 'bare').median)} |`,
  );
  for (const t of tools.filter((t) => t.startsWith('plain:')))
    p(
      `| ${toolName(t)} ÷ bare k6 | ${fixed(ratio(r.runs, t, 'bare').median)} (per round: ${ratio(r.runs, t, 'bare')
        .perRound.map((x) => fixed(x))
        .join(', ')}) |`,
    );
  p(`| **bare k6 ÷ wrk** (reserveFunds only, same connections) | **${fixed(k6VsWrk.median)}** |`);
  for (const t of tools) {
    p(`| ${toolName(t)} | ${int(toolMedian(r.runs, t))} requests/s${t.startsWith('wrk') ? '' : ` (${int(toolMedian(r.runs, t, 'iterPerS'))} iterations/s)`} |`);
  }
  p(
    `| certify's own work (the bench process: k6's console file read, ledger, figures) | ${pct(toolMedian(r.runs, 'certify', 'readerCpu'))} of the generator's core, beside k6's ${pct(toolMedian(r.runs, 'certify', 'genCpu') - toolMedian(r.runs, 'certify', 'readerCpu'))} |`,
  );
  const bankMax = Math.max(toolMedian(r.runs, 'wrk'), toolMedian(r.runs, 'wrk-50'));
  p(
    `| the reference bank's own rate (wrk, one core) vs the harness | ${int(bankMax)} requests/s, against ${int(toolMedian(r.runs, 'bare'))} for bare k6 and ${int(toolMedian(r.runs, 'certify'))} for certify; the bank's core was ${pct(toolMedian(r.runs, 'bare', 'bankCpu'))} busy under bare k6 and ${pct(toolMedian(r.runs, 'certify', 'bankCpu'))} under certify while the generator's was ${pct(toolMedian(r.runs, 'bare', 'genCpu'))} / ${pct(toolMedian(r.runs, 'certify', 'genCpu'))}: the generator, not the bank, sets the pace |`,
  );
  for (const b of r.bundles) {
    const m = perVuMiB(r.memory, b.name === 'bankcert' ? 'bankcert' : b.name);
    p(
      `| k6 memory per VU, ${b.name === 'bankcert' ? 'bankcert bundle' : `build "${b.name.replace(/^plain:/, '')}"`} | ${fixed(m.perVu)} MiB (peak RSS ${int((m.low?.peakRssKiB ?? 0) / 1024)} MiB at ${m.low?.vus} VUs, ${int((m.high?.peakRssKiB ?? 0) / 1024)} MiB at ${m.high?.vus} VUs) |`,
    );
  }
  const bare = perVuMiB(r.memory, 'bench/bare.js');
  p(
    `| k6 memory per VU, bench/bare.js | ${fixed(bare.perVu)} MiB (peak RSS ${int((bare.low?.peakRssKiB ?? 0) / 1024)} MiB at ${bare.low?.vus} VUs, ${int((bare.high?.peakRssKiB ?? 0) / 1024)} MiB at ${bare.high?.vus} VUs) |`,
  );
  for (const b of r.bundles.filter((x, i, all) => all.findIndex((y) => y.path === x.path) === i))
    p(`| bundle size, ${b.path} | ${int(b.bytes)} bytes (${int(b.gzipBytes)} gzipped) |`);
  p(`| bench/bare.js | ${int(r.bareBytes)} bytes |`);
  for (const s of r.startup) p(`| command to first request: ${s.what} | ${int(median(s.ms))} ms (median of ${s.ms.map(int).join(', ')}) |`);
  for (const s of r.scale) {
    const ok = s.requests >= SCALE_LIMIT.requests && s.totalS <= SCALE_LIMIT.seconds && mb(s.peakRssMiB) <= SCALE_LIMIT.megabytes;
    p(
      `| report from ${int(s.requests)} request records (${s.mode === 'batches' ? 'records file, lines of 100' : "k6 log lines of one record each, as `report --merge` reads a runner's log"}; limit ${SCALE_LIMIT.seconds} s and ${SCALE_LIMIT.megabytes} MB) | ${fixed(s.totalS)} s (aggregate ${fixed(s.aggregateS)} s, render ${fixed(s.renderS)} s), peak RSS ${int(s.peakRssMiB)} MiB = ${int(mb(s.peakRssMiB))} MB ${ok ? '(met)' : '(NOT met)'} |`,
    );
  }
  const misses = r.latency.filter((l) => !withinTolerance(l));
  p(
    `| latency accuracy (bankcert's p50 and p95 within 0.5 ms + 1 % of the delay of a bare-k6 control's, same bank, same time) | ${r.latency.length === 0 ? 'n/a' : misses.length === 0 ? `met in all ${r.latency.length} rows` : `NOT met in ${misses.length} of ${r.latency.length} rows (see below)`} |`,
  );
  p();

  p('## Throughput, every measurement');
  p();
  p(
    "Closed model: each VU (wrk: connection) sends its next request as soon as the last one is answered. Generator core = wrk, or k6 plus the bench process (for certify: the CLI's work on the records; for the others: reading and dropping k6's console lines), both on one core. Others = CPU used by anything else on the machine meanwhile, in cores. The last round is the one-off measurements.",
  );
  p();
  p(
    '| round | contender | requests/s | ÷ neighbouring bare | iterations/s | k6 CPU per request | failed | generator core (of it, the CLI) | bank core | others | record lines read |',
  );
  p('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const x of r.runs) {
    const wrk = x.tool.startsWith('wrk');
    p(
      `| ${x.round} | ${x.tool} | ${int(x.reqPerS)} | ${x.bareRefPerS ? fixed(x.reqPerS / x.bareRefPerS) : ''} | ${wrk ? '' : int(x.iterPerS)} | ${wrk || !x.k6CpuUsPerRequest ? '' : `${int(x.k6CpuUsPerRequest)} µs`} | ${wrk ? `${x.failed} non-2xx` : pct(x.failed)} | ${pct(x.genCpu)}${x.readerCpu !== undefined && x.tool.startsWith('certify') ? ` (${pct(x.readerCpu)})` : ''} | ${pct(x.bankCpu)} | ${fixed(x.otherCpu)} | ${wrk ? '' : int(x.events)} |`,
    );
  }
  p();
  p(
    `certify ÷ bare per round: ${certifyVsBare.perRound.map((v) => fixed(v)).join(', ')}; bare k6 ÷ wrk per round: ${k6VsWrk.perRound.map((v) => fixed(v)).join(', ')}.`,
  );
  p();

  p('## Latency accuracy');
  p();
  p(
    `The reference bank delays every answer by the given time (\`--latency-ms\`); after a short signed warm-up of that bank, \`bankcert certify --suite load\` runs at ${r.settings.latencyRate} iterations/s for ${r.settings.latencyDurationS} s (signing on; enough answers for p99 to be judged, so the run can certify), and at the same time, against the same bank, a bare-k6 control (bench/bare.js, signed, nothing else) sends the same iterations at the same rate; its percentiles are nearest-rank over its raw samples of the requests that ended while certify's k6 ran (certify's first iteration to its last answer, from its records), as bankcert's are. Allowed: bankcert's p50 and p95 within 0.5 ms + 1 % of the delay of the control's.`,
  );
  p();
  p('| delay | endpoint | requests (control) | p50 | control p50 | p95 | control p95 | allowed | within | p50 / p95 − delay | certify exit |');
  p('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const l of r.latency) {
    p(
      `| ${l.latencyMs} ms | ${l.endpoint} | ${l.requests} (${l.controlRequests}) | ${fixed(l.p50Ms)} ms | ${fixed(l.controlP50Ms)} ms | ${fixed(l.p95Ms)} ms | ${fixed(l.controlP95Ms)} ms | ± ${fixed(tolerance(l.latencyMs))} ms | ${withinTolerance(l) ? 'yes' : '**no**'} | ${signed(l.p50Ms - l.latencyMs)} / ${signed(l.p95Ms - l.latencyMs)} ms | ${l.exit} (${l.verdict}) |`,
    );
  }
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
  p(
    `Synthetic load-suite records (scripts/load/synthetic.ts: ${int(r.settings.scaleIterations)} iterations over an hour, about 1 % slow, 1 % declined, 0.1 % errors) are read (scripts/load/records.ts, \`recordsFromFiles\`, as \`report --merge\` reads the runners' logs), aggregated and rendered (report.html, report.md, junit.xml) in a fresh process; peak RSS is that process's VmHWM. "batches" is a records file of 100 records per line (a closed-model VU's batches); "k6log" is one record per k6 JSON log line, as open-model VUs write them and a runner's \`kubectl logs\` holds them: the most parsing per record.`,
  );
  p();
  p('| mode | records | request records | file | read + aggregate | render | total | peak RSS | report.html |');
  p('|---|---|---|---|---|---|---|---|---|');
  for (const s of r.scale)
    p(
      `| ${s.mode} | ${int(s.records)} | ${int(s.requests)} | ${int(s.fileMiB)} MiB | ${fixed(s.aggregateS)} s | ${fixed(s.renderS)} s | ${fixed(s.totalS)} s | ${int(s.peakRssMiB)} MiB (${int(mb(s.peakRssMiB))} MB) | ${int(s.htmlKiB)} KiB |`,
    );
  p();

  p('## Commands');
  p();
  p(
    "As run (PORT: the fresh bank's port; $WORK: the bench's temporary folder; $OUT: a certify-like output folder; plan.json: the plan of one `certify --suite load` run against the reference bank, its URLs pointed at each fresh bank). The throughput bank runs without a signing secret so it does the same work for every contender; certify still signs every request. k6 runs through the CLI's own runner (scripts/run/k6-process.ts) with the console-file reader certify uses ($TMP: the runner's temporary folder).",
  );
  p();
  p('```sh');
  p('npm run bench   # node bench/run.mjs: build, install wrk if missing, bundle bench/*.ts, run pinned');
  p('taskset -c 0 node ./dist/bankcert.mjs bank --port 0 --quiet   # every throughput bank');
  for (const [label, command] of r.commands) p(`# ${label}\n${command}`);
  p('```');
  p();
  p(
    'Knobs (environment): BENCH_VUS, BENCH_DURATION_S, BENCH_WARMUP_S, BENCH_ROUNDS, BENCH_MEMORY_VUS_LOW/HIGH, BENCH_LATENCIES, BENCH_LATENCY_RATE, BENCH_LATENCY_DURATION_S, BENCH_SCALE_ITERATIONS, BENCH_COMPARE="name=path/to/load.js,…" (other builds, run by k6 alone; a name ending in +raw adds `--out json`), BENCH_ONLY=throughput,latency,memory,startup,scale, BENCH_QUICK=1, BENCH_NO_PIN=1.',
  );
  p();

  const kept = previous.includes(KEEP_MARKER)
    ? previous.slice(previous.indexOf(KEEP_MARKER) + KEEP_MARKER.length)
    : '\n\n## Before and after\n\n(none recorded yet)\n';
  return `${lines.join('\n')}\n${KEEP_MARKER}${kept}`;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;
}
