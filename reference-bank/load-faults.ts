import type { FaultName } from './faults.ts';
import type { HttpReply } from './handlers.ts';

/**
 * The load faults' schedule. Every pattern is a function of n, the bank's count of reserveFunds requests
 * (1, 2, 3…), or for shed-load of the arrival times and a count, never of chance: a test can then say
 * exactly which request is slow or refused.
 */

/** Just over the 2 s target, so one slow answer is plainly slow and still far from the 5 s cut-off. */
export const SLOW_ANSWER_MS = 2_100;
/** Just past the platform's 5 s cut-off. */
export const PAST_CUTOFF_MS = 5_200;
export const DEFAULT_SERVICE_MS = 20;

export const SERVICE_UNAVAILABLE: HttpReply = { status: 503, body: { responseCode: '2090', message: 'service unavailable' }, note: '2090' };

/** shed-load: busy once more than this many reserveFunds arrived within the last second (this one included). */
export const SHED_ABOVE_PER_S = 15;
/** shed-load's answer: internal timeout, at once, with nothing reserved. */
export const SHED: HttpReply = { status: 200, body: { responseCode: '2060' }, note: '2060 (shed)' };

/** Milliseconds on a monotonic clock; tests inject their own. */
export type Clock = () => number;
export const realClock: Clock = () => performance.now();

/**
 * shed-load's decision for each arriving reserveFunds: true to shed it. While the bank is busy (more than
 * SHED_ABOVE_PER_S arrivals within the last second), 2 of every 5 busy arrivals are shed, by count.
 */
export function loadShedder(now: Clock): () => boolean {
  // The newest SHED_ABOVE_PER_S + 1 arrival times: whether the oldest of them is within the second is all that matters.
  const recent: number[] = [];
  let busy = 0;
  return () => {
    const at = now();
    recent.push(at);
    if (recent.length > SHED_ABOVE_PER_S + 1) recent.shift();
    if (recent.length <= SHED_ABOVE_PER_S || (recent[0] ?? at) <= at - 1_000) return false;
    busy += 1;
    return Math.floor((busy * 2) / 5) > Math.floor(((busy - 1) * 2) / 5);
  };
}

/** How the bank waits; tests inject a recorder so they can read the schedule without spending seconds. */
export type Wait = (ms: number) => Promise<void>;

export const realWait: Wait = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The extra wait before answering reserveFunds number n. */
export function delayFor(faults: ReadonlySet<FaultName>, n: number): number {
  if (faults.has('slow-every-answer')) return SLOW_ANSWER_MS;
  // n % 100 < 3 hits exactly 3 of every 100 consecutive requests: p99 is slow, p95 is not.
  if (faults.has('slow-tail') && n % 100 < 3) return SLOW_ANSWER_MS;
  // One in 500 sets the maximum and stays out of LD-P99's way: judged at 95 % confidence, one slow answer
  // in a run of 250–749 passes p99 from 473 answers on, two in 750–1249 from 628 (a rarer fault would need
  // longer runs to be seen at all). Mid-cycle (n = 250, 750, …) so a short run meets it once.
  if (faults.has('past-cutoff') && n % 500 === 250) return PAST_CUTOFF_MS;
  return 0;
}

/** Whether reserveFunds number n is refused with 503 before anything is decided (1 %, ten times the default limit). */
export function isUnavailable(faults: ReadonlySet<FaultName>, n: number): boolean {
  return faults.has('errors-5xx') && n % 100 === 50;
}

/** FIFO: each job starts when the one before it has settled, however that ended. */
export function serialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
}

export interface PacingOptions {
  serviceMs: number;
  wait: Wait;
  /** The clock shed-load counts arrivals by (default: performance.now). */
  now?: Clock;
}

/**
 * Wraps reserveFunds number n in the load faults. The decision is made before the wait, so a platform
 * that gave up at 5 s finds the reservation when it cancels by raasTxnRef: past-cutoff stays LD-MAX's fault only.
 */
export function createReservePacer(
  faults: ReadonlySet<FaultName>,
  options: PacingOptions,
): (n: number, decide: () => HttpReply | Promise<HttpReply>) => Promise<HttpReply> {
  const queued = faults.has('one-at-a-time') ? serialQueue() : <T>(job: () => Promise<T>): Promise<T> => job();
  const serviceMs = faults.has('one-at-a-time') ? options.serviceMs : 0;
  const shed = faults.has('shed-load') ? loadShedder(options.now ?? realClock) : () => false;
  return (n, decide) =>
    queued(async () => {
      // On arrival, before anything is decided: a shed request reserves nothing and waits for nothing.
      if (shed()) return SHED;
      if (isUnavailable(faults, n)) return SERVICE_UNAVAILABLE;
      const reply = await decide();
      const delay = delayFor(faults, n) + serviceMs;
      if (delay > 0) await options.wait(delay);
      return reply;
    });
}
