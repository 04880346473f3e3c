import { z } from 'zod';
import { CHECK_IDS, STATUSES, SUITES } from './ids.ts';
import { LoadLevelSchema, PercentileJudgementSchema } from './load-evidence.ts';
import { LoadReportSchema } from './load-report.ts';

/** DIR/result.json: the contract the README's "Output folder" describes. `bankcert report DIR` re-validates it with this schema. */
const ExchangeSchema = z.object({
  step: z.string(),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
  response: z.object({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.string(), durationMs: z.number() }).optional(),
  error: z.string().optional(),
});

export const CheckResultSchema = z.object({
  id: z.enum(CHECK_IDS),
  title: z.string(),
  level: z.enum(['MUST', 'SHOULD', 'INFO']),
  suite: z.enum(SUITES),
  status: z.enum(STATUSES),
  summary: z.string(),
  expected: z.string(),
  observed: z.string(),
  reason: z.string().optional(),
  /** The citations on one line; `sources` has them with their addresses. */
  specRef: z.string(),
  sources: z.array(z.object({ title: z.string(), section: z.string(), url: z.string() })),
  remediation: z.string(),
  observedBy: z.string(),
  counts: z.record(z.string(), z.number()).optional(),
  evidence: z.array(ExchangeSchema).optional(),
  measuredAt: LoadLevelSchema.optional(),
  percentile: PercentileJudgementSchema.optional(),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const LedgerSummarySchema = z.object({
  reservations: z.number(),
  debited: z.number(),
  released: z.number(),
  refused: z.number(),
  /** Reservations without an acknowledged outcome after cleanup: must be 0. */
  open: z.number(),
  cleanedUp: z.number(),
});
export type LedgerSummary = z.infer<typeof LedgerSummarySchema>;

/** result.json's format: a reader refuses another version rather than misreading it. */
export const RESULT_SCHEMA_VERSION = 1;

/**
 * certified / not-certified / inconclusive: a certification (every check of the suites run).
 * passed-partial / failed-partial: a partial run (`certify --check`), never a certificate; a partial run
 * that could not see what it asserts is inconclusive like any other.
 */
export const VERDICTS = ['certified', 'not-certified', 'inconclusive', 'passed-partial', 'failed-partial'] as const;

const ThresholdsSchema = z.object({
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  errorRate: z.number(),
  declineRate: z.number(),
  minCapacity: z.number().optional(),
});

/**
 * What the certificate rests on, for `bankcert verify`: the SHA-256 of every file of the run's records,
 * and what the judges were given that no record holds. Inside the digested part of result.json.
 */
export const EvidenceSchema = z.object({
  /** By file name in the run's folder. ledger.ndjson may grow after the run (`bankcert reconcile` appends): its first `bytes` are the certificate's. */
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number() })),
  judgedWith: z.object({
    /** The folder as the user named it: SF-CLEANUP's reason names it for `bankcert reconcile`. */
    outDir: z.string(),
    /** config.thresholds. */
    thresholds: ThresholdsSchema,
    /** What made the run untrustworthy as it happened (k6 exits, interruptions, load honesty), in order. */
    harnessProblems: z.array(z.string()),
    /** --baseline: its settings and the earlier run's figures the comparison read. */
    baseline: z
      .object({
        settings: z.object({
          p95Pct: z.number(),
          p99Pct: z.number(),
          errorRatePts: z.number(),
          capacityPct: z.number(),
          onRegression: z.enum(['warn', 'fail']),
        }),
        load: LoadReportSchema.pick({ endpoints: true, capacity: true }),
      })
      .optional(),
  }),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const ResultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  verdict: z.enum(VERDICTS),
  /** Present for a partial run (`certify --check`): the checks chosen, the only rows of the result. Not a certificate. */
  checksChosen: z.array(z.enum(CHECK_IDS)).optional(),
  /** Why the run is inconclusive (k6 failed, checks missing, ...). */
  inconclusiveReasons: z.array(z.string()),
  bank: z.string(),
  target: z.object({ reserveFundsUrl: z.string(), transactResultUrl: z.string() }),
  suites: z.array(z.enum(SUITES)),
  signing: z.boolean(),
  /** The environment variable the signing secret is read from (signing.secretEnv): the reports' curl commands read it. */
  signingSecretEnv: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  runId: z.string(),
  checks: z.array(CheckResultSchema),
  ledger: LedgerSummarySchema,
  /** Present when the load suite ran. */
  load: LoadReportSchema.optional(),
  /** The load thresholds the run judged by (config thresholds), present when the load suite ran: `bankcert trend` draws them. */
  thresholds: z
    .object({ p95Ms: z.number(), p99Ms: z.number(), maxMs: z.number(), errorRate: z.number(), declineRate: z.number(), minCapacity: z.number().optional() })
    .optional(),
  /** Present with --baseline: how the load figures compare with an earlier run. */
  baseline: z
    .object({
      runId: z.string(),
      digest: z.string(),
      finishedAt: z.string(),
      rows: z.array(
        z.object({
          metric: z.enum(['p95Ms', 'p99Ms', 'errorRate', 'capacity']),
          endpoint: z.enum(['reserveFunds', 'transactResult']).optional(),
          baseline: z.number(),
          current: z.number(),
          changePct: z.number().nullable(),
          changePts: z.number().optional(),
          beyond: z.boolean(),
        }),
      ),
    })
    .optional(),
  harness: z.object({ version: z.string(), k6Version: z.string() }),
  configDigest: z.string(),
  /** Absent in results written before `bankcert verify` existed, and in merged distributed runs. */
  evidence: EvidenceSchema.optional(),
  /** SHA-256 over the canonical JSON of every other field. */
  digest: z.string(),
});
export type Result = z.infer<typeof ResultSchema>;
export type Verdict = Result['verdict'];
