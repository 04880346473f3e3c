import { hmac } from 'k6/crypto';
import http, { type RefinedResponse } from 'k6/http';
import type { HttpAnswer, Transport } from '../../checks/client.ts';
import type { HmacSha256Base64 } from '../../checks/signer.ts';

/** k6/crypto encodes string keys and data as UTF-8, as the signing vectors require. */
export const k6Hmac: HmacSha256Base64 = (secret, message) => hmac('sha256', secret, message, 'base64');

function toAnswer(res: RefinedResponse<'text'>): HttpAnswer {
  const answer: HttpAnswer = {
    status: res.status,
    headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
    body: typeof res.body === 'string' ? res.body : '',
    durationMs: res.timings.duration,
  };
  if (res.error) answer.error = res.error_code ? `${res.error} (k6 error ${res.error_code})` : res.error;
  return answer;
}

export function k6Transport(timeoutMs: number): Transport {
  // The endpoint tag keeps metric series per endpoint and bounded (never a per-request URL).
  const params = (headers: Record<string, string>, endpoint: string) => ({
    headers,
    timeout: `${timeoutMs}ms`,
    responseType: 'text' as const,
    tags: { endpoint },
  });
  return {
    post(url, body, headers, endpoint) {
      return toAnswer(http.post(url, body, params(headers, endpoint)));
    },
    postBatch(items) {
      const responses = http.batch(items.map((i) => ({ method: 'POST', url: i.url, body: i.body, params: params(i.headers, i.endpoint) })));
      return (responses as unknown as RefinedResponse<'text'>[]).map(toAnswer);
    },
  };
}
