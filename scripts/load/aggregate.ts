import type { LoadReport } from '../../checks/load-report.ts';
import { LoadAccumulator, type Accumulated } from './accumulator.ts';
import { readLines } from './lines.ts';
import { buildHistogram, buildTimeline, endpointStats, scheduleLag } from './summarise.ts';

// The figures of a load run. Certification builds them from the load suite's own records
// (scripts/load/records.ts); aggregateLoad builds the same figures from k6's `--out json` files (one per k6
// instance when a run is split into execution segments), which `certify --k6-raw-samples` still writes.
// Several instances merge exactly: their raw durations are concatenated and the percentiles computed once
// over all of them, never averaged.
//
// From raw samples, memory is bounded by the sample count, not the file size: 17 bytes per request, 16 per
// iteration and 8 per schedule-lag sample, plus the timeline's fixed buffer. Lines are read one at a time
// and dropped.

export interface LoadPlan {
  profile: string;
  /** The arrival rate the profile asks for at t seconds after the start, iterations/s. */
  targetRateAt(tSeconds: number): number;
  durationS: number;
  plannedIterations: number;
  peakRate: number;
  /** k6 instances that produced the files, when not one file each. */
  instances?: number;
  /** Latency targets (ms) whose exceedances LD-P95/LD-P99 count, per endpoint (EndpointStats.atOrOverMs). */
  targetsMs?: readonly number[];
}

export type AggregatedLoad = Omit<LoadReport, 'notHonest' | 'capacity'> & {
  /** Lines that were not k6 JSON (a truncated last line when k6 was killed). Not part of LoadReport. */
  malformedLines: number;
  /** Request samples without a bankcert endpoint tag, left out of every figure. Not part of LoadReport. */
  untaggedRequests: number;
  /** Iterations k6 began (bankcert_started samples). Not part of LoadReport. */
  startedIterations: number;
  /** The timeline's t = 0 as epoch milliseconds (NaN without samples), to align other per-second figures. Not part of LoadReport. */
  t0EpochMs: number;
};

export async function aggregateLoad(files: readonly string[], plan: LoadPlan): Promise<AggregatedLoad> {
  const acc = new LoadAccumulator();
  // One file at a time: memory holds one line, never one file.
  for (const file of files) await readLines(file, (line) => acc.addLine(line));
  return loadFigures(acc, plan, files.length);
}

/** The figures of an accumulator: k6's raw samples (aggregateLoad) or the load suite's records (scripts/load/records.ts). */
export function loadFigures(acc: Accumulated, plan: LoadPlan, fileCount: number): AggregatedLoad {
  const hasSamples = acc.minTime <= acc.maxTime;
  const observedSeconds = hasSamples ? Math.floor((acc.maxTime - acc.minTime) / 1000) + 1 : 0;
  const seconds = Math.max(observedSeconds, Math.ceil(plan.durationS));
  // The timeline reads durations in arrival order; endpointStats sorts them in place, so it runs last.
  const timeline = hasSamples ? buildTimeline(acc, seconds, (t) => plan.targetRateAt(t)) : emptyTimeline(seconds, plan);
  const histogram = buildHistogram(acc);
  const report: AggregatedLoad = {
    profile: plan.profile,
    targetRate: plan.peakRate,
    durationS: plan.durationS,
    iterations: acc.iterations,
    droppedIterations: acc.droppedIterations,
    achievedRate: plan.durationS > 0 ? acc.iterations / plan.durationS : 0,
    plannedIterations: plan.plannedIterations,
    scheduleLagMs: scheduleLag(acc),
    endpoints: {
      reserveFunds: endpointStats(acc.requests.reserveFunds, plan.targetsMs),
      transactResult: endpointStats(acc.requests.transactResult, plan.targetsMs),
    },
    timeline,
    histogram,
    instances: plan.instances ?? fileCount,
    samples: acc.samples,
    malformedLines: acc.malformedLines,
    untaggedRequests: acc.untaggedRequests,
    startedIterations: acc.startedIterations,
    t0EpochMs: hasSamples ? acc.minEpochMs : Number.NaN,
  };
  return report;
}

function emptyTimeline(seconds: number, plan: LoadPlan): LoadReport['timeline'] {
  return Array.from({ length: seconds }, (_, t) => ({
    t,
    targetRate: plan.targetRateAt(t + 0.5),
    achievedRate: 0,
    requests: 0,
    errors: 0,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
  }));
}

/**
 * Exactly the LoadReport fields, for result.json: the aggregate's extra fields (counters) must not be
 * spread into the result, whose digest is checked against the schema-parsed copy.
 */
export function toLoadReport(aggregated: AggregatedLoad, notHonest: string[], capacity?: NonNullable<LoadReport['capacity']>): LoadReport {
  const { malformedLines: _malformed, untaggedRequests: _untagged, startedIterations: _started, t0EpochMs: _t0, ...figures } = aggregated;
  return capacity ? { ...figures, notHonest, capacity } : { ...figures, notHonest };
}
