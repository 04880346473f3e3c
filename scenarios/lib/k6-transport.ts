import { hmac } from 'k6/crypto';
import http, { type RefinedResponse } from 'k6/http';
import type { HttpAnswer, Transport } from '../../checks/client.ts';
import type { HmacSha256Base64 } from '../../checks/signer.ts';

/** k6/crypto encodes string keys and data as UTF-8, as the signing vectors require. */
export const k6Hmac: HmacSha256Base64 = (secret, message) => hmac('sha256', secret, message, 'base64');

/**
 * One k6 response as an HttpAnswer. The headers are copied into a plain object only when read (for
 * evidence): the copy costs more than the rest of the answer together, and most answers never need it.
 */
class K6Answer implements HttpAnswer {
  // `declare`: plain assignments below. Declared class fields would compile (for k6's ES2020) into one
  // Object.defineProperty call each, per answer.
  declare readonly status: number;
  declare readonly body: string;
  declare readonly durationMs: number;
  declare readonly error?: string;
  declare private readonly res: RefinedResponse<'text'>;
  declare private copied: Record<string, string> | undefined;

  constructor(res: RefinedResponse<'text'>) {
    this.res = res;
    this.status = res.status;
    this.body = typeof res.body === 'string' ? res.body : '';
    this.durationMs = res.timings.duration;
    if (res.error) this.error = res.error_code ? `${res.error} (k6 error ${res.error_code})` : res.error;
  }

  get headers(): Record<string, string> {
    this.copied ??= Object.fromEntries(Object.entries(this.res.headers).map(([k, v]) => [k, String(v)]));
    return this.copied;
  }
}

export function k6Transport(timeoutMs: number): Transport {
  const timeout = `${timeoutMs}ms`;
  // The endpoint tag keeps metric series per endpoint and bounded (never a per-request URL). One tags
  // object per endpoint, shared by every request: k6 copies tags, it never changes them.
  const tags = { reserveFunds: { endpoint: 'reserveFunds' }, transactResult: { endpoint: 'transactResult' } } as const;
  const params = (headers: Record<string, string>, endpoint: keyof typeof tags) => ({ headers, timeout, responseType: 'text' as const, tags: tags[endpoint] });
  return {
    post(url, body, headers, endpoint) {
      return new K6Answer(http.post(url, body, params(headers, endpoint)));
    },
    postBatch(items) {
      const responses = http.batch(items.map((i) => ({ method: 'POST', url: i.url, body: i.body, params: params(i.headers, i.endpoint) })));
      return responses.map((r) => new K6Answer(r));
    },
  };
}
