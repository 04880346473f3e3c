import type { CheckId, FixtureName, Suite } from './ids.ts';

export interface PlanAccount {
  sourceIdentifier: string;
  /** True when the configuration has an authCode for it; the code itself travels in BankcertSecrets. */
  hasAuthCode: boolean;
  /** Declared balance in minor units, when known. */
  balance?: number;
}

/**
 * Everything a scenario needs, derived from the validated config by the CLI and handed to k6
 * as a JSON file. It holds no secret: those travel only in the BANKCERT_SECRETS environment variable.
 */
export const PLAN_SCHEMA_VERSION = 1;

export interface Plan {
  /** plan.json's format; Node reads the file back (reconcile, report --merge) and refuses another version. */
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  runId: string;
  bank: string;
  suites: Suite[];
  /**
   * A partial run (`certify --check`): only these checks are observed, and the observers skip the traffic
   * of every other check (checks/observe/context.ts, wants). Absent: every check of the suites.
   */
  checks?: CheckId[];
  target: {
    reserveFundsUrl: string;
    transactResultUrl: string;
    /** The platform's cut-off for one request (5 s, Bank Interfaces getting started §1.3). */
    timeoutMs: number;
    insecureSkipVerify: boolean;
    /** Absolute paths of PEM files (never their content): k6 reads the client pair in its init context. */
    tls?: { caFile?: string; certFile?: string; keyFile?: string };
  };
  /** secretEnv names the variable holding the secret (not the secret) so `bankcert reconcile` can sign. */
  signing: { enabled: boolean; secretEnv: string };
  limits: { minimumAmount: number; maximumAmount: number };
  product: {
    productId: number;
    productType?: number;
    feeAmount: number;
    channelId: number;
    channelName: string;
    /** reserveAmount of an ordinary purchase, within the limits. */
    typicalAmount: number;
    /** Share of reserveAmount due to the client, in per mille, to derive clientShareAmount. */
    clientSharePerMille: number;
  };
  accounts: {
    funded?: PlanAccount;
    lowBalance?: PlanAccount;
    inactive?: PlanAccount;
    blacklisted?: PlanAccount;
    unmapped?: PlanAccount;
    probe?: PlanAccount;
    load: PlanAccount[];
  };
  cancel: { reserveFundsTxnRef: 'empty' | 'raasTxnRef'; responseCode: number };
  safety: { deliveries: number; concurrentReservations: number; lateOutcomeS: number };
  load: {
    /** A load request may take this long before it counts as a transport error: past the 5 s cut-off, so late answers are measured. */
    timeoutMs: number;
    /** Share of iterations finished as dispensed (a debit); the rest are released, so no money moves by default. */
    dispensedShare: number;
  };
}

/** The arrival schedule of one load run, passed in BANKCERT_LOAD_SCHEDULE (capacity runs several). */
export const LOAD_SCHEDULE_ENV = 'BANKCERT_LOAD_SCHEDULE';

/** Secrets, passed to k6 only through the environment (BANKCERT_SECRETS) and never written to disk. */
export interface BankcertSecrets {
  signingSecret?: string;
  /** authCode per account role ("funded", "lowBalance", "load:3", ...). */
  authCodes: Record<string, string>;
}

export const PLAN_ENV = 'BANKCERT_PLAN_FILE';
export const SECRETS_ENV = 'BANKCERT_SECRETS';
export const SUMMARY_ENV = 'BANKCERT_SUMMARY_FILE';

/**
 * Which k6 process of a load run this is: the instance of a scaled-out run (0-based), or the capacity
 * step ("s3"). Part of every reference: each process numbers its VUs and iterations from 1 again.
 */
export const INSTANCE_ENV = 'BANKCERT_INSTANCE';

/** The fixtures the configuration provides: a check that needs another is skipped, with the reason. */
export function fixturesOf(plan: Pick<Plan, 'accounts'>): Set<FixtureName> {
  const a = plan.accounts;
  const present: [FixtureName, boolean][] = [
    ['funded', a.funded !== undefined],
    ['fundedAuthCode', a.funded?.hasAuthCode === true],
    ['lowBalance', a.lowBalance?.balance !== undefined],
    ['inactive', a.inactive !== undefined],
    ['blacklisted', a.blacklisted !== undefined],
    ['unmapped', a.unmapped !== undefined],
    ['probe', a.probe !== undefined],
    ['load', a.load.length > 0],
  ];
  return new Set(present.filter(([, has]) => has).map(([name]) => name));
}

/** The config key a fixture comes from, for the skip reason. */
export const FIXTURE_KEYS: Record<FixtureName, string> = {
  funded: 'accounts.funded',
  fundedAuthCode: 'accounts.funded.authCode',
  lowBalance: 'accounts.lowBalance (with its balance)',
  inactive: 'accounts.inactive',
  blacklisted: 'accounts.blacklisted',
  unmapped: 'accounts.unmapped',
  probe: 'accounts.probe',
  load: 'accounts.load',
};
