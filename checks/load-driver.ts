import { DISPENSED, normaliseCode } from './codes.ts';
import { jsonString, loadAccountRoles, NEEDS_ESCAPE, type LoadRefsEvent } from './load-records.ts';
import type { BankcertSecrets, Plan, PlanAccount } from './plan.ts';
import { amountsFor, reserveRequest, transactResultRequest } from './requests.ts';
import { SIGNATURE_HEADER, type HmacSha256Base64 } from './signer.ts';

/**
 * The load suite's hot path: one reserveFunds then its transactResult per iteration, as the platform
 * does for every purchase, at the highest rate k6 can drive (bench/RESULTS.md). It does only what the
 * certificate needs from an iteration: signed, wire-exact requests, the answer's code and reference, and
 * one record (checks/load-records.ts) holding both requests' status and duration. Response schemas,
 * evidence and everything else are the functional suites' business; k6 writes no raw samples.
 *
 * Records go out in batches, one console line each (k6's console is the expensive part of an iteration):
 * a VU holds its records only while it is certain to run another iteration, which writes them (see
 * FlushPolicy). The money-safety rule (a reserveFunds is on record before it leaves) holds through the
 * references: a VU announces its prefix before its first request and numbers its iterations 1, 2, 3…,
 * and every line says the highest number the VU may reach before its next line, so a reference the CLI
 * has no record for yet is always one it already holds a 'sent' row for (scripts/run/event-ledger.ts).
 */

/** k6 Counter of load iterations begun: with the records received it tells whether any was cut short. */
export const STARTED_METRIC = 'bankcert_started';

/**
 * Set ("1") when k6 also writes its raw samples (`certify --k6-raw-samples`): then every request carries
 * the endpoint tag, so those samples can be told apart. The records need no tag, and a tag costs k6 a
 * tag set per request.
 */
export const RAW_SAMPLES_ENV = 'BANKCERT_K6_RAW_SAMPLES';

/**
 * When a VU writes its batch, checked at the end of every iteration. A VU may keep records only while
 * it will surely run again: k6 has no per-VU hook at the end of a test (teardown runs in a VU of its
 * own), so records a VU still holds when it never runs again are lost.
 * - Open model (every certification): k6 hands each iteration to whichever VU has been idle longest,
 *   and a VU cannot know whether it will get another before the end. So it writes every iteration's
 *   record at once: maxRecords 1. (With the VUs the load scenario allocates, four seconds' worth of
 *   iterations, a VU runs about once every four seconds anyway: a one-second batch would hold one record.)
 * - Closed model (constant VUs, the bench): a VU starts its next iteration as soon as one ends, until
 *   the scenario's duration is over. It holds up to maxRecords records or maxAgeMs of them, and from
 *   finalFromMs on (one second before the end) writes every iteration's.
 */
export interface FlushPolicy {
  /** Records a line holds at most; also how many references past its last line a VU may send. */
  maxRecords: number;
  /** A batch is written once this long has passed since the VU's last line. */
  maxAgeMs: number;
  /** From this time on (epoch ms) every iteration writes its batch: the VU may not run again. */
  finalFromMs: number;
}

/** One record per line: for any VU that cannot be sure it runs again (the open model). */
export const EVERY_ITERATION: FlushPolicy = { maxRecords: 1, maxAgeMs: 0, finalFromMs: 0 };

/** Batches for VUs that run back to back until `endMs` (the closed model). */
export function batchedUntil(endMs: number, maxRecords = 100, maxAgeMs = 1_000): FlushPolicy {
  return { maxRecords, maxAgeMs, finalFromMs: endMs - 1_000 };
}

/** The k6 side of the hot path, injected so this module runs in Node tests too. */
export interface LoadIo {
  /**
   * POST and return status (0 on transport error), body and k6's `res.timings.duration`; `cut` when k6
   * itself cut the request off (the run was being stopped): then it is no answer of the bank's. The
   * headers object is the driver's and changes after the call (one per VU, its signature rewritten for
   * every request): read it during the call only.
   */
  post(
    url: string,
    body: string,
    headers: Record<string, string>,
    endpoint: 'reserveFunds' | 'transactResult',
  ): { status: number; body: string; durationMs: number; cut?: boolean };
  hmac: HmacSha256Base64;
  /** Writes one event line (k6: console.log). */
  line(json: string): void;
  /** Counts an iteration as started (k6: a Counter), so the CLI can tell whether any was cut short. */
  started(): void;
  /** Epoch milliseconds (Date.now()). */
  nowMs(): number;
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
  /** The account's index in loadAccountRoles, for the record. */
  index: number;
  /** reserveFunds body around: clientTxnRef, raasTxnRef, timestamp. */
  reserve: string[];
}

export interface LoadDriver {
  /**
   * Iteration `n` of the test (k6: exec.scenario.iterationInTest): chooses the account and the outcome.
   * `lagMs`: how late it started against the schedule (null when there is none: the closed model).
   */
  iterate(n: number, lagMs: number | null): void;
}

/** `prefix`: this VU's reference prefix, unique per run, suite, k6 process and VU. */
export function loadDriver(plan: Plan, secrets: BankcertSecrets, prefix: string, io: LoadIo, policy: FlushPolicy = EVERY_ITERATION): LoadDriver {
  const pool = plan.accounts.load;
  const roles = loadAccountRoles(plan);
  const accounts: PlanAccount[] = pool.length > 0 ? pool : plan.accounts.funded ? [plan.accounts.funded] : [];
  const reserveHoles = ['clientTxnRef', 'raasTxnRef', 'timestamp'];
  const templates: AccountTemplate[] = accounts.map((account, index) => {
    const authCode = secrets.authCodes[roles[index] ?? ''];
    const sample = reserveRequest(plan, {
      refs: { clientTxnRef: HOLE('clientTxnRef'), raasTxnRef: HOLE('raasTxnRef') },
      sourceIdentifier: account.sourceIdentifier,
      reserveAmount: plan.product.typicalAmount,
      ...(authCode !== undefined ? { authCode } : {}),
      timestamp: HOLE('timestamp'),
    });
    return { index, reserve: cut(sample, reserveHoles) };
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
  const dispensedJson = `"${DISPENSED}"`;
  const cancelJson = `"${plan.cancel.responseCode}"`;
  const share = plan.load.dispensedShare;
  const secret = plan.signing.enabled ? secrets.signingSecret : undefined;
  const reserveUrl = plan.target.reserveFundsUrl;
  const outcomeUrl = plan.target.transactResultUrl;
  const jsonPrefix = jsonString(prefix).slice(0, -1);
  const plainPrefix = !NEEDS_ESCAPE.test(prefix);
  const batchHead = `{"t":"recs","prefix":${JSON.stringify(prefix)},"from":`;
  // One headers object for every request of this VU, its signature rewritten each time: k6 reads the
  // headers while http.post runs and keeps nothing, and a fresh object per request costs k6 more to read.
  const shared: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const headers = (body: string): Record<string, string> => {
    if (secret !== undefined) shared[SIGNATURE_HEADER] = io.hmac(secret, body);
    return shared;
  };
  const window = Math.max(1, Math.floor(policy.maxRecords));
  /** References numbered so far (the last one begun). */
  let seq = 0;
  /** The highest reference number already written in a line. */
  let written = 0;
  let rows: string[] = [];
  let base = 0;
  let lastLineAt = 0;

  const refsEvent: LoadRefsEvent = { t: 'refs', prefix, upto: window };
  const refsLine = JSON.stringify(refsEvent);
  /** `always`: write the line even without records, to move the VU's horizon past a reference with none. */
  const flush = (now: number, always = false) => {
    // Exactly JSON.stringify of a LoadRecordsEvent (checks/load-driver.test.ts), written as a template:
    // every string in it is either JSON already or one the harness made (digits).
    if (rows.length > 0 || always) io.line(`${batchHead}${written + 1},"upto":${seq + window},"base":${base},"r":[${rows.join(',')}]}`);
    written += rows.length;
    rows = [];
    lastLineAt = now;
  };
  return {
    iterate(n: number, lagMs: number | null): void {
      const template = templates[n % templates.length];
      if (!template) return;
      if (seq === 0) {
        io.line(refsLine);
        lastLineAt = io.nowMs();
      }
      io.started();
      seq += 1;
      const c = plainPrefix ? `${jsonPrefix}${seq}-c"` : JSON.stringify(`${prefix}${seq}-c`);
      const r = plainPrefix ? `${jsonPrefix}${seq}-r"` : JSON.stringify(`${prefix}${seq}-r`);
      const start = io.nowMs();
      if (rows.length === 0) base = start;
      const t = template.reserve;
      const body = `${t[0]}${c}${t[1]}${r}${t[2]}"${new Date(start).toISOString()}"${t[3]}`;
      // Whatever happens from here, the iteration's record is kept: a reference the CLI has no record
      // for stays 'sent' and is cancelled after the run.
      let status = 0;
      let duration = 0;
      let end = 0;
      let codeJson = '""';
      let refJson = '""';
      let outcome = '';
      let outcomeEnd = 0;
      let cut = false;
      try {
        const answer = io.post(reserveUrl, body, headers(body), 'reserveFunds');
        end = io.nowMs();
        // k6 is stopping this VU: no record (its reference stays 'sent' and cleanup settles it), and the
        // records held so far go out now, as this VU will not run again.
        if (answer.cut) {
          cut = true;
          return;
        }
        status = answer.status;
        duration = answer.durationMs;
        let code = '';
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
          // The outcome's timestamp is the moment the answer came: the record's `end`.
          const trBody = `${o[0]}${c}${o[1]}${r}${o[2]}${refJson}${o[3]}"${new Date(end).toISOString()}"${o[4]}`;
          const ack = io.post(outcomeUrl, trBody, headers(trBody), 'transactResult');
          outcomeEnd = io.nowMs();
          // An outcome k6 cut off is recorded as not sent: the reservation stays open for cleanup.
          if (ack.cut) cut = true;
          else outcome = `,${dispensed ? dispensedJson : cancelJson},${ack.status},${ack.durationMs},${outcomeEnd - base}`;
        }
      } finally {
        if (end === 0) end = io.nowMs();
        const reserveCut = cut && outcomeEnd === 0;
        if (!reserveCut)
          rows.push(
            `[${template.index},${start - base},${lagMs === null ? 'null' : lagMs},${status},${codeJson},${refJson},${duration},${end - base}${outcome}]`,
          );
        const now = outcomeEnd || end;
        if (cut || rows.length >= window || now - lastLineAt >= policy.maxAgeMs || now >= policy.finalFromMs) flush(now, cut);
        // The cut reference has no record: the next one starts after it (the CLI counts it as a gap).
        if (reserveCut) written = seq;
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
