import { DISPENSED, normaliseCode } from './codes.ts';
import type { LoadRefsEvent } from './events.ts';
import type { BankcertSecrets, Plan, PlanAccount } from './plan.ts';
import { amountsFor, reserveRequest, transactResultRequest } from './requests.ts';
import { SIGNATURE_HEADER, type HmacSha256Base64 } from './signer.ts';

/**
 * The load suite's hot path: one reserveFunds then its transactResult per iteration, as the platform
 * does for every purchase, at the highest rate k6 can drive (bench/RESULTS.md). It does only what the
 * certificate needs from an iteration: signed, wire-exact requests, the answer's code and reference,
 * and one ledger event. Latency and errors come from k6's own samples; response schemas, evidence and
 * everything else are the functional suites' business.
 *
 * The ledger costs one console line per iteration, written when it ends (k6's console is the
 * expensive part of an iteration). The money-safety rule (a reserveFunds is on record before it
 * leaves) holds through the references: a VU announces its prefix before its first request
 * (LoadRefsEvent) and numbers its iterations 1, 2, 3…, so a reference that is not yet in the ledger
 * is always the next number of some announced prefix; the CLI keeps a 'sent' row for it (scripts/run/event-ledger.ts).
 */

/** k6 Counter of load iterations begun: with the lines received it tells whether any was cut short. */
export const STARTED_METRIC = 'bankcert_started';

/** The k6 side of the hot path, injected so this module runs in Node tests too. */
export interface LoadIo {
  /** POST and return status (0 on transport error) and body. */
  post(url: string, body: string, headers: Record<string, string>, endpoint: 'reserveFunds' | 'transactResult'): { status: number; body: string };
  hmac: HmacSha256Base64;
  /** Writes one event line (k6: console.log). */
  line(json: string): void;
  /** Counts an iteration as started (k6: a Counter), so the CLI can tell whether any was cut short. */
  started(): void;
  /** An ISO 8601 timestamp (Date#toISOString): written into bodies and lines as it is. */
  now(): string;
}

/** The characters JSON.stringify escapes: quote, backslash, controls, and surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON: between quotes when it needs no escaping (the common case), else JSON.stringify. */
function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

// Placeholders that JSON.stringify writes as `"\u0001…"`: no real value can look like that in the output.
const HOLE = (name: string) => `\u0001${name}`;

/**
 * A body built once by JSON.stringify with placeholders, cut into the text between them: filling the
 * holes gives exactly what JSON.stringify of the real request would (same keys, order, encoding),
 * without k6's interpreter encoding every key and character of every request again.
 */
function cut(sample: unknown, holes: readonly string[]): string[] {
  const json = JSON.stringify(sample);
  const parts: string[] = [];
  let rest = json;
  for (const hole of holes) {
    const marker = JSON.stringify(HOLE(hole));
    const at = rest.indexOf(marker);
    if (at < 0 || rest.indexOf(marker, at + 1) >= 0) throw new Error(`load body template: placeholder ${hole} not found exactly once in ${json}`);
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + marker.length);
  }
  parts.push(rest);
  return parts;
}

interface AccountTemplate {
  role: string;
  /** The role as JSON, for the iteration line. */
  roleJson: string;
  /** reserveFunds body around: clientTxnRef, raasTxnRef, timestamp. */
  reserve: string[];
}

export interface LoadDriver {
  /** Iteration `n` of the test (k6: exec.scenario.iterationInTest): chooses the account and the outcome. */
  iterate(n: number): void;
}

/** `prefix`: this VU's reference prefix, unique per run, suite, k6 process and VU. */
export function loadDriver(plan: Plan, secrets: BankcertSecrets, prefix: string, io: LoadIo): LoadDriver {
  const pool = plan.accounts.load;
  const accounts: { role: string; account: PlanAccount }[] =
    pool.length > 0 ? pool.map((account, i) => ({ role: `load:${i}`, account })) : plan.accounts.funded ? [{ role: 'funded', account: plan.accounts.funded }] : [];
  const reserveHoles = ['clientTxnRef', 'raasTxnRef', 'timestamp'];
  const templates: AccountTemplate[] = accounts.map(({ role, account }) => {
    const authCode = secrets.authCodes[role];
    const sample = reserveRequest(plan, {
      refs: { clientTxnRef: HOLE('clientTxnRef'), raasTxnRef: HOLE('raasTxnRef') },
      sourceIdentifier: account.sourceIdentifier,
      reserveAmount: plan.product.typicalAmount,
      ...(authCode !== undefined ? { authCode } : {}),
      timestamp: HOLE('timestamp'),
    });
    return { role, roleJson: JSON.stringify(role), reserve: cut(sample, reserveHoles) };
  });
  const amounts = amountsFor(plan, plan.product.typicalAmount);
  const outcomeTemplate = (code: number) =>
    cut(
      transactResultRequest({
        refs: { clientTxnRef: HOLE('clientTxnRef'), raasTxnRef: HOLE('raasTxnRef') },
        reserveFundsTxnRef: HOLE('reserveFundsTxnRef'),
        responseCode: code,
        amounts,
        timestamp: HOLE('timestamp'),
      }),
      ['clientTxnRef', 'raasTxnRef', 'reserveFundsTxnRef', 'timestamp'],
    );
  const dispensedBody = outcomeTemplate(DISPENSED);
  const cancelBody = outcomeTemplate(plan.cancel.responseCode);
  const cancelCode = String(plan.cancel.responseCode);
  const share = plan.load.dispensedShare;
  const secret = plan.signing.enabled ? secrets.signingSecret : undefined;
  const reserveUrl = plan.target.reserveFundsUrl;
  const outcomeUrl = plan.target.transactResultUrl;
  const jsonPrefix = jsonString(prefix).slice(0, -1);
  const plainPrefix = !NEEDS_ESCAPE.test(prefix);
  const lineHead = `{"t":"it","prefix":${JSON.stringify(prefix)},"seq":`;
  const headers = (body: string): Record<string, string> =>
    secret !== undefined
      ? { 'Content-Type': 'application/json', Accept: 'application/json', [SIGNATURE_HEADER]: io.hmac(secret, body) }
      : { 'Content-Type': 'application/json', Accept: 'application/json' };
  let seq = 0;

  const refsEvent: LoadRefsEvent = { t: 'refs', prefix };
  const refsLine = JSON.stringify(refsEvent);
  return {
    iterate(n: number): void {
      const template = templates[n % templates.length];
      if (!template) return;
      if (seq === 0) io.line(refsLine);
      io.started();
      seq += 1;
      const c = plainPrefix ? `${jsonPrefix}${seq}-c"` : JSON.stringify(`${prefix}${seq}-c`);
      const r = plainPrefix ? `${jsonPrefix}${seq}-r"` : JSON.stringify(`${prefix}${seq}-r`);
      const sentAt = io.now();
      const t = template.reserve;
      const body = `${t[0]}${c}${t[1]}${r}${t[2]}"${sentAt}"${t[3]}`;
      // Whatever happens from here, the iteration's line is written: a reference the CLI has no line
      // for stays 'sent' and is cancelled after the run.
      let status = 0;
      let code = '';
      let codeJson = '""';
      let refJson = '""';
      let answeredAt = '';
      let outcome = '';
      let outcomeStatus = 0;
      let outcomeAt = '';
      try {
        const answer = io.post(reserveUrl, body, headers(body), 'reserveFunds');
        answeredAt = io.now();
        status = answer.status;
        if (status !== 0) {
          const parsed = parseAnswer(answer.body);
          code = normaliseCode(parsed?.responseCode)?.code ?? '';
          codeJson = code === '0000' ? '"0000"' : jsonString(code);
          const given = parsed?.reserveFundsTxnRef;
          if (typeof given === 'string') refJson = jsonString(given);
        }
        if (code === '0000' && refJson !== '""') {
          const dispensed = Math.floor((n + 1) * share) > Math.floor(n * share);
          const o = dispensed ? dispensedBody : cancelBody;
          outcome = dispensed ? String(DISPENSED) : cancelCode;
          outcomeAt = io.now();
          const trBody = `${o[0]}${c}${o[1]}${r}${o[2]}${refJson}${o[3]}"${outcomeAt}"${o[4]}`;
          outcomeStatus = io.post(outcomeUrl, trBody, headers(trBody), 'transactResult').status;
        }
      } finally {
        // Exactly JSON.stringify of a LoadIterationEvent (checks/load-driver.test.ts), written as a template:
        // every string in it is either JSON already or one the harness made (ISO times, digits).
        io.line(
          `${lineHead}${seq},"account":${template.roleJson},"sentAt":"${sentAt}","status":${status},"code":${codeJson},"ref":${refJson},"answeredAt":"${answeredAt}","outcome":"${outcome}","outcomeStatus":${outcomeStatus},"outcomeAt":"${outcomeAt}"}`,
        );
      }
    },
  };
}

/** The reserveFunds answer as JSON, or null: a body that is not JSON has no code (the functional suites judge bodies). */
function parseAnswer(body: string): { responseCode?: unknown; reserveFundsTxnRef?: unknown } | null {
  try {
    return JSON.parse(body) as { responseCode?: unknown; reserveFundsTxnRef?: unknown } | null;
  } catch {
    return null;
  }
}
