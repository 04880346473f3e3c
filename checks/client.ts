import { normaliseCode } from './codes.ts';
import type { Exchange, LedgerEntry, ScenarioEvent } from './observation.ts';
import type { BankcertSecrets, Plan } from './plan.ts';
import { ReserveFundsResponseSchema, firstIssue, type ReserveFundsRequest, type TransactResultRequest } from './protocol.ts';
import { redactExchange } from './redact.ts';
import { transactResultRequest, type Refs } from './requests.ts';
import { SIGNATURE_HEADER, sign, type HmacSha256Base64 } from './signer.ts';

/** The one thing a scenario must provide: a synchronous POST (k6's http.post, or a test double). */
export interface Transport {
  post(url: string, body: string, headers: Record<string, string>, endpoint: Endpoint): HttpAnswer;
  /** Sends all at once (k6's http.batch): how concurrent duplicates reach the bank. */
  postBatch(items: readonly PostItem[]): HttpAnswer[];
}

export type Endpoint = 'reserveFunds' | 'transactResult';

export interface PostItem {
  url: string;
  body: string;
  headers: Record<string, string>;
  endpoint: Endpoint;
}

export interface HttpAnswer {
  /** 0 when there was no HTTP answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
  /** Transport failure (refused, reset, timeout, TLS). */
  error?: string;
}

/** What one reserveFunds answer amounts to, for the checks that look at it. */
export interface ReserveAnswer {
  request: ReserveFundsRequest;
  exchange: Exchange;
  status: number;
  /** Normalised 4-digit code when the body had one. */
  code?: string;
  numericCode: boolean;
  reserveFundsTxnRef?: string;
  /** Why the body is not a valid reserveFunds response, when it is not. */
  schemaProblem?: string;
}

export interface AckAnswer {
  request: TransactResultRequest;
  exchange: Exchange;
  status: number;
}

const EVIDENCE_BODY_LIMIT = 4096;

function clip(text: string): string {
  return text.length <= EVIDENCE_BODY_LIMIT ? text : `${text.slice(0, EVIDENCE_BODY_LIMIT)}… [${text.length - EVIDENCE_BODY_LIMIT} more characters]`;
}

/**
 * The platform side of the protocol: builds, signs and sends requests, reads answers, and keeps
 * the ledger. Every reserveFunds answer is remembered for the run-wide checks (RF-SCHEMA, RF-HTTP-200).
 */
export class BankClient {
  readonly answers: ReserveAnswer[] = [];
  private readonly secretValues: string[];

  constructor(
    private readonly plan: Plan,
    private readonly secrets: BankcertSecrets,
    private readonly transport: Transport,
    private readonly hmac: HmacSha256Base64,
    private readonly emit: (event: ScenarioEvent) => void,
    private readonly now: () => string = () => new Date().toISOString(),
    /**
     * lean: the load suite's hot path. Answers are not kept for run-wide checks, responses are not
     * schema-validated, and evidence is built only if a check asks for it.
     */
    private readonly lean = false,
  ) {
    this.secretValues = [secrets.signingSecret ?? '', ...Object.values(secrets.authCodes)].filter((s) => s.length > 0);
  }

  /** Evidence costs string work (clipping, redaction); it is built on first read, which a passing load iteration never does. */
  private withLazyExchange<T extends { exchange: Exchange }>(fields: Omit<T, 'exchange'>, build: () => Exchange): T {
    let cached: Exchange | undefined;
    return Object.defineProperty(fields, 'exchange', { enumerable: true, get: () => (cached ??= build()) }) as T;
  }

  private exchange(step: string, url: string, headers: Record<string, string>, body: string, answer: HttpAnswer): Exchange {
    const exchange: Exchange = { step, request: { method: 'POST', url, headers, body: clip(body) } };
    if (answer.status > 0) {
      exchange.response = { status: answer.status, headers: answer.headers, body: clip(answer.body), durationMs: answer.durationMs };
    }
    if (answer.error !== undefined) exchange.error = answer.error;
    return redactExchange(exchange, this.secretValues);
  }

  reserve(step: string, request: ReserveFundsRequest, account: string): ReserveAnswer {
    const item = this.reserveItem(request);
    this.record('sent', request, account, '', '', 0);
    return this.readReserve(step, request, account, item, this.transport.post(item.url, item.body, item.headers, item.endpoint));
  }

  /** The same reserveFunds requests sent at once; answers in request order. */
  reserveBatch(step: string, requests: readonly ReserveFundsRequest[], account: string): ReserveAnswer[] {
    const items = requests.map((r) => this.reserveItem(r));
    for (const r of requests) this.record('sent', r, account, '', '', 0);
    const answers = this.transport.postBatch(items);
    return requests.map((r, i) => this.readReserve(`${step} [${i + 1}/${requests.length}]`, r, account, items[i] as PostItem, answers[i] as HttpAnswer));
  }

  /**
   * Sends exactly `body` with exactly `headers` (tampered signatures, hostile bodies). `request` is what
   * the body stands for in the ledger: its refs and amounts, so a wrongly granted reservation is released.
   */
  reserveRaw(step: string, request: ReserveFundsRequest, account: string, body: string, headers: Record<string, string>): ReserveAnswer {
    const item: PostItem = { url: this.plan.target.reserveFundsUrl, body, headers, endpoint: 'reserveFunds' };
    this.record('sent', request, account, '', '', 0);
    return this.readReserve(step, request, account, item, this.transport.post(item.url, item.body, item.headers, item.endpoint));
  }

  /** The headers bankcert would send with `body`: JSON content type and, with signing on, its Signature. */
  headersFor(body: string): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (this.plan.signing.enabled && this.secrets.signingSecret) {
      headers[SIGNATURE_HEADER] = sign(body, this.secrets.signingSecret, this.hmac);
    }
    return headers;
  }

  private reserveItem(request: ReserveFundsRequest): PostItem {
    const body = JSON.stringify(request);
    return { url: this.plan.target.reserveFundsUrl, body, headers: this.headersFor(body), endpoint: 'reserveFunds' };
  }

  private readReserve(step: string, request: ReserveFundsRequest, account: string, item: PostItem, answer: HttpAnswer): ReserveAnswer {
    const { url, body, headers } = item;
    const result = this.withLazyExchange<ReserveAnswer>({ request, status: answer.status, numericCode: false }, () => this.exchange(step, url, headers, body, answer));
    if (answer.status === 0) {
      result.schemaProblem = `no answer: ${answer.error ?? 'transport error'}`;
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.body);
      } catch {
        result.schemaProblem = 'body is not JSON';
      }
      if (parsed !== undefined) {
        const normal = normaliseCode((parsed as { responseCode?: unknown } | null)?.responseCode);
        if (normal) {
          result.code = normal.code;
          result.numericCode = normal.numeric;
        }
        const ref = (parsed as { reserveFundsTxnRef?: unknown } | null)?.reserveFundsTxnRef;
        if (typeof ref === 'string' && ref.length > 0) result.reserveFundsTxnRef = ref;
        const checked = this.lean ? undefined : ReserveFundsResponseSchema.safeParse(parsed);
        if (checked && !checked.success) result.schemaProblem = firstIssue(checked.error);
        else if (result.code === '0000' && result.reserveFundsTxnRef === undefined) {
          result.schemaProblem = 'reserveFundsTxnRef: required with responseCode 0000';
        }
      }
    }
    if (!this.lean) this.answers.push(result);
    this.record('reserve', request, account, result.reserveFundsTxnRef ?? '', result.code ?? '', answer.status);
    return result;
  }

  /** Sends the dispensing outcome for a reservation (0 = dispensed → debit; other = release). */
  outcome(step: string, reservation: ReserveAnswer, responseCode: number, account: string): AckAnswer {
    return this.transactResult(step, reservation.request, reservation.reserveFundsTxnRef ?? '', responseCode, account);
  }

  transactResult(step: string, original: Refs & ReserveFundsRequest, reserveFundsTxnRef: string, responseCode: number, account: string): AckAnswer {
    return this.transactResultTimes(step, original, reserveFundsTxnRef, responseCode, account, 1, false)[0] as AckAnswer;
  }

  /**
   * The same transactResult (byte for byte: one body, one timestamp) delivered `times` times, one after
   * another or all at once. That is what the platform's re-sends look like to the bank.
   */
  transactResultTimes(
    step: string,
    original: Refs & ReserveFundsRequest,
    reserveFundsTxnRef: string,
    responseCode: number,
    account: string,
    times: number,
    concurrent: boolean,
  ): AckAnswer[] {
    const request = transactResultRequest({ refs: original, reserveFundsTxnRef, responseCode, amounts: original, timestamp: this.now() });
    const body = JSON.stringify(request);
    const item: PostItem = { url: this.plan.target.transactResultUrl, body, headers: this.headersFor(body), endpoint: 'transactResult' };
    const items = Array.from({ length: times }, () => item);
    const answers = concurrent ? this.transport.postBatch(items) : items.map((i) => this.transport.post(i.url, i.body, i.headers, i.endpoint));
    return answers.map((answer, i) => {
      this.record('outcome', original, account, reserveFundsTxnRef, String(responseCode), answer.status);
      const label = times > 1 ? `${step} [delivery ${i + 1}/${times}${concurrent ? ', concurrent' : ''}]` : step;
      return this.withLazyExchange<AckAnswer>({ request, status: answer.status }, () => this.exchange(label, item.url, item.headers, body, answer));
    });
  }

  private record(kind: LedgerEntry['kind'], r: ReserveFundsRequest, account: string, ref: string, code: string, httpStatus: number): void {
    this.emit({
      t: 'ledger',
      entry: {
        kind,
        at: this.now(),
        clientTxnRef: r.clientTxnRef,
        raasTxnRef: r.raasTxnRef,
        reserveFundsTxnRef: ref,
        account,
        reserveAmount: r.reserveAmount,
        code,
        httpStatus,
        feeAmount: r.feeAmount,
        clientShareAmount: r.clientShareAmount,
        settlementAmount: r.settlementAmount,
      },
    });
  }
}
