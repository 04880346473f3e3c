import type { CheckId, Status } from './ids.ts';
import type { LoadLevel, PercentileJudgement } from './load-evidence.ts';

/** One HTTP exchange as evidence. Secrets are redacted before an Exchange leaves the scenario. */
export interface Exchange {
  /** What the harness was doing, e.g. "reserveFunds on lowBalance for balance + 1". */
  step: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: { status: number; headers: Record<string, string>; body: string; durationMs: number };
  /** Transport failure (refused, timeout, TLS) when there is no response. */
  error?: string;
}

/**
 * What a scenario saw for one check: data only, no prose. `expected` and `observed` are short
 * factual phrases ("responseCode 2010", "HTTP 404"); reports decide how to present them.
 */
export interface Observation {
  id: CheckId;
  status: Status;
  expected: string;
  observed: string;
  /** Why a check was skipped, or a qualifier of a warning. */
  reason?: string;
  /** Counts the report shows beside the check (answers inspected, cases run, ...). */
  counts?: Record<string, number>;
  evidence?: Exchange[];
  /** Load checks: the level the figures were measured at (reports phrase it in the row). */
  measuredAt?: LoadLevel;
  /** LD-P95/LD-P99: answers at or over the target and the confidence bounds that decided the status. */
  percentile?: PercentileJudgement;
}

/** A reservation as the ledger records it (SF-CLEANUP, docs/checks.md). */
export interface LedgerEntry {
  /**
   * sent: a reserveFunds is about to leave (written first, so a request whose answer is lost, to a
   * timeout or a killed k6, can still be cancelled by raasTxnRef); reserve: its answer; outcome: a
   * transactResult and its acknowledgement; unsent: a 'sent' row whose request never left after all
   * (the load suite records the next reference of every VU ahead: scripts/run/event-ledger.ts).
   * `at`: when the row was recorded (for a load 'sent' row, when its reference was set aside).
   */
  kind: 'sent' | 'reserve' | 'outcome' | 'unsent';
  at: string;
  clientTxnRef: string;
  raasTxnRef: string;
  reserveFundsTxnRef: string;
  account: string;
  reserveAmount: number;
  /** reserve: the responseCode answered; outcome: the transactResult responseCode sent; sent: empty. */
  code: string;
  /** HTTP status of the answer (0 on transport error). */
  httpStatus: number;
  feeAmount: number;
  clientShareAmount: number;
  settlementAmount: number;
}

/**
 * Load suite: a VU's references are `${prefix}${n}-c` / `${prefix}${n}-r` for n = 1, 2, 3…, in order.
 * Written before the VU's first request (checks/load-driver.ts).
 */
export interface LoadRefsEvent {
  t: 'refs';
  prefix: string;
}

/** Load suite: one iteration, written when it ends (its reserveFunds and the outcome, if one was sent). */
export interface LoadIterationEvent {
  t: 'it';
  prefix: string;
  seq: number;
  /** Account role ("load:3"). */
  account: string;
  sentAt: string;
  /** reserveFunds HTTP status; 0: no answer. */
  status: number;
  /** Normalised responseCode; '' when the answer had none. */
  code: string;
  ref: string;
  answeredAt: string;
  /** transactResult responseCode sent; '' when none was sent. */
  outcome: string;
  outcomeStatus: number;
  outcomeAt: string;
}

/** Lines a scenario writes with console.log; the CLI reads them from k6's console output. */
export type ScenarioEvent =
  | { t: 'obs'; obs: Observation }
  | { t: 'ledger'; entry: LedgerEntry }
  | { t: 'step'; suite: string; step: string }
  | LoadRefsEvent
  | LoadIterationEvent;

export const EVENT_PREFIX = '{"t":';
