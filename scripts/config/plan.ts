import { PLAN_SCHEMA_VERSION } from '../../checks/plan.ts';
import { canonicalJson, sha256Hex } from '../util/digest.ts';
import type { Suite } from '../../checks/ids.ts';
import type { BankcertSecrets, Plan, PlanAccount } from '../../checks/plan.ts';
import { ConfigError } from './errors.ts';
import { effectiveTypicalAmount, type Config } from './schema.ts';

/**
 * Config → Plan (written to disk for k6) + secrets (environment only). The split is the point:
 * authCodes and the signing secret must never reach the plan file, result.json or a report.
 */

const ROLES = ['funded', 'lowBalance', 'inactive', 'blacklisted', 'unmapped', 'probe'] as const;

interface AccountEntry {
  sourceIdentifier: string;
  authCode?: string;
  balance?: number;
}

/** Joins without doubling or dropping the slash between base and path. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function buildPlan(config: Config, opts: { suites: Suite[]; runId: string; env: NodeJS.ProcessEnv }): { plan: Plan; secrets: BankcertSecrets } {
  const secrets: BankcertSecrets = { authCodes: {} };
  if (config.signing.enabled) secrets.signingSecret = signingSecret(config.signing.secretEnv, opts.env);

  const toPlan = (key: string, entry: AccountEntry): PlanAccount => {
    if (entry.authCode !== undefined) secrets.authCodes[key] = entry.authCode;
    return {
      sourceIdentifier: entry.sourceIdentifier,
      hasAuthCode: entry.authCode !== undefined,
      ...(entry.balance !== undefined ? { balance: entry.balance } : {}),
    };
  };
  const accounts: Plan['accounts'] = { load: config.accounts.load.map((entry, i) => toPlan(`load:${i}`, entry)) };
  for (const role of ROLES) {
    const entry: AccountEntry | undefined = config.accounts[role];
    if (entry !== undefined) accounts[role] = toPlan(role, entry);
  }

  const { product, target } = config;
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    runId: opts.runId,
    bank: config.bank,
    suites: [...new Set(opts.suites)],
    target: {
      reserveFundsUrl: joinUrl(target.baseUrl, target.paths.reserveFunds),
      transactResultUrl: joinUrl(target.baseUrl, target.paths.transactResult),
      timeoutMs: target.timeoutMs,
      insecureSkipVerify: target.tls?.insecureSkipVerify ?? false,
      ...(target.tls ? { tls: tlsPaths(target.tls) } : {}),
    },
    signing: { enabled: config.signing.enabled, secretEnv: config.signing.secretEnv },
    limits: { minimumAmount: config.limits.minimumAmount, maximumAmount: config.limits.maximumAmount },
    product: {
      productId: product.productId,
      ...(product.productType !== undefined ? { productType: product.productType } : {}),
      feeAmount: product.feeAmount,
      channelId: product.channelId,
      channelName: product.channelName,
      typicalAmount: effectiveTypicalAmount(config),
      clientSharePerMille: product.clientSharePerMille,
    },
    accounts,
    cancel: { reserveFundsTxnRef: config.cancel.reserveFundsTxnRef, responseCode: config.cancel.responseCode },
    safety: { deliveries: config.safety.deliveries, concurrentReservations: config.safety.concurrentReservations, lateOutcomeS: config.safety.lateOutcomeS },
    load: { timeoutMs: Math.max(target.timeoutMs, config.thresholds.maxMs) + 5_000, dispensedShare: config.load.dispensedShare },
  };
  return { plan, secrets };
}

function tlsPaths(tls: NonNullable<Config['target']['tls']>): NonNullable<Plan['target']['tls']> {
  return {
    ...(tls.caFile ? { caFile: tls.caFile } : {}),
    ...(tls.certFile ? { certFile: tls.certFile } : {}),
    ...(tls.keyFile ? { keyFile: tls.keyFile } : {}),
  };
}

function signingSecret(name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError([
      `signing.enabled is true but environment variable ${name} is not set. Fix: export ${name}=<the shared secret> (or set signing.enabled to false)`,
    ]);
  }
  return value;
}

/** The config with every authCode replaced and the editor-only $schema dropped: safe to print or store. */
export function redactedConfig(config: Config): unknown {
  const { $schema: _ignored, ...rest } = config;
  return redact(rest);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'authCode' && v !== undefined ? '[redacted]' : redact(v)]));
}

/**
 * sha256 of the canonical JSON of the redacted, defaults-applied config: comments, key order and
 * spelling out a default do not change it. Redacted first because a hash of a 4-digit PIN is
 * brute-forced in microseconds.
 */
export function configDigest(config: Config): string {
  return sha256Hex(canonicalJson(redactedConfig(config)));
}

/** Every secret string, longest first so a scrubber replaces "12345" before its substring "1234". */
export function secretValues(secrets: BankcertSecrets): string[] {
  const all = [secrets.signingSecret, ...Object.values(secrets.authCodes)].filter((s): s is string => s !== undefined && s !== '');
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}
