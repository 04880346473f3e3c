import type { ReachStep } from '../../checks/dry-run.ts';
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { transactResultRequest } from '../../checks/requests.ts';
import { SIGNATURE_HEADER, sign } from '../../checks/signer.ts';
import { nodeHmac } from '../util/digest.ts';
import { cannotRun } from '../util/errors.ts';
import { describeNetworkError, send, tlsOf } from '../util/http.ts';

/**
 * How the dry run reaches the bank without moving money: name resolution, a TCP connection, the TLS
 * handshake (with the config's CA and client certificate), and one HTTP request that cannot reserve.
 *
 * That request is a transactResult with a failure outcome (cancel.responseCode) for references no bank
 * can know (fresh, run-unique, never sent in a reserveFunds). reserveFunds is never called: even a
 * malformed or empty one could be granted by a bank that validates too little (SEC-BAD-INPUT exists
 * because they do). A transactResult can only finish a reservation that exists; there is none, and a
 * failure outcome could at worst release, never debit. It is signed like every request of a run, so the
 * answer also says whether the bank accepts the signature: 404 is what TR-404 expects, 401/403 a
 * signature the bank refuses. The GET of a plain preflight would prove less (no path, no signature).
 */

const TIMEOUT_MS = 5_000;

function unreachable(what: string, url: string, reason: string, err: unknown): Error {
  const hint = reason.startsWith('TLS:')
    ? "Check target.tls: caFile must be the CA that signed the bank's certificate; certFile and keyFile are needed when the bank asks for a client certificate."
    : 'Check target.baseUrl in the config and that the bank (or a tunnel to it) is running.';
  return cannotRun(`cannot reach the bank at ${url}: ${what}: ${reason}`, [hint], err);
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(Object.assign(new Error(`${what}: no answer within ${TIMEOUT_MS} ms`), { code: 'ETIMEDOUT', deadline: true })),
        TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

function tcp(host: string, port: number): Promise<number> {
  const started = Date.now();
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      const socket = tcpConnect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(Date.now() - started);
      });
      socket.once('error', reject);
    }),
    'TCP connect',
  );
}

function tlsHandshake(host: string, port: number, servername: string, plan: Plan): Promise<string> {
  const tls = tlsOf(plan) ?? {};
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      const socket: TLSSocket = tlsConnect({
        host,
        port,
        ...(isIP(servername) === 0 ? { servername } : {}),
        ca: tls.caFile ? readFileSync(tls.caFile) : undefined,
        cert: tls.certFile ? readFileSync(tls.certFile) : undefined,
        key: tls.keyFile ? readFileSync(tls.keyFile) : undefined,
        rejectUnauthorized: !tls.insecureSkipVerify,
      });
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        const subject = typeof cert.subject?.CN === 'string' ? cert.subject.CN : 'no CN';
        const detail = `${socket.getProtocol() ?? 'TLS'}, certificate ${subject}${cert.valid_to ? ` valid to ${cert.valid_to}` : ''}${tls.insecureSkipVerify ? ' (not verified: insecureSkipVerify)' : ', verified'}${tls.certFile ? ', client certificate sent' : ''}`;
        socket.destroy();
        resolve(detail);
      });
      socket.once('error', reject);
    }),
    'TLS handshake',
  );
}

/** One HTTP request that cannot reserve: see the module comment. */
async function harmlessRequest(plan: Plan, secrets: BankcertSecrets): Promise<ReachStep> {
  const raas = `bc-${plan.runId}-dry-run-r`;
  const request = transactResultRequest({
    refs: { clientTxnRef: `bc-${plan.runId}-dry-run-c`, raasTxnRef: raas },
    reserveFundsTxnRef: `unknown-${raas}`,
    responseCode: plan.cancel.responseCode,
    amounts: { reserveAmount: plan.product.typicalAmount, feeAmount: 0, clientShareAmount: 0, settlementAmount: plan.product.typicalAmount },
    timestamp: new Date().toISOString(),
  });
  const body = JSON.stringify(request);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (plan.signing.enabled && secrets.signingSecret) headers[SIGNATURE_HEADER] = sign(body, secrets.signingSecret, nodeHmac);
  const url = plan.target.transactResultUrl;
  let status: number;
  try {
    status = (await send('POST', url, { body, headers, tls: tlsOf(plan), timeoutMs: plan.target.timeoutMs })).status;
  } catch (err) {
    const target = new URL(url);
    throw unreachable(`HTTP POST ${target.pathname}`, `${target.protocol}//${target.host}`, describeNetworkError(err), err);
  }
  const detail = `POST ${url}, a failure outcome (${plan.cancel.responseCode}) for a reference no bank can know${plan.signing.enabled ? ', signed' : ''}: HTTP ${status}`;
  if (status === 404) return { step: 'HTTP', detail: `${detail}, as TR-404 expects` };
  if (status === 401 || status === 403) {
    return {
      step: 'HTTP',
      detail,
      warning: plan.signing.enabled
        ? `the bank refused the signature: check that ${plan.signing.secretEnv} holds the secret the bank verifies with`
        : 'the bank refused an unsigned request: if it verifies a Signature, set signing.enabled and export the secret',
    };
  }
  if (status >= 200 && status < 300)
    return { step: 'HTTP', detail, warning: 'the bank acknowledged an outcome for a reservation it cannot have: TR-404 will fail' };
  if (status >= 500) return { step: 'HTTP', detail, warning: 'the bank answered with a server error' };
  return { step: 'HTTP', detail, warning: `check target.paths.transactResult (${new URL(url).pathname}): a run expects 200 or 404 there` };
}

/** Reaches the bank step by step; the first step that fails is one clear line (exit 3). */
export async function reachBank(plan: Plan, secrets: BankcertSecrets): Promise<ReachStep[]> {
  const url = new URL(plan.target.reserveFundsUrl);
  const base = `${url.protocol}//${url.host}`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const steps: ReachStep[] = [];
  let addresses = [host];
  if (isIP(host) !== 0) {
    steps.push({ step: 'DNS', detail: `${host} (an IP address: nothing to resolve)` });
  } else {
    try {
      addresses = (await withTimeout(lookup(host, { all: true }), 'DNS lookup')).map((a) => a.address);
      steps.push({ step: 'DNS', detail: `${host} → ${addresses.join(', ')}` });
    } catch (err) {
      throw unreachable('DNS', base, describeNetworkError(err), err);
    }
  }
  // Every address in turn, as an HTTP client does ("localhost" is often ::1 first while the bank listens on 127.0.0.1).
  let address: string | undefined;
  let lastError: unknown;
  for (const candidate of addresses) {
    try {
      const ms = await tcp(candidate, port);
      address = candidate;
      steps.push({ step: 'TCP', detail: `connected to ${candidate.includes(':') ? `[${candidate}]` : candidate}:${port} in ${ms} ms` });
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (address === undefined) throw unreachable('TCP', base, describeNetworkError(lastError), lastError);
  if (url.protocol === 'https:') {
    try {
      steps.push({ step: 'TLS', detail: await tlsHandshake(address, port, host, plan) });
    } catch (err) {
      throw unreachable('TLS', base, describeNetworkError(err), err);
    }
  } else {
    steps.push({ step: 'TLS', detail: 'not used (http://)' });
  }
  steps.push(await harmlessRequest(plan, secrets));
  return steps;
}
