import type { Endpoint } from '../../checks/protocol.ts';
import { Float64Column, Uint8Column } from './column.ts';
import { classifyLine, createTimeParser, isErrorStatus, type Point } from './samples.ts';

// One pass over the samples keeps only what exact figures need: per request its duration, end time and
// error flag (17 bytes), per iteration its time and value (16 bytes), per schedule-lag sample its value.
// Times are kept (not pre-bucketed) because the run's t=0 is the earliest sample of *all* files, known only
// at the end; keeping them also gives exact per-second and per-step percentiles instead of estimates.

/** A column's values: a typed array of the pushed values in arrival order (sorting it sorts the column). */
export interface ColumnView<T extends ArrayLike<number> = ArrayLike<number>> {
  view(): T;
}

export interface RequestColumns {
  durations: ColumnView<Float64Array>;
  /** Milliseconds relative to the accumulator's own base (the same scale as minTime and maxTime). */
  times: ColumnView;
  /** 1 for a transport error or a 5xx. */
  errors: ColumnView<Uint8Array>;
  errorCount: number;
}

/**
 * What the figures are computed from (scripts/load/summarise.ts), whoever filled it: k6's raw samples
 * (LoadAccumulator, here) or the load suite's own records (RecordAccumulator, records.ts).
 */
export interface Accumulated {
  readonly requests: Record<Endpoint, RequestColumns>;
  /** Calls `fn` with when each iteration ended (on the scale of `times`) and how many iterations that entry stands for. */
  forEachIteration(fn: (time: number, count: number) => void): void;
  readonly scheduleLag: ColumnView<Float64Array | Int32Array>;
  /** scheduleLag holds this many units per millisecond (100: hundredths, kept as integers); absent: 1. */
  readonly scheduleLagPerMs?: number;
  iterations: number;
  droppedIterations: number;
  startedIterations: number;
  samples: number;
  malformedLines: number;
  untaggedRequests: number;
  minTime: number;
  maxTime: number;
  readonly minEpochMs: number;
}

interface RawRequestColumns extends RequestColumns {
  durations: Float64Column;
  /** Milliseconds relative to the first second the accumulator read (see createTimeParser), sub-millisecond precision kept. */
  times: Float64Column;
  errors: Uint8Column;
}

function requestColumns(): RawRequestColumns {
  return { durations: new Float64Column(), times: new Float64Column(), errors: new Uint8Column(), errorCount: 0 };
}

/** k6's raw samples (`--out json`), line by line. */
export class LoadAccumulator implements Accumulated {
  readonly requests: Record<Endpoint, RawRequestColumns> = { reserveFunds: requestColumns(), transactResult: requestColumns() };
  readonly iterationTimes = new Float64Column();
  readonly iterationValues = new Float64Column();

  forEachIteration(fn: (time: number, count: number) => void): void {
    const times = this.iterationTimes.view();
    const values = this.iterationValues.view();
    for (let i = 0; i < times.length; i++) fn(times[i] ?? 0, values[i] ?? 0);
  }
  readonly scheduleLag = new Float64Column();
  iterations = 0;
  droppedIterations = 0;
  /** Iterations begun (bankcert_started): with the ledger lines, tells whether any was cut short. */
  startedIterations = 0;
  /** Point lines read, of every metric. */
  samples = 0;
  malformedLines = 0;
  /** http_req_duration samples without a bankcert endpoint tag (setup or cleanup traffic): not load figures. */
  untaggedRequests = 0;
  /** Earliest and latest relevant sample, on the same relative scale as the times. */
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;
  readonly #parseTime = createTimeParser();

  /** The earliest relevant sample as epoch milliseconds (NaN without samples): the timeline's t = 0. */
  get minEpochMs(): number {
    return this.#parseTime.baseEpochMs() + this.minTime;
  }

  addLine(line: string): void {
    const read = classifyLine(line);
    if (read.kind === 'point') {
      this.samples += 1;
      this.addPoint(read.point);
    } else if (read.kind === 'other-point') {
      this.samples += 1;
    } else if (read.kind === 'malformed') {
      this.malformedLines += 1;
    }
  }

  addPoint(point: Point): void {
    const time = this.#parseTime(point.time);
    if (Number.isNaN(time)) {
      this.malformedLines += 1;
      return;
    }
    // t=0 is the first iteration's start (its schedule-lag sample), not k6's first `vus` point: k6 writes
    // that before initialising the VUs, which can take seconds and would shift every second of the run.
    if (point.metric === 'vus') return;
    if (time < this.minTime) this.minTime = time;
    if (time > this.maxTime) this.maxTime = time;
    switch (point.metric) {
      case 'http_req_duration':
        return this.#addRequest(point, time);
      case 'iterations':
        this.iterations += point.value;
        this.iterationTimes.push(time);
        this.iterationValues.push(point.value);
        return;
      case 'dropped_iterations':
        this.droppedIterations += point.value;
        return;
      case 'bankcert_schedule_lag':
        this.scheduleLag.push(point.value);
        return;
      case 'bankcert_started':
        this.startedIterations += point.value;
        return;
    }
  }

  #addRequest(point: Point, time: number): void {
    const endpoint = point.tags.endpoint;
    if (endpoint !== 'reserveFunds' && endpoint !== 'transactResult') {
      this.untaggedRequests += 1;
      return;
    }
    const columns = this.requests[endpoint];
    const error = isErrorStatus(point.tags.status);
    columns.durations.push(point.value);
    columns.times.push(time);
    columns.errors.push(error ? 1 : 0);
    if (error) columns.errorCount += 1;
  }
}
