import exec from 'k6/execution';
import { sleep } from 'k6';
import { sha256 } from 'k6/crypto';
import type { ScenarioEvent } from '../../checks/events.ts';
import { createObserveContext, referencePrefixOf, type ObserveContext } from '../../checks/suites/context.ts';
import type { Suite } from '../../checks/ids.ts';
import type { ResponseValidator } from '../../checks/reserve-response.ts';
import { INSTANCE_ENV, PLAN_ENV, SECRETS_ENV, type BankcertSecrets, type Plan } from '../../checks/plan.ts';
import { k6Hmac, k6Transport } from './k6-transport.ts';

/** Read in the init context: open() is only allowed there. */
export function loadPlan(): Plan {
  const path = __ENV[PLAN_ENV];
  if (!path) throw new Error(`${PLAN_ENV} is not set: run scenarios through the bankcert CLI`);
  return JSON.parse(open(path)) as Plan;
}

export function loadSecrets(): BankcertSecrets {
  const raw = __ENV[SECRETS_ENV];
  return raw ? (JSON.parse(raw) as BankcertSecrets) : { authCodes: {} };
}

/** Events go out as JSON console lines; the CLI reads them from k6's JSON log stream. */
export function emit(event: ScenarioEvent): void {
  console.log(JSON.stringify(event));
}

/**
 * This VU's part of every reference (checks/suites/context.ts, referencePrefixOf). VU code only: a VU's id
 * is not known in the init context.
 */
export function referencePrefix(plan: Plan, suite: Suite): string {
  return referencePrefixOf(plan.runId, suite, __ENV[INSTANCE_ENV] ?? '', exec.vu.idInTest);
}

/** A functional suite's context: k6's HTTP and crypto, and a clock whose every read is recorded for `bankcert verify`. */
export function observeContext(plan: Plan, secrets: BankcertSecrets, suite: Suite, validate: ResponseValidator): ObserveContext {
  return createObserveContext({
    plan,
    secrets,
    suite,
    transport: k6Transport(plan.target.timeoutMs),
    hmac: k6Hmac,
    sha256Hex: (text) => sha256(text, 'hex'),
    validate,
    emit,
    now() {
      const v = new Date().toISOString();
      emit({ t: 'now', suite, v });
      return v;
    },
    sleep,
    prefix: () => referencePrefix(plan, suite),
  });
}

/**
 * Options every scenario shares: TLS as the config says. The client certificate and key are read here,
 * in the init context, from the paths in the plan; their content never leaves this process.
 * No `domains` on the tlsAuth entry: in k6 v2 (internal/js/runner.go) they are optional and only feed
 * Go's deprecated NameToCertificate (k6 warns when they are set); without them the certificate goes
 * into tls.Config.Certificates and is presented to any server that asks, which is the one target.
 */
export function tlsOptions(plan: Plan): { insecureSkipTLSVerify: boolean; tlsAuth?: { cert: string; key: string }[] } {
  const tls = plan.target.tls;
  // A distributed runner (k6-operator, see `bankcert bundle`) gets the pair as contents from a Kubernetes
  // Secret: a k6 archive would otherwise carry the key file it opened.
  const fromEnv = __ENV.BANKCERT_TLS_CERT && __ENV.BANKCERT_TLS_KEY ? { cert: __ENV.BANKCERT_TLS_CERT, key: __ENV.BANKCERT_TLS_KEY } : undefined;
  const fromFiles = tls?.certFile && tls.keyFile ? { cert: open(tls.certFile), key: open(tls.keyFile) } : undefined;
  const pair = fromEnv ?? fromFiles;
  return { insecureSkipTLSVerify: plan.target.insecureSkipVerify, ...(pair ? { tlsAuth: [pair] } : {}) };
}
