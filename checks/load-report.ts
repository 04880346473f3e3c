import { z } from 'zod';

/**
 * What the load suite measured, as stored in result.json (`load`) and drawn in report.html.
 * Built in Node from k6's raw NDJSON samples (never from averages), so the figures of several k6
 * instances merge exactly.
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
});
export type EndpointStats = z.infer<typeof EndpointStatsSchema>;

/** One second of the run. Latency percentiles are over both endpoints' requests that ended in that second. */
export const TimelinePointSchema = z.object({
  t: z.number(),
  /** Iterations per second the profile asked for at this second. */
  targetRate: z.number(),
  /** Iterations that started in this second. */
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
  held: z.boolean(),
});
export type CapacityStep = z.infer<typeof CapacityStepSchema>;

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
  capacity: z.object({ steps: z.array(CapacityStepSchema), highestRate: z.number().nullable() }).optional(),
  instances: z.number(),
  samples: z.number(),
});
export type LoadReport = z.infer<typeof LoadReportSchema>;
