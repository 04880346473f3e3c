import { CLEANUP_OUTCOME } from '../../checks/codes.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { cancelReference, transactResultRequest } from '../../checks/requests.ts';
import { jsonHeaders, signingSecretOf } from '../../checks/signer.ts';
import { nodeHmac } from '../util/digest.ts';
import { send, describeNetworkError, type TlsFiles } from '../util/http.ts';
import type { LedgerRow, Reservation } from '../../checks/ledger.ts';

export interface CleanupOptions {
  plan: Plan;
  secrets: BankcertSecrets;
  tls?: TlsFiles | undefined;
  /** Rounds over the reservations still open (the first included). */
  attempts?: number;
  /** Wait before the second round; doubles per round. */
  backoffMs?: number;
  /**
   * Transport errors in a row (no HTTP answer at all) after which the bank counts as not listening
   * and the round stops: a dead bank costs a few connection attempts, not one per reservation.
   */
  unreachableAfter?: number;
  /** Each attempt as it happens, so the ledger on disk has it even if the process dies next. */
  record(row: LedgerRow): void;
  log(line: string): void;
  /** Asked between requests: true stops the cleanup (a second Ctrl-C); what is left is for reconcile. */
  stop?: () => boolean;
}

export interface CleanupOutcome {
  /** Reservations still without an acknowledged outcome. */
  open: number;
  /** Why the cleanup stopped with reservations left: the bank stopped answering, or it was interrupted. */
  gaveUp?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Pending {
  reservation: Reservation;
  reference: string;
  request: ReturnType<typeof transactResultRequest>;
  body: string;
  headers: Record<string, string>;
}

/**
 * Finishes every reservation that has no acknowledged outcome with a failure transactResult, so a
 * buyer's money is never left held by the harness (SF-CLEANUP), whatever ended the run. Works in
 * rounds over what is still open, with a backoff between rounds, because the bank may be busy or
 * restarting. Bounded when nothing listens: a round in which the bank gave no HTTP answer at all ends
 * the cleanup (after `unreachableAfter` transport errors in a row), and `bankcert reconcile` finishes
 * the rest once the bank answers. Every attempt goes to the ledger.
 */
export async function cleanup(open: readonly Reservation[], options: CleanupOptions): Promise<CleanupOutcome> {
  const attempts = options.attempts ?? 4;
  const unreachableAfter = options.unreachableAfter ?? 3;
  let pending = open.map((r) => prepare(r, options));
  // Answered with a 4xx that does not settle them: they stay open but a retry would not change that.
  let refused = 0;
  for (let round = 1; round <= attempts && pending.length > 0; round += 1) {
    if (round > 1) await sleep((options.backoffMs ?? 500) * 2 ** (round - 2));
    const retry: Pending[] = [];
    let answers = 0;
    let failuresInARow = 0;
    let lastFailure = '';
    for (const [index, item] of pending.entries()) {
      if (options.stop?.()) return { open: refused + retry.length + pending.length - index, gaveUp: 'the cleanup was interrupted' };
      const { status, error } = await attempt(item, options);
      options.record(outcomeRow(item, status));
      const { reserve, unanswered } = item.reservation;
      if (status === 200 || (unanswered && status === 404)) {
        answers += 1;
        failuresInARow = 0;
        continue;
      }
      options.log(`cleanup ${reserve.raasTxnRef}: round ${round}: ${status === 0 ? error : `HTTP ${status}`}`);
      if (status !== 0) {
        answers += 1;
        failuresInARow = 0;
        // A 4xx will not change on retry (404: the bank does not know it); it stays open for the judge and reconcile.
        if (status < 500) refused += 1;
        else retry.push(item);
        continue;
      }
      failuresInARow += 1;
      lastFailure = error;
      retry.push(item);
      if (failuresInARow >= unreachableAfter) {
        // The bank is not listening: trying the rest now would cost a connection attempt (or a
        // timeout) each. They wait for the next round, or for reconcile.
        retry.push(...pending.slice(index + 1));
        break;
      }
    }
    if (answers === 0) return { open: refused + retry.length, gaveUp: `the bank does not answer (${lastFailure})` };
    pending = retry;
  }
  return { open: refused + pending.length };
}

function prepare(reservation: Reservation, options: CleanupOptions): Pending {
  const { reserve, unanswered } = reservation;
  // Without the bank's reference, cancel the way the platform does after its 5 s cut-off (docs/checks.md, SF-TIMEOUT-CANCEL).
  const reference = unanswered ? cancelReference(options.plan, reserve.raasTxnRef) : reserve.reserveFundsTxnRef;
  const request = transactResultRequest({
    refs: reserve,
    reserveFundsTxnRef: reference,
    responseCode: CLEANUP_OUTCOME,
    amounts: reserve,
    timestamp: new Date().toISOString(),
  });
  const body = JSON.stringify(request);
  const headers = jsonHeaders(body, signingSecretOf(options.plan, options.secrets), nodeHmac);
  return { reservation, reference, request, body, headers };
}

async function attempt(item: Pending, options: CleanupOptions): Promise<{ status: number; error: string }> {
  try {
    const answer = await send('POST', options.plan.target.transactResultUrl, {
      body: item.body,
      headers: item.headers,
      tls: options.tls,
      timeoutMs: options.plan.target.timeoutMs,
    });
    return { status: answer.status, error: '' };
  } catch (err) {
    return { status: 0, error: describeNetworkError(err) };
  }
}

function outcomeRow(item: Pending, status: number): LedgerRow {
  return {
    ...item.reservation.reserve,
    reserveFundsTxnRef: item.reference,
    kind: 'outcome',
    by: 'cleanup',
    at: new Date().toISOString(),
    code: String(item.request.responseCode),
    httpStatus: status,
  };
}
