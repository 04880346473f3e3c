import type { CheckId, Level, Suite } from './ids.ts';

/**
 * What `certify --dry-run` prints, as data (reports/dry-run.ts words it): which checks run and which are
 * skipped and why, the traffic per suite, and the money plan per account. The functional suites' figures
 * come from running the observers against a compliant bank in memory (simulate.ts); the load suite's from
 * its schedule.
 */
export interface DryRunPlan {
  checks: { id: CheckId; level: Level; suite: Suite; title: string; skip?: string }[];
  traffic: SuiteTraffic[];
  money: MoneyRow[];
  /** Reservations the run leaves held on purpose until the post-run cleanup releases them (SF-CLEANUP). */
  leftForCleanup: { account: string; amount: number }[];
  /** Figures that depend on the probe account's balance, which the config does not declare: approximate. */
  probeBalanceDeclared: boolean;
}

export type SuiteTraffic =
  | { suite: Exclude<Suite, 'load'>; reserveFunds: number; transactResult: number; waitS?: number }
  | {
      suite: 'load';
      profile?: { name: string; rate: number; holdS: number; durationS: number; iterations: number; instances: number };
      capacity?: { startRate: number; maxRate: number; stepS: number; maxIterations: number };
    };

export interface MoneyRow {
  /** Account role as the config names it ("funded", "probe", "load" for the pool). */
  account: string;
  /** Reservations granted by a compliant bank (the load pool: one per iteration, at most). */
  reservations: number;
  /** The most held at one time on the account (the pool: on all its accounts together). */
  largestHeld: number;
  debited: number;
  /** The load pool: how many accounts share it. */
  poolSize?: number;
  /** The figure is an upper bound (capacity search, in-flight load) or an estimate (probe without a declared balance). */
  bound?: 'at most' | 'about';
}

/** One step of reaching the bank without moving money (DNS, TCP, TLS, an HTTP request that cannot reserve). */
export interface ReachStep {
  step: 'DNS' | 'TCP' | 'TLS' | 'HTTP';
  detail: string;
  /** A finding the user should act on before the run (the bank answered, but not as a run needs). */
  warning?: string;
}
