import { z } from 'zod';
import { LoadLevelSchema } from './load-evidence.ts';

/**
 * What the load suite measured, as stored in result.json (`load`) and drawn in report.html.
 * Built in Node from the load suite's per-iteration records (never from averages: scripts/load/README.md),
 * so the figures of several k6 instances merge exactly.
 */
export const EndpointStatsSchema = z.object({
  requests: z.number(),
  /** Transport errors (no HTTP status) plus 5xx answers. */
  errors: z.number(),
  errorRate: z.number(),
  minMs: z.number(),
  avgMs: z.number(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  /**
   * Answers that took at least each judged target (ms, as a string key → count): LD-P95/LD-P99 decide from
   * these counts. Absent in results written before the confidence rule.
   */
  atOrOverMs: z.record(z.string(), z.number()).optional(),
});
export type EndpointStats = z.infer<typeof EndpointStatsSchema>;

/** One second of the run. Latency percentiles are over both endpoints' requests that ended in that second. */
export const TimelinePointSchema = z.object({
  t: z.number(),
  /** Iterations per second the profile asked for at this second. */
  targetRate: z.number(),
  /** Iterations that ended (their last answer came) in this second. */
  achievedRate: z.number(),
  requests: z.number(),
  errors: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type TimelinePoint = z.infer<typeof TimelinePointSchema>;

export const HistogramBucketSchema = z.object({ fromMs: z.number(), toMs: z.number(), count: z.number() });

/** One step of the capacity profile. */
export const CapacityStepSchema = z.object({
  rate: z.number(),
  achievedRate: z.number(),
  p95Ms: z.number(),
  errorRate: z.number(),
  /** Share of the step's reserveFunds answered with a code other than 0000 (LD-DECLINES' rule). */
  declineRate: z.number().optional(),
  held: z.boolean(),
});
export type CapacityStep = z.infer<typeof CapacityStepSchema>;

/** How the bank answered reserveFunds under load: granted (0000), declined (any other answer) or an error. */
export const RESPONSE_KINDS = ['granted', 'declined', 'error'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

export const ResponseMixSchema = z.object({
  /** reserveFunds sent under load (one per iteration that reported). */
  reserves: z.number(),
  /** One row per HTTP status and responseCode; code '' when the answer had none (or none came). */
  codes: z.array(z.object({ kind: z.enum(RESPONSE_KINDS), status: z.number(), code: z.string(), count: z.number() })),
  /** Per second of the timeline (same t): reserveFunds answered in that second, and how many were declined. */
  perSecond: z.array(z.object({ t: z.number(), answers: z.number(), declines: z.number() })),
});
export type ResponseMix = z.infer<typeof ResponseMixSchema>;

export const LoadReportSchema = z.object({
  profile: z.string(),
  /** Planned arrival rate at its peak, iterations/s. */
  targetRate: z.number(),
  durationS: z.number(),
  iterations: z.number(),
  droppedIterations: z.number(),
  /** Iterations completed per second over the whole run, against the planned average. */
  achievedRate: z.number(),
  plannedIterations: z.number(),
  /** How late iterations started against their schedule. */
  scheduleLagMs: z.object({ p50: z.number(), p95: z.number(), max: z.number() }),
  /** Why the figures cannot certify (dropped iterations, rate below 95 % of target, saturated generator). */
  notHonest: z.array(z.string()),
  endpoints: z.object({ reserveFunds: EndpointStatsSchema, transactResult: EndpointStatsSchema }),
  timeline: z.array(TimelinePointSchema),
  histogram: z.array(HistogramBucketSchema),
  capacity: z
    .object({
      steps: z.array(CapacityStepSchema),
      highestRate: z.number().nullable(),
      /** Seconds each step lasted. */
      stepS: z.number().optional(),
    })
    .optional(),
  instances: z.number(),
  /** Records read (one per iteration; from k6 raw samples: their Point lines). */
  samples: z.number(),
  /**
   * The level the latency, error and decline figures were measured at: the profile, its peak rate and how
   * long it held that peak. Absent in results written before it was recorded.
   */
  level: LoadLevelSchema.optional(),
  /** The bank's declared production peak (load.expectedPeakRate), iterations/s; null when it declared none. */
  expectedPeakRate: z.number().nullable().optional(),
  /** True for `bankcert demo`: a demonstration load, not a certification of any production peak. */
  demo: z.boolean().optional(),
  /** reserveFunds response codes under load, from the per-iteration records (LD-DECLINES). */
  responses: ResponseMixSchema.optional(),
});
export type LoadReport = z.infer<typeof LoadReportSchema>;
