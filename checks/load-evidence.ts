import { z } from 'zod';

/**
 * What a load check's row carries besides its status: the level the figures were measured at and, for
 * LD-P95/LD-P99, the exceedance counts with their confidence bounds. Data only; reports/summary.ts
 * turns them into the row's words ("p95 412 ms … at 40 iterations/s held 120 s (load profile)").
 */

export const LoadLevelSchema = z.object({
  /** The profile that produced the figures ("load", "smoke", …; "capacity" for the capacity search). */
  profile: z.string(),
  /** Peak arrival rate of the run, iterations/s (the capacity search: its highest step). */
  rate: z.number(),
  /** Seconds the run held that peak rate (the capacity search: the length of one step). */
  holdS: z.number(),
});
export type LoadLevel = z.infer<typeof LoadLevelSchema>;

export const PERCENTILE_DECISIONS = ['pass', 'fail', 'inconclusive'] as const;
export type PercentileDecision = (typeof PERCENTILE_DECISIONS)[number];

export const ExceedanceSchema = z.object({
  endpoint: z.string(),
  /** Answers measured (every request of the endpoint under the profile). */
  answers: z.number(),
  /** Answers that took targetMs or longer. */
  over: z.number(),
  /** Exact (Clopper-Pearson) one-sided bounds on the share of answers at or over the target. */
  lower: z.number(),
  upper: z.number(),
  /** The percentile as measured (nearest rank), for the row; the decision does not depend on it. */
  measuredMs: z.number(),
  decision: z.enum(PERCENTILE_DECISIONS),
});
export type Exceedance = z.infer<typeof ExceedanceSchema>;

export const PercentileJudgementSchema = z.object({
  /** 95 or 99. */
  percentile: z.number(),
  targetMs: z.number(),
  /** The share of answers the percentile allows at or over the target: 0.05 for p95, 0.01 for p99. */
  maxShare: z.number(),
  /** Confidence of each one-sided bound (0.95). */
  confidence: z.number(),
  /** Answers needed, none of them at or over the target, before the upper bound can reach maxShare. */
  neededWithNone: z.number(),
  endpoints: z.array(ExceedanceSchema),
});
export type PercentileJudgement = z.infer<typeof PercentileJudgementSchema>;

/** The judgement over every endpoint: any failure fails, all must pass to pass. */
export function overallDecision(judgement: Pick<PercentileJudgement, 'endpoints'>): PercentileDecision {
  const decisions = judgement.endpoints.map((e) => e.decision);
  if (decisions.includes('fail')) return 'fail';
  return decisions.length > 0 && decisions.every((d) => d === 'pass') ? 'pass' : 'inconclusive';
}
