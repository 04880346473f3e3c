import { CLEANUP_OUTCOME } from '../../checks/codes.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { transactResultRequest } from '../../checks/requests.ts';
import { SIGNATURE_HEADER, sign } from '../../checks/signer.ts';
import { nodeHmac } from '../util/digest.ts';
import { send, describeNetworkError, type TlsFiles } from '../util/http.ts';
import type { LedgerRow, Reservation } from './ledger.ts';

export interface CleanupOptions {
  plan: Plan;
  secrets: BankcertSecrets;
  tls?: TlsFiles | undefined;
  attempts?: number;
  /** First backoff; doubles per attempt. */
  backoffMs?: number;
  log(line: string): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Finishes every reservation that has no acknowledged outcome with a failure transactResult, so a
 * buyer's money is never left held by the harness (SF-CLEANUP), whatever ended the run. Retries with
 * backoff because the bank may be restarting; every attempt goes to the ledger.
 */
export async function cleanup(open: readonly Reservation[], options: CleanupOptions): Promise<LedgerRow[]> {
  const attempts = options.attempts ?? 4;
  const rows: LedgerRow[] = [];
  for (const { reserve, unanswered } of open) {
    // Without the bank's reference, cancel the way the platform does after its 5 s cut-off (docs/checks.md, SF-TIMEOUT-CANCEL).
    const reference = unanswered ? (options.plan.cancel.reserveFundsTxnRef === 'empty' ? '' : reserve.raasTxnRef) : reserve.reserveFundsTxnRef;
    const request = transactResultRequest({
      refs: reserve,
      reserveFundsTxnRef: reference,
      responseCode: CLEANUP_OUTCOME,
      amounts: reserve,
      timestamp: new Date().toISOString(),
    });
    const body = JSON.stringify(request);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (options.plan.signing.enabled && options.secrets.signingSecret) headers[SIGNATURE_HEADER] = sign(body, options.secrets.signingSecret, nodeHmac);
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      let status = 0;
      try {
        status = (await send('POST', options.plan.target.transactResultUrl, { body, headers, tls: options.tls, timeoutMs: options.plan.target.timeoutMs })).status;
      } catch (err) {
        options.log(`cleanup ${reserve.raasTxnRef}: attempt ${attempt}: ${describeNetworkError(err)}`);
      }
      rows.push({ ...reserve, reserveFundsTxnRef: reference, kind: 'outcome', by: 'cleanup', at: new Date().toISOString(), code: String(request.responseCode), httpStatus: status });
      if (status === 200 || (unanswered && status === 404)) break;
      if (status !== 0) options.log(`cleanup ${reserve.raasTxnRef}: attempt ${attempt}: HTTP ${status}`);
      // A 4xx will not change on retry (404: the bank does not know it); it stays open for reconcile.
      if (status >= 400 && status < 500) break;
      if (attempt < attempts) await sleep((options.backoffMs ?? 500) * 2 ** (attempt - 1));
    }
  }
  return rows;
}
