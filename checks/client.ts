import { normaliseCode } from './codes.ts';
import { RECORDED_BODY_LIMIT, RECORDED_PREFIX, type Exchange, type ExchangeRecord, type LedgerEntry, type RecordedBody, type ScenarioEvent } from './events.ts';
import type { Suite } from './ids.ts';
import type { BankcertSecrets, Plan } from './plan.ts';
import type { Endpoint, ReserveFundsRequest, TransactResultRequest } from './protocol.ts';
import type { ResponseValidator } from './reserve-response.ts';
import { redactExchange } from './redact.ts';
import { transactResultRequest, wrongAuthCode, type Refs } from './requests.ts';
import { jsonHeaders, sign, SIGNATURE_HEADER, signingSecretOf, type HmacSha256Base64 } from './signer.ts';

/** The one thing a scenario must provide: a synchronous POST (k6's http.post, or a test double). */
export interface Transport {
  post(url: string, body: string, headers: Record<string, string>, endpoint: Endpoint): HttpAnswer;
  /** Sends all at once (k6's http.batch): how concurrent duplicates reach the bank. */
  postBatch(items: readonly PostItem[]): HttpAnswer[];
}

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

/**
 * A functional suite records every exchange (ExchangeRecord) so that `bankcert verify` can replay it:
 * the suite names the records, sha256Hex (k6/crypto or node:crypto) digests a body too large to keep.
 */
export interface ExchangeRecording {
  suite: Suite;
  sha256Hex: (text: string) => string;
}

/** What the client knows about one request when it records it. */
interface Sent {
  step: string;
  endpoint: Endpoint;
  url: string;
  body: string;
  headers: Record<string, string>;
  account: string;
  refs: string[];
  /** The request object's authCode, when it has one. */
  authCode?: string | undefined;
  raw?: boolean;
  batch?: [number, number];
}

const EVIDENCE_BODY_LIMIT = 4096;
/** Larger reserveFunds answers fail RF-SCHEMA: the API reference documents {responseCode, reserveFundsTxnRef}. */
export const MAX_ANSWER_CHARS = 65_536;

function clip(text: string): string {
  return text.length <= EVIDENCE_BODY_LIMIT ? text : `${text.slice(0, EVIDENCE_BODY_LIMIT)}… [${text.length - EVIDENCE_BODY_LIMIT} more characters]`;
}

/** What an answer's evidence is built from, and with which secrets to redact. */
interface EvidenceSource {
  step: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  answer: HttpAnswer;
  secrets: readonly string[];
}

function buildExchange(e: EvidenceSource): Exchange {
  const exchange: Exchange = { step: e.step, request: { method: 'POST', url: e.url, headers: e.headers, body: clip(e.body) } };
  if (e.answer.status > 0) {
    exchange.response = { status: e.answer.status, headers: e.answer.headers, body: clip(e.answer.body), durationMs: e.answer.durationMs };
  }
  if (e.answer.error !== undefined) exchange.error = e.answer.error;
  return redactExchange(exchange, e.secrets);
}

// Answers keep what their evidence is made of and build it (clipping, redaction) on first read of
// `exchange`: only checks that fail or report evidence pay for it. Fields are `declare`d so the ES2020
// bundle assigns them instead of defining each.

/** The request, its status, and the evidence built on first read: shared by both kinds of answer. */
class LazyAnswer<R> {
  declare request: R;
  declare status: number;
  declare private evidence: EvidenceSource;
  declare private built?: Exchange;

  constructor(request: R, evidence: EvidenceSource) {
    this.request = request;
    this.status = evidence.answer.status;
    this.evidence = evidence;
  }

  get exchange(): Exchange {
    return (this.built ??= buildExchange(this.evidence));
  }
}

class LazyReserveAnswer extends LazyAnswer<ReserveFundsRequest> implements ReserveAnswer {
  declare code?: string;
  declare numericCode: boolean;
  declare reserveFundsTxnRef?: string;
  declare schemaProblem?: string;

  constructor(request: ReserveFundsRequest, evidence: EvidenceSource) {
    super(request, evidence);
    this.numericCode = false;
  }
}

class LazyAckAnswer extends LazyAnswer<TransactResultRequest> implements AckAnswer {}

/**
 * The platform side of the protocol: builds, signs and sends requests, reads answers, and keeps
 * the ledger. Every reserveFunds answer is remembered for the run-wide checks (RF-SCHEMA, RF-HTTP-200).
 */
export class BankClient {
  readonly answers: ReserveAnswer[] = [];
  private readonly secretValues: string[];
  /** Exchanges recorded so far (ExchangeRecord.n). */
  private recorded = 0;

  constructor(
    private readonly plan: Plan,
    private readonly secrets: BankcertSecrets,
    private readonly transport: Transport,
    private readonly hmac: HmacSha256Base64,
    private readonly emit: (event: ScenarioEvent) => void,
    /** The response schema check (checks/reserve-response.ts), injected so zod stays out of bundles that do not validate. */
    private readonly validateResponse: ResponseValidator,
    private readonly now: () => string = () => new Date().toISOString(),
    /** Absent (unit tests), no exchange is recorded. */
    private readonly recording?: ExchangeRecording,
  ) {
    this.secretValues = [secrets.signingSecret ?? '', ...Object.values(secrets.authCodes)].filter((s) => s.length > 0);
  }

  reserve(step: string, request: ReserveFundsRequest, account: string): ReserveAnswer {
    const url = this.plan.target.reserveFundsUrl;
    const body = JSON.stringify(request);
    const headers = this.headersFor(body);
    this.record('sent', request, account, '', '', 0);
    const answer = this.transport.post(url, body, headers, 'reserveFunds');
    this.recordExchange(
      { step, endpoint: 'reserveFunds', url, body, headers, account, refs: [request.clientTxnRef, request.raasTxnRef], authCode: request.authCode },
      answer,
    );
    return this.readReserve(step, request, account, url, body, headers, answer);
  }

  /** The same reserveFunds requests sent at once; answers in request order. */
  reserveBatch(step: string, requests: readonly ReserveFundsRequest[], account: string): ReserveAnswer[] {
    const items = requests.map((r) => this.reserveItem(r));
    for (const r of requests) this.record('sent', r, account, '', '', 0);
    const answers = this.transport.postBatch(items);
    return requests.map((r, i) => {
      const item = items[i] as PostItem;
      const label = `${step} [${i + 1}/${requests.length}]`;
      const answer = answers[i] as HttpAnswer;
      this.recordExchange(
        { ...item, step: label, account, refs: [r.clientTxnRef, r.raasTxnRef], authCode: r.authCode, batch: [i + 1, requests.length] },
        answer,
      );
      return this.readReserve(label, r, account, item.url, item.body, item.headers, answer);
    });
  }

  /**
   * Sends exactly `body` with exactly `headers` (tampered signatures, hostile bodies). `request` is what
   * the body stands for in the ledger: its refs and amounts, so a wrongly granted reservation is released.
   */
  reserveRaw(step: string, request: ReserveFundsRequest, account: string, body: string, headers: Record<string, string>): ReserveAnswer {
    const url = this.plan.target.reserveFundsUrl;
    this.record('sent', request, account, '', '', 0);
    const answer = this.transport.post(url, body, headers, 'reserveFunds');
    this.recordExchange({ step, endpoint: 'reserveFunds', url, body, headers, account, refs: [request.clientTxnRef, request.raasTxnRef], raw: true }, answer);
    return this.readReserve(step, request, account, url, body, headers, answer);
  }

  /** The headers bankcert would send with `body`: JSON content type and, with signing on, its Signature. */
  headersFor(body: string): Record<string, string> {
    return jsonHeaders(body, signingSecretOf(this.plan, this.secrets), this.hmac);
  }

  private reserveItem(request: ReserveFundsRequest): PostItem {
    const body = JSON.stringify(request);
    return { url: this.plan.target.reserveFundsUrl, body, headers: this.headersFor(body), endpoint: 'reserveFunds' };
  }

  private readReserve(
    step: string,
    request: ReserveFundsRequest,
    account: string,
    url: string,
    body: string,
    headers: Record<string, string>,
    answer: HttpAnswer,
  ): ReserveAnswer {
    const result = new LazyReserveAnswer(request, { step, url, headers, body, answer, secrets: this.secretValues });
    if (answer.status === 0) {
      result.schemaProblem = `no answer: ${answer.error ?? 'transport error'}`;
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.body) as unknown;
      } catch {
        result.schemaProblem = 'body is not JSON';
      }
      if (parsed !== undefined) {
        const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
        const normal = normaliseCode(fields?.responseCode);
        if (normal) {
          result.code = normal.code;
          result.numericCode = normal.numeric;
        }
        const ref = fields?.reserveFundsTxnRef;
        if (typeof ref === 'string' && ref.length > 0) result.reserveFundsTxnRef = ref;
        const problem = this.validateResponse(parsed);
        if (problem !== undefined) result.schemaProblem = problem;
        else if (result.code === '0000' && result.reserveFundsTxnRef === undefined) {
          result.schemaProblem = 'reserveFundsTxnRef: required with responseCode 0000';
        }
        // The documented answer is a two-field object; a platform cannot be asked to read megabytes per purchase.
        if (answer.body.length > MAX_ANSWER_CHARS)
          result.schemaProblem = `an answer of ${answer.body.length} characters (a reserveFunds answer is a small JSON object; at most ${MAX_ANSWER_CHARS} accepted)`;
      }
    }
    this.answers.push(result);
    this.record('reserve', request, account, result.reserveFundsTxnRef ?? '', result.code ?? '', answer.status);
    return result;
  }

  /** Sends the dispensing outcome for a reservation (0 = dispensed → debit; other = release). */
  outcome(step: string, reservation: ReserveAnswer, responseCode: number, account: string): AckAnswer {
    return this.transactResult(step, reservation.request, reservation.reserveFundsTxnRef ?? '', responseCode, account);
  }

  transactResult(step: string, original: Refs & ReserveFundsRequest, reserveFundsTxnRef: string, responseCode: number, account: string): AckAnswer {
    const request = this.transactResultBody(original, reserveFundsTxnRef, responseCode);
    const url = this.plan.target.transactResultUrl;
    const body = JSON.stringify(request);
    const headers = this.headersFor(body);
    const answer = this.transport.post(url, body, headers, 'transactResult');
    this.recordExchange(
      { step, endpoint: 'transactResult', url, body, headers, account, refs: [request.clientTxnRef, request.raasTxnRef, reserveFundsTxnRef] },
      answer,
    );
    this.record('outcome', original, account, reserveFundsTxnRef, String(responseCode), answer.status);
    return new LazyAckAnswer(request, { step, url, headers, body, answer, secrets: this.secretValues });
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
    if (times === 1 && !concurrent) return [this.transactResult(step, original, reserveFundsTxnRef, responseCode, account)];
    const request = this.transactResultBody(original, reserveFundsTxnRef, responseCode);
    const body = JSON.stringify(request);
    const item: PostItem = { url: this.plan.target.transactResultUrl, body, headers: this.headersFor(body), endpoint: 'transactResult' };
    const items = Array.from({ length: times }, () => item);
    const label = (i: number) => (times > 1 ? `${step} [delivery ${i + 1}/${times}${concurrent ? ', concurrent' : ''}]` : step);
    const refs = [request.clientTxnRef, request.raasTxnRef, reserveFundsTxnRef];
    const answers = concurrent
      ? this.transport.postBatch(items)
      : items.map((it, i) => {
          const answer = this.transport.post(it.url, it.body, it.headers, it.endpoint);
          this.recordExchange({ ...it, step: label(i), account, refs }, answer);
          return answer;
        });
    if (concurrent) answers.forEach((answer, i) => this.recordExchange({ ...item, step: label(i), account, refs, batch: [i + 1, times] }, answer));
    return answers.map((answer, i) => {
      this.record('outcome', original, account, reserveFundsTxnRef, String(responseCode), answer.status);
      return new LazyAckAnswer(request, { step: label(i), url: item.url, headers: item.headers, body, answer, secrets: this.secretValues });
    });
  }

  /**
   * Sends exactly `body` with exactly `headers` to transactResult (forged outcomes). Not a ledger row:
   * a forged outcome is not the platform's, so the reservation stays open until a real one is sent.
   */
  transactResultRaw(step: string, request: TransactResultRequest, body: string, headers: Record<string, string>): AckAnswer {
    const url = this.plan.target.transactResultUrl;
    const answer = this.transport.post(url, body, headers, 'transactResult');
    this.recordExchange(
      {
        step,
        endpoint: 'transactResult',
        url,
        body,
        headers,
        account: 'none',
        refs: [request.clientTxnRef, request.raasTxnRef, request.reserveFundsTxnRef],
        raw: true,
      },
      answer,
    );
    return new LazyAckAnswer(request, { step, url, headers, body, answer, secrets: this.secretValues });
  }

  private transactResultBody(original: Refs & ReserveFundsRequest, reserveFundsTxnRef: string, responseCode: number): TransactResultRequest {
    return transactResultRequest({ refs: original, reserveFundsTxnRef, responseCode, amounts: original, timestamp: this.now() });
  }

  /** One ExchangeRecord per request, in the order the requests were made (a batch: in request order, after it). */
  private recordExchange(sent: Sent, answer: HttpAnswer): void {
    const recording = this.recording;
    if (!recording) return;
    this.recorded += 1;
    const secret = signingSecretOf(this.plan, this.secrets);
    const given = Object.entries(sent.headers).find(([name]) => name.toLowerCase() === SIGNATURE_HEADER.toLowerCase())?.[1];
    const signature = given === undefined ? 'none' : secret !== undefined && given === sign(sent.body, secret, this.hmac) ? 'valid' : 'other';
    const own = this.secrets.authCodes[sent.account];
    const authCode =
      sent.raw || sent.authCode === undefined
        ? undefined
        : own !== undefined && sent.authCode === own
          ? 'account'
          : own !== undefined && sent.authCode === wrongAuthCode(own)
            ? 'wrong'
            : 'other';
    // The same redaction as evidence, on the whole exchange (bodies kept up to RECORDED_BODY_LIMIT).
    const evidence = redactExchange(
      {
        step: sent.step,
        request: { method: 'POST', url: sent.url, headers: sent.headers, body: sent.body },
        ...(answer.status > 0 ? { response: { status: answer.status, headers: answer.headers, body: answer.body, durationMs: answer.durationMs } } : {}),
        ...(answer.error !== undefined ? { error: answer.error } : {}),
      },
      this.secretValues,
    );
    const kept = (text: string): RecordedBody =>
      text.length <= RECORDED_BODY_LIMIT ? text : { length: text.length, sha256: recording.sha256Hex(text), prefix: text.slice(0, RECORDED_PREFIX) };
    const record: ExchangeRecord = {
      t: 'x',
      suite: recording.suite,
      n: this.recorded,
      step: sent.step,
      endpoint: sent.endpoint,
      at: new Date().toISOString(),
      ...(sent.batch ? { batch: sent.batch } : {}),
      account: sent.account,
      refs: sent.refs,
      signature,
      ...(authCode ? { authCode } : {}),
      ...(sent.raw ? { raw: true as const } : {}),
      request: { ...evidence.request, body: kept(evidence.request.body) },
      ...(evidence.response ? { response: { ...evidence.response, body: kept(evidence.response.body) } } : {}),
      ...(evidence.error !== undefined ? { error: evidence.error } : {}),
    };
    this.emit(record);
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
