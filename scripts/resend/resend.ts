import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseCode } from '../../checks/codes.ts';
import type { ExchangeRecord } from '../../checks/events.ts';
import { openReservations, summariseLedger, type LedgerRow } from '../../checks/ledger.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { REDACTED } from '../../checks/redact.ts';
import type { LedgerSummary } from '../../checks/result.ts';
import { amountsFor, wrongAuthCode, type Refs } from '../../checks/requests.ts';
import { jsonHeaders, SIGNATURE_HEADER, sign, signingSecretOf } from '../../checks/signer.ts';
import { cleanup } from '../ledger/cleanup.ts';
import { LedgerFile, ledgerCsv, ledgerPath, RESENT_DIR } from '../ledger/ledger.ts';
import { nodeHmac } from '../util/digest.ts';
import { describeNetworkError, send, tlsOf } from '../util/http.ts';

/** One request as it goes out again: its body, headers and where to. */
export interface Outgoing {
  url: string;
  body: string;
  headers: Record<string, string>;
  refs: Refs;
}

/** What the bank answered this time. */
export interface Answer {
  status: number;
  /** Normalised responseCode, '' without one. */
  code: string;
  body: string;
  reserveFundsTxnRef?: string;
  error?: string;
}

/** A request that was re-sent, or why it could not be. */
export type Resent = { sent: Outgoing; answer: Answer } | { skipped: string };

const text = (body: ExchangeRecord['request']['body']) => (typeof body === 'string' ? body : undefined);

/** The recorded responseCode of an exchange ('' when its answer had none). */
export function recordedCode(rec: ExchangeRecord): string {
  const body = rec.response ? text(rec.response.body) : undefined;
  try {
    const parsed = body === undefined ? undefined : (JSON.parse(body) as { responseCode?: unknown });
    return normaliseCode(parsed?.responseCode)?.code ?? '';
  } catch {
    return '';
  }
}

/**
 * Sends recorded requests again, with fresh references and the timestamp of now, signed with the secret
 * from the environment, to the session's target. Every reserveFunds goes to the session's ledger before it
 * leaves; whatever the bank grants is released at once (a failure transactResult, as the post-run cleanup).
 */
export class Resender {
  private seq = 0;
  readonly folder: string;
  private readonly ledger: LedgerFile;

  constructor(
    runDir: string,
    kind: string,
    readonly plan: Plan,
    private readonly secrets: BankcertSecrets,
    private readonly log: (line: string) => void,
  ) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    this.folder = join(runDir, RESENT_DIR, `${kind}-${stamp}-${randomBytes(2).toString('hex')}`);
    mkdirSync(this.folder, { recursive: true });
    writeFileSync(join(this.folder, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
    this.ledger = new LedgerFile(ledgerPath(this.folder));
  }

  private nextRefs(): Refs {
    this.seq += 1;
    const base = `bc-${this.plan.runId}-resent-1-${this.seq}`;
    return { clientTxnRef: `${base}-c`, raasTxnRef: `${base}-r` };
  }

  /**
   * The recorded body with fresh references (every occurrence: a hostile body may repeat them), a fresh
   * timestamp, and the authCode the record says it carried; undefined with the reason when it cannot be rebuilt.
   */
  rebuild(rec: ExchangeRecord, refs: Refs, extra: Record<string, string> = {}): { body: string } | { skipped: string } {
    const recorded = text(rec.request.body);
    if (recorded === undefined) return { skipped: 'its body was kept only in part (over the recorded size)' };
    let body = recorded
      .split(rec.refs[0] ?? '\u0000')
      .join(refs.clientTxnRef)
      .split(rec.refs[1] ?? '\u0000')
      .join(refs.raasTxnRef);
    for (const [from, to] of Object.entries(extra)) body = body.split(from).join(to);
    const stamp = /"timestamp"\s*:\s*"(\d{4}-\d\d-\d\dT[^"]*)"/.exec(body);
    if (stamp?.[1]) body = body.split(stamp[0]).join(stamp[0].replace(stamp[1], new Date().toISOString()));
    const field = /("authCode"\s*:\s*)"\[redacted\]"/;
    if (field.test(body)) {
      const own = this.secrets.authCodes[rec.account];
      const code = rec.raw ? undefined : rec.authCode === 'account' ? own : rec.authCode === 'wrong' && own !== undefined ? wrongAuthCode(own) : undefined;
      if (code === undefined) {
        return {
          skipped:
            rec.raw || rec.authCode === 'other'
              ? 'it carried a hostile authCode, which the records keep redacted'
              : `it carries accounts.${rec.account}.authCode: give --config with it`,
        };
      }
      body = body.replace(field, `$1${JSON.stringify(code)}`);
    }
    if (body.includes(REDACTED)) return { skipped: 'its body holds a redacted secret' };
    return { body };
  }

  /** Headers as recorded (content type of a hostile body included), signed again when the request was signed. */
  private headersFor(rec: ExchangeRecord, body: string): Record<string, string> | undefined {
    if (rec.signature === 'other') return undefined;
    const headers = Object.fromEntries(Object.entries(rec.request.headers).filter(([name]) => name.toLowerCase() !== SIGNATURE_HEADER.toLowerCase()));
    const secret = signingSecretOf(this.plan, this.secrets);
    if (rec.signature === 'valid') {
      if (secret === undefined) return jsonHeaders(body, undefined, nodeHmac);
      headers[SIGNATURE_HEADER] = sign(body, secret, nodeHmac);
    }
    return headers;
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
    try {
      const a = await send('POST', url, { body, headers, tls: tlsOf(this.plan), timeoutMs: this.plan.target.timeoutMs });
      let parsed: { responseCode?: unknown; reserveFundsTxnRef?: unknown } | undefined;
      try {
        parsed = JSON.parse(a.body) as typeof parsed;
      } catch {
        parsed = undefined;
      }
      const ref = parsed?.reserveFundsTxnRef;
      return {
        status: a.status,
        code: normaliseCode(parsed?.responseCode)?.code ?? '',
        body: a.body,
        ...(typeof ref === 'string' && ref !== '' ? { reserveFundsTxnRef: ref } : {}),
      };
    } catch (err) {
      return { status: 0, code: '', body: '', error: describeNetworkError(err) };
    }
  }

  private row(kind: LedgerRow['kind'], rec: ExchangeRecord, refs: Refs, body: string, fields: Partial<LedgerRow> = {}): LedgerRow {
    let amount = 0;
    try {
      const parsed = JSON.parse(body) as { reserveAmount?: unknown };
      if (typeof parsed.reserveAmount === 'number' && Number.isFinite(parsed.reserveAmount)) amount = parsed.reserveAmount;
    } catch {
      // a hostile body: no amounts to record
    }
    const a = amountsFor(this.plan, amount);
    return {
      kind,
      at: new Date().toISOString(),
      ...refs,
      reserveFundsTxnRef: '',
      account: rec.account,
      reserveAmount: a.reserveAmount,
      code: '',
      httpStatus: 0,
      feeAmount: a.feeAmount,
      clientShareAmount: a.clientShareAmount,
      settlementAmount: a.settlementAmount,
      by: 'scenario',
      ...fields,
    };
  }

  /** A recorded reserveFunds, sent again; anything granted is released before this returns. */
  async reserve(rec: ExchangeRecord): Promise<Resent> {
    const resent = await this.reserveKept(rec);
    if (!('skipped' in resent)) await this.releaseOpen();
    return resent;
  }

  /**
   * A recorded transactResult, sent again. One for a reservation the bank granted needs that reservation:
   * `reservation` (its recorded reserveFunds) is sent again first, and the outcome names the new reference.
   * One for an unknown reservation, or a cancel by raasTxnRef, needs none.
   */
  async outcome(rec: ExchangeRecord, reservation: ExchangeRecord | undefined): Promise<{ reservation?: Resent; outcome: Resent }> {
    const oldRef = rec.refs[2] ?? '';
    const needsReservation = oldRef !== '' && oldRef !== rec.refs[1] && !oldRef.includes(rec.refs[1] ?? '\u0000');
    let refs = this.nextRefs();
    const extra: Record<string, string> = {};
    let before: Resent | undefined;
    if (needsReservation) {
      if (!reservation) return { outcome: { skipped: 'the reservation it finishes is not in the records' } };
      before = await this.reserveKept(reservation);
      if ('skipped' in before) return { reservation: before, outcome: { skipped: `its reservation cannot be made again: ${before.skipped}` } };
      if (before.answer.code !== '0000' || !before.answer.reserveFundsTxnRef)
        return {
          reservation: before,
          outcome: {
            skipped: `its reservation was not granted again (${before.answer.status === 0 ? 'no answer' : `HTTP ${before.answer.status}, ${before.answer.code || 'no code'}`})`,
          },
        };
      refs = before.sent.refs;
      extra[oldRef] = before.answer.reserveFundsTxnRef;
    }
    const built = this.rebuild(rec, refs, extra);
    if ('skipped' in built) {
      await this.releaseOpen();
      return { ...(before ? { reservation: before } : {}), outcome: built };
    }
    const headers = this.headersFor(rec, built.body);
    if (!headers) {
      await this.releaseOpen();
      return { ...(before ? { reservation: before } : {}), outcome: { skipped: 'it was sent with a deliberately tampered Signature' } };
    }
    const url = this.plan.target.transactResultUrl;
    const answer = await this.post(url, built.body, headers);
    const code = outcomeCode(built.body);
    if (!rec.raw)
      this.ledger.add(
        this.row('outcome', rec, refs, before && 'sent' in before ? before.sent.body : built.body, {
          reserveFundsTxnRef: extra[oldRef] ?? oldRef,
          code,
          httpStatus: answer.status,
        }),
      );
    await this.releaseOpen();
    return { ...(before ? { reservation: before } : {}), outcome: { sent: { url, body: built.body, headers, refs }, answer } };
  }

  /** Like reserve, but a granted reservation stays held for the outcome that follows. */
  private async reserveKept(rec: ExchangeRecord): Promise<Resent> {
    const refs = this.nextRefs();
    const built = this.rebuild(rec, refs);
    if ('skipped' in built) return built;
    const headers = this.headersFor(rec, built.body);
    if (!headers) return { skipped: 'it was sent with a deliberately tampered Signature' };
    const url = this.plan.target.reserveFundsUrl;
    this.ledger.add(this.row('sent', rec, refs, built.body));
    const answer = await this.post(url, built.body, headers);
    this.ledger.add(
      this.row('reserve', rec, refs, built.body, { reserveFundsTxnRef: answer.reserveFundsTxnRef ?? '', code: answer.code, httpStatus: answer.status }),
    );
    return { sent: { url, body: built.body, headers, refs }, answer };
  }

  /** Every reservation of the session without an acknowledged outcome, finished now (cleanup's failure outcome). */
  private async releaseOpen(): Promise<void> {
    const open = openReservations(this.ledger.rows);
    if (open.length === 0) return;
    await cleanup(open, {
      plan: this.plan,
      secrets: this.secrets,
      tls: tlsOf(this.plan),
      record: (row) => this.ledger.add(row),
      log: this.log,
      attempts: 2,
      backoffMs: 200,
    });
  }

  /** True once a request of the session reached the ledger. */
  get used(): boolean {
    return this.ledger.rows.length > 0;
  }

  /** Closes the ledger (and its CSV); what is still open is for `bankcert reconcile`. A session that sent nothing leaves no folder. */
  async close(): Promise<LedgerSummary> {
    await this.releaseOpen();
    await this.ledger.close();
    if (this.ledger.rows.length === 0) rmSync(this.folder, { recursive: true, force: true });
    else writeFileSync(join(this.folder, 'ledger.csv'), ledgerCsv(this.ledger.rows));
    return summariseLedger(this.ledger.rows);
  }
}

/** The responseCode a transactResult body sends, as the ledger writes it ('' when it is not a number). */
function outcomeCode(body: string): string {
  try {
    const code = (JSON.parse(body) as { responseCode?: unknown }).responseCode;
    return typeof code === 'number' ? String(code) : '';
  } catch {
    return '';
  }
}
