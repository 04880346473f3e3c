import type { LoadReport } from '../../checks/load-report.ts';

export { cpuSampler } from './cpu.ts';

// When the generator did not offer the planned load, low latency proves nothing: the bank was simply asked
// less. These rules say why a run's figures cannot certify; the verdict turns them into "inconclusive".

/** Below this share of the planned average rate, the run did not test the profile it names. */
export const MIN_RATE_SHARE = 0.95;
/** At or above this busy fraction, the generator's own scheduling delays are in the latency figures. */
export const CPU_SATURATED = 0.95;

export type HonestyInput = Pick<LoadReport, 'droppedIterations' | 'achievedRate' | 'plannedIterations' | 'durationS'> & {
  /**
   * Iterations k6 began (bankcert_started). What the generator offered is what it started: a slow bank
   * leaves the last iterations unfinished when the run ends, which is the bank's figure, not the
   * generator's. Without it (0 or absent), completed iterations stand in.
   */
  startedIterations?: number;
};

export function honestyProblems(report: HonestyInput, opts: { cpuBusyMax?: number } = {}): string[] {
  const problems: string[] = [];
  const dropped = report.droppedIterations;
  if (dropped > 0) problems.push(`k6 dropped ${dropped} iteration${dropped === 1 ? '' : 's'}: the generator did not offer the planned load`);
  const planned = report.durationS > 0 ? report.plannedIterations / report.durationS : 0;
  const started = report.startedIterations ?? 0;
  const offered = started > 0 ? started / report.durationS : report.achievedRate;
  if (planned > 0 && offered < MIN_RATE_SHARE * planned) {
    problems.push(
      `${started > 0 ? 'started' : 'achieved'} ${rate(offered)} iterations/s, below ${MIN_RATE_SHARE * 100} % of the planned average of ${rate(planned)} iterations/s`,
    );
  }
  const cpu = opts.cpuBusyMax;
  if (cpu !== undefined && cpu >= CPU_SATURATED) problems.push(`the load generator's CPU was saturated (${Math.round(cpu * 100)}%)`);
  return problems;
}

function rate(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/**
 * Iterations k6 began whose records never arrived: the figures would leave them out. A profile run lets
 * every begun iteration finish (each request is bounded by the load timeout), so this means records were
 * lost: k6 cut short, or a distributed runner's log not collected whole.
 */
export function unreportedIterations(report: { startedIterations?: number; iterations: number }): string | undefined {
  const started = report.startedIterations ?? 0;
  const missing = started - report.iterations;
  if (missing <= 0) return undefined;
  return `k6 began ${started} iterations but ${missing} of them reported no record: the figures would leave ${missing === 1 ? 'it' : 'them'} out`;
}
