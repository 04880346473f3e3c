// k6 `--out json` lines for tests and the benchmark, in k6's own field order and time format
// (RFC 3339 with nanoseconds), so the fast path of samples.ts is what gets exercised.

export function k6Time(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const nanos = Math.min(999_999, Math.round((epochMs - whole) * 1e6)); // below the millisecond: 6 more digits
  const iso = new Date(whole).toISOString(); // ...T00:00:01.123Z
  return `${iso.slice(0, -1)}${String(nanos).padStart(6, '0')}Z`;
}

export function k6Point(metric: string, epochMs: number, value: number, tags: Record<string, string> | null = null): string {
  return JSON.stringify({ type: 'Point', data: { time: k6Time(epochMs), value, tags }, metric });
}

export function k6MetricDefinition(metric: string, type: 'trend' | 'counter' | 'gauge' | 'rate'): string {
  return JSON.stringify({
    type: 'Metric',
    data: { type, contains: type === 'trend' ? 'time' : 'default', tainted: null, thresholds: [], submetrics: null },
    metric,
  });
}

/** The tags k6 puts on an HTTP sample, plus bankcert's endpoint tag. */
export function requestTags(endpoint: string, status: number): Record<string, string> {
  return {
    endpoint,
    expected_response: String(status >= 200 && status < 400),
    group: '',
    method: 'POST',
    name: `https://bank.example/${endpoint}`,
    proto: 'HTTP/1.1',
    scenario: 'load',
    status: String(status),
    url: `https://bank.example/${endpoint}`,
  };
}

/**
 * A deterministic load run: `iterations` iterations spread evenly over `durationS`, each with a reserveFunds
 * and a transactResult request (durations from a small PRNG) and the other per-request metrics k6 writes,
 * which the aggregate must skip. About 10 lines per iteration, 2 of them request durations.
 */
export function* syntheticRun(options: { startMs: number; durationS: number; iterations: number; seed?: number }): Generator<string> {
  let state = options.seed ?? 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  yield k6MetricDefinition('http_req_duration', 'trend');
  yield k6MetricDefinition('iterations', 'counter');
  for (let i = 0; i < options.iterations; i++) {
    const t = options.startMs + (i * options.durationS * 1000) / options.iterations;
    for (const endpoint of ['reserveFunds', 'transactResult']) {
      const duration = 5 + random() * 40 + (random() < 0.01 ? 1500 : 0);
      const tags = requestTags(endpoint, random() < 0.001 ? 503 : 200);
      yield k6Point('http_reqs', t + duration, 1, tags);
      yield k6Point('http_req_duration', t + duration, duration, tags);
      yield k6Point('http_req_waiting', t + duration, duration * 0.9, tags);
      yield k6Point('data_sent', t + duration, 420, tags);
    }
    yield k6Point('iterations', t + 60, 1, { scenario: 'load' });
    yield k6Point('bankcert_schedule_lag', t, random() * 2, { scenario: 'load' });
  }
}

/**
 * The load suite's own records (checks/load-records.ts) for tests and the benchmark: `iterations`
 * iterations over `durationS`, spread over `vus` VUs, as record lines of `perLine` records each (1: what
 * the open model writes; 100: a closed-model VU's batches). `k6Log` wraps every line as k6's JSON log
 * does (the CLI's console file, a runner's `kubectl logs`). About 1 % of the answers are slow, 1 %
 * declined (no outcome), 0.1 % errors. Announcements and end-of-test lines included.
 */
export function* syntheticRecordLines(options: {
  startMs: number;
  durationS: number;
  iterations: number;
  perLine: number;
  vus: number;
  k6Log?: boolean;
  seed?: number;
}): Generator<string> {
  let state = options.seed ?? 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const wrap = (line: string) =>
    options.k6Log ? JSON.stringify({ level: 'info', msg: line, source: 'console', time: new Date(options.startMs).toISOString().slice(0, 19) + 'Z' }) : line;
  const { vus, perLine } = options;
  for (let v = 1; v <= vus; v++) yield wrap(JSON.stringify({ t: 'refs', prefix: `bc-synth-load-${v}-`, upto: perLine }));
  const seq = new Array<number>(vus + 1).fill(0);
  const written = new Array<number>(vus + 1).fill(0);
  const rows: string[][] = Array.from({ length: vus + 1 }, () => []);
  const bases = new Array<number>(vus + 1).fill(0);
  const flush = (v: number) => {
    const line = `{"t":"recs","prefix":"bc-synth-load-${v}-","from":${(written[v] ?? 0) + 1},"upto":${(seq[v] ?? 0) + perLine},"base":${bases[v]},"r":[${(rows[v] ?? []).join(',')}]}`;
    written[v] = seq[v] ?? 0;
    rows[v] = [];
    return wrap(line);
  };
  for (let i = 0; i < options.iterations; i++) {
    const v = (i % vus) + 1;
    const start = options.startMs + Math.floor((i * options.durationS * 1000) / options.iterations);
    const list = rows[v] as string[];
    if (list.length === 0) bases[v] = start;
    seq[v] = (seq[v] ?? 0) + 1;
    const base = bases[v] ?? start;
    const duration = Math.round((5 + random() * 40 + (random() < 0.01 ? 1500 : 0)) * 1e6) / 1e6;
    const status = random() < 0.001 ? 503 : 200;
    const declined = status === 200 && random() < 0.01;
    const end = start + Math.ceil(duration);
    const head = `[${i % 4},${start - base},${Math.round(random() * 300) / 100},${status},"${status === 200 ? (declined ? '2060' : '0000') : ''}","${status === 200 && !declined ? `bank-${i}` : ''}",${duration},${end - base}`;
    if (status === 200 && !declined) {
      const outcomeDuration = Math.round((2 + random() * 20) * 1e6) / 1e6;
      list.push(`${head},"2239",200,${outcomeDuration},${end + Math.ceil(outcomeDuration) - base}]`);
    } else list.push(`${head}]`);
    if (list.length >= perLine) yield flush(v);
  }
  for (let v = 1; v <= vus; v++) if ((rows[v] ?? []).length > 0) yield flush(v);
  yield wrap(JSON.stringify({ t: 'end', started: options.iterations, dropped: 0 }));
}
