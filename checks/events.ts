import type { CheckId, Status, Suite } from './ids.ts';
import type { LoadLevel, PercentileJudgement } from './load-evidence.ts';
import type { LoadEndEvent, LoadRecordsEvent, LoadRefsEvent } from './load-records.ts';
import type { Endpoint } from './protocol.ts';

export type { LoadEndEvent, LoadRecordsEvent, LoadRefsEvent } from './load-records.ts';

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
 * A body as recorded: the text itself, or, over RECORDED_BODY_LIMIT characters, its length, SHA-256 (hex,
 * of the UTF-8 bytes) and first characters. Kept whole, every request bankcert sends fits.
 */
export type RecordedBody = string | { length: number; sha256: string; prefix: string };

/** Bodies longer than this (2 Mi characters) are recorded as length + SHA-256 + a prefix (README, "Output folder"). */
export const RECORDED_BODY_LIMIT = 2 * 1024 * 1024;
export const RECORDED_PREFIX = 4096;

/**
 * One HTTP exchange of a functional suite, every one of them (DIR/exchanges.ndjson.gz): what `bankcert
 * verify` replays the suite's own code against, `bankcert replay` and the spot-check re-send. Redacted
 * as evidence is (checks/redact.ts).
 */
export interface ExchangeRecord {
  t: 'x';
  suite: Suite;
  /** Order within the suite's run, from 1. */
  n: number;
  step: string;
  endpoint: Endpoint;
  /** When the request left (informational: verify does not replay it). */
  at: string;
  /** Sent together (http.batch): this request's place in the batch and the batch's size. */
  batch?: [number, number];
  /** The ledger's account column for this request ("funded", "probe", "none"). */
  account: string;
  /** The request's references: clientTxnRef, raasTxnRef and, for a transactResult, reserveFundsTxnRef. */
  refs: string[];
  /** The Signature header: as bankcert signs the body, none, or anything else (a tampered signature). */
  signature: 'valid' | 'none' | 'other';
  /**
   * The authCode the request object carries: the account's own, a wrong one of the same shape
   * (wrongAuthCode: checks/requests.ts), another, or none; absent for a raw body, whose value may be anything.
   */
  authCode?: 'account' | 'wrong' | 'other';
  /** True when the body was sent as given (hostile or tampered requests), not built from the request object. */
  raw?: true;
  request: { method: string; url: string; headers: Record<string, string>; body: RecordedBody };
  response?: { status: number; headers: Record<string, string>; body: RecordedBody; durationMs: number };
  error?: string;
}

/**
 * Every time a functional suite reads the clock (checks/suites/context.ts): verify replays the suite with
 * these values, so timestamps, waits and elapsed times come out as they did.
 */
export interface ClockRead {
  t: 'now';
  suite: Suite;
  v: string;
}

/** Lines a scenario writes with console.log; the CLI reads them from k6's console output. */
export type ScenarioEvent =
  | { t: 'obs'; obs: Observation }
  | { t: 'ledger'; entry: LedgerEntry }
  | { t: 'step'; suite: string; step: string }
  | ExchangeRecord
  | ClockRead
  | LoadRefsEvent
  | LoadRecordsEvent
  | LoadEndEvent;

export const EVENT_PREFIX = '{"t":';
