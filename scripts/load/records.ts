import { decodeRecords, type IterationRecord, type LoadEndEvent } from '../../checks/load-records.ts';
import { EVENT_PREFIX, type ScenarioEvent } from '../../checks/events.ts';
import type { Endpoint } from '../../checks/protocol.ts';
import type { Accumulated, RequestColumns } from './accumulator.ts';
import { loadFigures, type AggregatedLoad, type LoadPlan } from './aggregate.ts';
import { Float64Column, Int32Column, Uint8Column } from './column.ts';
import { readLines } from './lines.ts';
import { ResponseCounter } from './responses.ts';

// The load figures from the load suite's own records (checks/load-records.ts), as the CLI reads them
// from k6 while it runs, or `report --merge` from the runners' logs. The figures are those k6's raw
// samples give (scripts/load/aggregate.ts): the durations are the very values k6 puts in its
// http_req_duration samples, so percentiles, exceedance counts, errors and the histogram are identical;
// the times are the VU's clock in whole milliseconds, where k6 stamps a sample in nanoseconds a few
// microseconds earlier, so a request ending within a millisecond of a second's edge may fall in the
// neighbouring second of the timeline.
//
// Memory: per request its duration, time and error flag (13 bytes), per iteration its schedule lag,
// whether it sent an outcome and its response kind (6 bytes): about 160 MB for ten million requests.

interface RecordRequestColumns extends RequestColumns {
  durations: Float64Column;
  /** Whole milliseconds after the accumulator's base (the first iteration's start it read). */
  times: Int32Column;
  errors: Uint8Column;
}

/** LD-ERRORS: no answer (status 0) or a 5xx. */
const isError = (status: number) => status === 0 || status >= 500;

export class RecordAccumulator implements Accumulated {
  readonly requests: Record<Endpoint, RecordRequestColumns>;
  /** Per iteration: 1 when it sent an outcome (its end is then the transactResult's, else the reserveFunds'). */
  readonly #outcomes: Uint8Column;
  /** Hundredths of a millisecond (the VU rounds the lag to them), as integers: half the memory of doubles. */
  readonly scheduleLag: Int32Column;
  readonly scheduleLagPerMs = 100;
  iterations = 0;
  droppedIterations = 0;
  startedIterations = 0;
  /** Records read (one per iteration). */
  samples = 0;
  malformedLines = 0;
  untaggedRequests = 0;
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;
  #base = Number.NaN;

  /** `capacity`: iterations expected (the planned ones), so that the columns need not grow. */
  constructor(capacity?: number) {
    const columns = (): RecordRequestColumns => ({
      durations: new Float64Column(capacity),
      times: new Int32Column(capacity),
      errors: new Uint8Column(capacity),
      errorCount: 0,
    });
    this.requests = { reserveFunds: columns(), transactResult: columns() };
    this.#outcomes = new Uint8Column(capacity);
    this.scheduleLag = new Int32Column(capacity);
  }

  /** The earliest iteration start as epoch milliseconds (NaN without records): the timeline's t = 0. */
  get minEpochMs(): number {
    return this.#base + this.minTime;
  }

  /** Epoch milliseconds the columns' times count from (NaN before the first record). */
  get baseEpochMs(): number {
    return this.#base;
  }

  add(r: IterationRecord): void {
    if (Number.isNaN(this.#base)) this.#base = r.startMs;
    const start = r.startMs - this.#base;
    if (start < this.minTime) this.minTime = start;
    this.#request(this.requests.reserveFunds, r.endMs - this.#base, r.durationMs, r.status);
    let end = r.endMs;
    if (r.outcome !== '') {
      this.#request(this.requests.transactResult, r.outcomeEndMs - this.#base, r.outcomeDurationMs, r.outcomeStatus);
      if (r.outcomeEndMs > end) end = r.outcomeEndMs;
    }
    this.#outcomes.push(r.outcome !== '' ? 1 : 0);
    if (end - this.#base > this.maxTime) this.maxTime = end - this.#base;
    this.iterations += 1;
    this.samples += 1;
    if (r.lagMs !== null) this.scheduleLag.push(Math.round(r.lagMs * 100));
  }

  /** An iteration ends with its last request: the records' columns hold both, in the order they were added. */
  forEachIteration(fn: (time: number, count: number) => void): void {
    const reserves = this.requests.reserveFunds.times.view();
    const outcomes = this.requests.transactResult.times.view();
    const sent = this.#outcomes.view();
    let j = 0;
    for (let i = 0; i < sent.length; i++) {
      let end = reserves[i] ?? 0;
      if (sent[i] === 1) {
        const outcome = outcomes[j++] ?? 0;
        if (outcome > end) end = outcome;
      }
      fn(end, 1);
    }
  }

  #request(columns: RecordRequestColumns, time: number, duration: number, status: number): void {
    const error = isError(status);
    columns.durations.push(duration);
    columns.times.push(time);
    columns.errors.push(error ? 1 : 0);
    if (error) columns.errorCount += 1;
  }
}

/**
 * Everything a load run's records feed: the latency figures and the response-code mix, plus k6's own
 * count of the iterations begun and dropped (one `end` event per k6 process).
 */
export class LoadRecords {
  readonly figures: RecordAccumulator;
  readonly responses: ResponseCounter;
  /** k6 processes whose end-of-test counts arrived. */
  ends = 0;
  #summarised = false;

  constructor(capacity?: number) {
    this.figures = new RecordAccumulator(capacity);
    // Each record adds one reserveFunds request and one answer to the mix, in the same order: the mix
    // reads its times from the reserveFunds column instead of keeping a copy.
    const figures = this.figures;
    this.responses = new ResponseCounter(capacity, { times: figures.requests.reserveFunds.times, baseEpochMs: () => figures.baseEpochMs });
  }

  add(records: readonly IterationRecord[]): void {
    for (const r of records) {
      this.figures.add(r);
      this.responses.add(r);
    }
  }

  end(e: LoadEndEvent): void {
    this.ends += 1;
    this.figures.startedIterations += e.started;
    this.figures.droppedIterations += e.dropped;
  }

  /**
   * The figures, as aggregateLoad gives them from raw samples. `instances`: the k6 processes that ran.
   * Once only: it sorts the duration columns in place (no copy of ten million durations), after which
   * they no longer line up with their times.
   */
  summarise(plan: LoadPlan, instances: number): AggregatedLoad {
    if (this.#summarised) throw new Error('LoadRecords.summarise: the figures were already computed (the columns are sorted in place)');
    this.#summarised = true;
    return loadFigures(this.figures, plan, instances);
  }
}

/**
 * The records of finished runs from files of event lines: the CLI's DIR/records-*.ndjson (one event per
 * line) or k6 JSON logs whose console messages are the events (a runner's `kubectl logs`). `roles`: the
 * plan's account roles (loadAccountRoles). Lines that are not load events are skipped. `also` gets every
 * batch too, as a run's `also` does (the capacity search's records over all steps).
 */
export async function recordsFromFiles(files: readonly string[], roles: readonly string[], capacity?: number, also?: LoadRecords): Promise<LoadRecords> {
  const records = new LoadRecords(capacity);
  for (const file of files) {
    await readLines(file, (line) => {
      const event = loadEventOf(line);
      if (event?.t === 'recs') {
        const batch = decodeRecords(event, roles);
        records.add(batch);
        also?.add(batch);
      } else if (event?.t === 'end') {
        records.end(event);
        also?.end(event);
      }
    });
  }
  return records;
}

/** The load event a line holds (as written by the CLI, or inside a k6 JSON log line), else undefined. */
export function loadEventOf(line: string): ScenarioEvent | undefined {
  if (!line.startsWith(EVENT_PREFIX) && !line.includes('"t\\":')) return undefined;
  try {
    const outer = JSON.parse(line) as { msg?: unknown; t?: unknown };
    if (typeof outer.t === 'string') return outer as ScenarioEvent;
    return typeof outer.msg === 'string' && outer.msg.startsWith(EVENT_PREFIX) ? (JSON.parse(outer.msg) as ScenarioEvent) : undefined;
  } catch {
    return undefined;
  }
}
