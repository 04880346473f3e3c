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
  return JSON.stringify({ type: 'Metric', data: { type, contains: type === 'trend' ? 'time' : 'default', tainted: null, thresholds: [], submetrics: null }, metric });
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
