/**
 * Load profiles as k6 ramping-arrival-rate stages (open model: the arrival rate is fixed by the
 * schedule, not by how fast the bank answers), plus the arithmetic the report needs: the target rate
 * at any second, the planned iteration count, and when iteration n was due (for schedule lag).
 */
export interface Stage {
  /** Iterations per second at the end of the stage. */
  target: number;
  durationS: number;
}

export interface LoadSchedule {
  profile: string;
  startRate: number;
  stages: Stage[];
}

export const PROFILES = ['smoke', 'load', 'stress', 'spike', 'soak', 'capacity'] as const;
export type Profile = (typeof PROFILES)[number];

/**
 * A run proves the bank's expected peak only when it held at least that rate this long (and the default
 * `load` profile holds it at least this long).
 */
export const PEAK_HOLD_S = 120;

/**
 * Iterations the default `load` profile holds its peak for, at least: enough that a bank whose true p99 is
 * over the target (3 % of answers slow, say) fails LD-P99 at 95 % confidence in practically every run
 * (for 3 %: all but about one run in a billion; scripts/load/confidence.test.ts), and that a compliant
 * bank with a rare slow answer still passes. A low peak therefore holds longer than PEAK_HOLD_S.
 */
export const MIN_PEAK_SAMPLES = 3_000;

/** Profiles defined relative to the expected rate: without load.rate they run at load.expectedPeakRate. */
export const PEAK_PROFILES: readonly Profile[] = ['load', 'stress', 'spike', 'soak'];

/** Defaults per profile: rate in iterations/s, duration of the main phase in seconds. */
export const PROFILE_DEFAULTS: Record<Profile, { rate: number; durationS: number; what: string }> = {
  smoke: { rate: 5, durationS: 20, what: 'a constant low rate: proves the path works under concurrency' },
  load: {
    rate: 20,
    durationS: PEAK_HOLD_S,
    what: `ramp to the expected peak, hold it at least ${PEAK_HOLD_S} s and ${MIN_PEAK_SAMPLES} iterations, ramp down`,
  },
  stress: { rate: 20, durationS: 120, what: 'ramp to twice the expected rate and hold' },
  spike: { rate: 20, durationS: 60, what: 'a quarter of the rate, a sudden spike to three times it, and back' },
  soak: { rate: 20, durationS: 1800, what: 'the expected rate held for a long time' },
  capacity: { rate: 5, durationS: 5, what: 'constant-rate steps, doubling then bisecting, to find the highest rate that meets the p95 target' },
};

/** The main phase's length when the config gives none: the `load` profile holds its peak for MIN_PEAK_SAMPLES iterations at least. */
export function defaultDurationS(profile: Profile, rate: number): number {
  if (profile === 'load') return Math.max(PEAK_HOLD_S, Math.ceil(MIN_PEAK_SAMPLES / rate));
  return PROFILE_DEFAULTS[profile].durationS;
}

export function scheduleFor(profile: Profile, rate: number, durationS: number): LoadSchedule {
  const ramp = Math.max(1, Math.min(30, Math.round(durationS / 4)));
  switch (profile) {
    case 'smoke':
    case 'soak':
    case 'capacity':
      return { profile, startRate: rate, stages: [{ target: rate, durationS }] };
    case 'load':
      return {
        profile,
        startRate: 0,
        stages: [
          { target: rate, durationS: ramp },
          { target: rate, durationS },
          { target: 0, durationS: Math.max(1, Math.round(ramp / 3)) },
        ],
      };
    case 'stress':
      return {
        profile,
        startRate: 0,
        stages: [
          { target: rate, durationS: ramp },
          { target: 2 * rate, durationS: ramp },
          { target: 2 * rate, durationS },
          { target: 0, durationS: Math.max(1, Math.round(ramp / 3)) },
        ],
      };
    case 'spike': {
      const base = Math.max(1, rate / 4);
      return {
        profile,
        startRate: base,
        stages: [
          { target: base, durationS: Math.round(durationS / 3) },
          { target: 3 * rate, durationS: 1 },
          { target: 3 * rate, durationS: Math.max(5, Math.round(durationS / 3)) },
          { target: base, durationS: 1 },
          { target: base, durationS: Math.round(durationS / 3) },
        ],
      };
    }
  }
}

export function totalDurationS(s: LoadSchedule): number {
  return s.stages.reduce((sum, st) => sum + st.durationS, 0);
}

export function peakRate(s: LoadSchedule): number {
  return Math.max(s.startRate, ...s.stages.map((st) => st.target));
}

/** Seconds the schedule spends at its peak rate (a ramp towards it does not count). */
export function holdAtPeakS(s: LoadSchedule): number {
  const peak = peakRate(s);
  let from = s.startRate;
  let held = 0;
  for (const st of s.stages) {
    if (from === peak && st.target === peak) held += st.durationS;
    from = st.target;
  }
  return held;
}

/** Whether a run at `level` proves the declared peak: at least that rate, held at least PEAK_HOLD_S. */
export function provesPeak(level: { rate: number; holdS: number }, expectedPeakRate: number): boolean {
  return level.rate >= expectedPeakRate && level.holdS >= PEAK_HOLD_S;
}

/** The arrival rate the schedule asks for at second t (linear within a stage, as k6 ramps it). */
export function targetRateAt(s: LoadSchedule, t: number): number {
  let from = s.startRate;
  let start = 0;
  for (const st of s.stages) {
    if (t < start + st.durationS) return from + ((st.target - from) * (t - start)) / st.durationS;
    start += st.durationS;
    from = st.target;
  }
  return 0;
}

/** Iterations the schedule plans: the area under the rate curve. */
export function plannedIterations(s: LoadSchedule): number {
  let from = s.startRate;
  let total = 0;
  for (const st of s.stages) {
    total += ((from + st.target) / 2) * st.durationS;
    from = st.target;
  }
  return Math.floor(total);
}

/**
 * Seconds after the start at which iteration n (0-based) was due: the time at which the area under the
 * rate curve reaches n + 1 (a linear ramp gives a quadratic area, solved per stage).
 */
export function dueAtS(s: LoadSchedule, n: number): number {
  let remaining = n + 1;
  let from = s.startRate;
  let start = 0;
  for (const st of s.stages) {
    const area = ((from + st.target) / 2) * st.durationS;
    if (remaining <= area) {
      const slope = (st.target - from) / st.durationS;
      if (Math.abs(slope) < 1e-12) return start + remaining / from;
      // slope/2 · x² + from · x − remaining = 0
      const x = (-from + Math.sqrt(from * from + 2 * slope * remaining)) / slope;
      return start + x;
    }
    remaining -= area;
    start += st.durationS;
    from = st.target;
  }
  return start;
}
