// The load checks' observations for faults.test.ts, read from the pacer the server wraps reserveFunds in.
// Real load would take seconds per bank; load-faults.test.ts proves over HTTP that the server follows this pacer.
import type { FaultName } from './faults.ts';
import type { HttpReply } from './handlers.ts';
import { createReservePacer, DEFAULT_SERVICE_MS } from './load-faults.ts';
import { WaitLog } from './test-support.ts';

/** 500 consecutive requests hold every pattern's residue (mod 100 and mod 500) exactly once or more. */
export const LOAD_WINDOW = 500;

const ANSWERED: HttpReply = { status: 200, body: { responseCode: '0000' }, note: '0000' };

/** Nearest-rank percentile, as load tools report it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const over = (label: string, value: number, limitMs: number, limitText: string): string =>
  value < limitMs ? `${label} under ${limitText}` : `${label} ${value} ms`;

export async function observeLoad(faults: readonly FaultName[]): Promise<Map<string, string>> {
  const log = new WaitLog();
  // Every request arrives in the same instant: well over shed-load's 15 per second.
  const pace = createReservePacer(new Set(faults), { serviceMs: DEFAULT_SERVICE_MS, wait: log.wait, now: () => 0 });

  // One after another, so each request's latency is exactly the waits it asked for.
  const latencies: number[] = [];
  let errors = 0;
  let declines = 0;
  for (let n = 1; n <= LOAD_WINDOW; n++) {
    const asked = log.asked.length;
    const reply = await pace(n, () => ANSWERED);
    if (reply.status >= 500) errors += 1;
    else if (reply.body?.['responseCode'] !== '0000') declines += 1;
    latencies.push(log.asked.slice(asked).reduce((sum, ms) => sum + ms, 0));
  }

  // Three at once: a bank serving them side by side has its waits overlap, a queue never does.
  log.reset();
  await Promise.all([1, 2, 3].map((i) => pace(LOAD_WINDOW + i, () => ANSWERED)));
  const queued = log.asked.length > 1 && log.maxPending === 1;

  return new Map([
    ['LD-P95', over('p95', percentile(latencies, 95), 2_000, '2 s')],
    ['LD-P99', over('p99', percentile(latencies, 99), 2_000, '2 s')],
    ['LD-MAX', over('max', Math.max(...latencies), 5_000, '5 s')],
    ['LD-ERRORS', `5xx ${errors} of ${LOAD_WINDOW}`],
    ['LD-DECLINES', `declines ${declines} of ${LOAD_WINDOW}`],
    ['LD-CAPACITY', queued ? 'one at a time' : 'concurrently'],
  ]);
}
