import type { EndpointStats, LoadReport, TimelinePoint } from '../../checks/load-report.ts';
import { type Accumulated, type RequestColumns } from './accumulator.ts';
import { ENDPOINTS } from '../../checks/protocol.ts';
import { nearestRank } from './stats.ts';

// Turns the accumulated columns into the figures of result.json. Order matters: the timeline reads
// durations in arrival order (paired with their times), so the per-endpoint columns are sorted last.

/**
 * Fixed histogram edges (ms): 25 buckets plus overflow, roughly logarithmic but on round numbers so the
 * 2 s target and the 5 s cut-off are bucket edges and two runs' histograms line up bucket for bucket.
 */
export const HISTOGRAM_EDGES_MS = [
  0, 1, 2, 3, 5, 7, 10, 20, 30, 50, 70, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 20000, 30000, 60000,
] as const;

/** `targetsMs`: the latency targets LD-P95/LD-P99 judge by; for each, how many requests took at least that long. */
export function endpointStats(columns: RequestColumns, targetsMs: readonly number[] = []): EndpointStats {
  const sorted = columns.durations.view().sort();
  const requests = sorted.length;
  const atOrOverMs = Object.fromEntries(targetsMs.map((ms) => [String(ms), requests - firstAtOrAbove(sorted, ms)]));
  if (requests === 0) return { requests: 0, errors: 0, errorRate: 0, minMs: 0, avgMs: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0, atOrOverMs };
  // Summed in sorted order, so the mean does not depend on the order the samples arrived in (instances, runners).
  let sumMs = 0;
  for (let i = 0; i < requests; i++) sumMs += sorted[i] ?? 0;
  return {
    atOrOverMs,
    requests,
    errors: columns.errorCount,
    errorRate: columns.errorCount / requests,
    minMs: sorted[0] ?? 0,
    avgMs: sumMs / requests,
    p50Ms: nearestRank(sorted, 50),
    p90Ms: nearestRank(sorted, 90),
    p95Ms: nearestRank(sorted, 95),
    p99Ms: nearestRank(sorted, 99),
    maxMs: sorted[requests - 1] ?? 0,
  };
}

/** Index of the first value ≥ ms in an ascending array (its length when there is none). */
function firstAtOrAbove(sorted: Float64Array, ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Durations sorted second by second at most this many at a time: the timeline's working memory (8 bytes each). */
export const TIMELINE_CHUNK = 1 << 20;

/**
 * Second t holds the requests that ended in [t, t+1) after the run's t=0, with exact nearest-rank
 * percentiles: each second's durations are gathered and sorted on their own. They are gathered for a
 * span of seconds at a time (a counting sort into at most TIMELINE_CHUNK values), one pass over the
 * requests per span, so a run of ten million requests needs an 8 MiB buffer, not a copy of every duration.
 */
export function buildTimeline(acc: Accumulated, seconds: number, targetRateAt: (t: number) => number, chunk = TIMELINE_CHUNK): TimelinePoint[] {
  const t0 = acc.minTime;
  const secondOf = (time: number) => Math.min(seconds - 1, Math.floor((time - t0) / 1000));
  const requests = new Uint32Array(seconds);
  const errors = new Uint32Array(seconds);
  for (const endpoint of ENDPOINTS) {
    const { times, errors: flags } = acc.requests[endpoint];
    const timeView = times.view();
    const flagView = flags.view();
    for (let i = 0; i < timeView.length; i++) {
      const s = secondOf(timeView[i] ?? 0);
      requests[s] = (requests[s] ?? 0) + 1;
      errors[s] = (errors[s] ?? 0) + (flagView[i] ?? 0);
    }
  }
  const percentiles = new Array<{ p50: number | null; p95: number | null; p99: number | null }>(seconds);
  let all = 0;
  for (let s = 0; s < seconds; s++) all += requests[s] ?? 0;
  const buffer = new Float64Array(Math.max(1, Math.min(chunk, all)));
  for (let from = 0; from < seconds;) {
    // The longest span of seconds whose requests fit the buffer (at least one second, whatever its size).
    let to = from + 1;
    let total = requests[from] ?? 0;
    while (to < seconds && total + (requests[to] ?? 0) <= buffer.length) total += requests[to++] ?? 0;
    const offsets = new Uint32Array(to - from + 1);
    for (let s = from; s < to; s++) offsets[s - from + 1] = (offsets[s - from] ?? 0) + (requests[s] ?? 0);
    const cursor = offsets.slice(0, to - from);
    const into = total <= buffer.length ? buffer : new Float64Array(total);
    for (const endpoint of ENDPOINTS) {
      const timeView = acc.requests[endpoint].times.view();
      const durationView = acc.requests[endpoint].durations.view();
      for (let i = 0; i < timeView.length; i++) {
        const s = secondOf(timeView[i] ?? 0);
        if (s < from || s >= to) continue;
        const at = cursor[s - from] ?? 0;
        into[at] = durationView[i] ?? 0;
        cursor[s - from] = at + 1;
      }
    }
    for (let s = from; s < to; s++) {
      const slice = into.subarray(offsets[s - from] ?? 0, offsets[s - from + 1] ?? 0).sort();
      const empty = slice.length === 0;
      percentiles[s] = { p50: empty ? null : nearestRank(slice, 50), p95: empty ? null : nearestRank(slice, 95), p99: empty ? null : nearestRank(slice, 99) };
    }
    from = to;
  }
  const achieved = new Float64Array(seconds);
  acc.forEachIteration((time, count) => {
    const s = secondOf(time);
    achieved[s] = (achieved[s] ?? 0) + count;
  });
  const timeline: TimelinePoint[] = [];
  for (let s = 0; s < seconds; s++) {
    const p = percentiles[s];
    timeline.push({
      t: s,
      // Mid-second: the rate a ramp asks for across [t, t+1), not at its edge.
      targetRate: targetRateAt(s + 0.5),
      achievedRate: achieved[s] ?? 0,
      requests: requests[s] ?? 0,
      errors: errors[s] ?? 0,
      p50Ms: p?.p50 ?? null,
      p95Ms: p?.p95 ?? null,
      p99Ms: p?.p99 ?? null,
    });
  }
  return timeline;
}

/** Both endpoints together, trimmed to the first and last non-empty bucket; the overflow bucket ends at the slowest answer. */
export function buildHistogram(acc: Accumulated): LoadReport['histogram'] {
  const edges = HISTOGRAM_EDGES_MS;
  const counts = new Array<number>(edges.length).fill(0); // last slot: ≥ 60 s
  let slowest = 0;
  for (const endpoint of ENDPOINTS) {
    const view = acc.requests[endpoint].durations.view();
    for (let i = 0; i < view.length; i++) {
      const v = view[i] ?? 0;
      if (v > slowest) slowest = v;
      const b = bucketOf(v);
      counts[b] = (counts[b] ?? 0) + 1;
    }
  }
  const first = counts.findIndex((c) => c > 0);
  if (first < 0) return [];
  let last = counts.length - 1;
  while ((counts[last] ?? 0) === 0) last -= 1;
  const buckets: LoadReport['histogram'] = [];
  for (let b = first; b <= last; b++) {
    const fromMs = edges[b] ?? 0;
    buckets.push({ fromMs, toMs: edges[b + 1] ?? Math.max(slowest, fromMs), count: counts[b] ?? 0 });
  }
  return buckets;
}

/** Index of the bucket [edges[b], edges[b+1]) holding `ms`, by binary search; negatives go to the first. */
function bucketOf(ms: number): number {
  const edges = HISTOGRAM_EDGES_MS;
  let lo = 0;
  let hi = edges.length - 1;
  if (ms >= (edges[hi] ?? 0)) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ms >= (edges[mid] ?? 0)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function scheduleLag(acc: Accumulated): LoadReport['scheduleLagMs'] {
  const sorted = acc.scheduleLag.view().sort();
  if (sorted.length === 0) return { p50: 0, p95: 0, max: 0 };
  // Divided, not multiplied: 240 / 100 is exactly the double "2.4" reads as.
  const perMs = acc.scheduleLagPerMs ?? 1;
  return { p50: nearestRank(sorted, 50) / perMs, p95: nearestRank(sorted, 95) / perMs, max: (sorted[sorted.length - 1] ?? 0) / perMs };
}
