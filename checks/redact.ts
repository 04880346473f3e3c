import type { Exchange } from './events.ts';
import { SIGNATURE_HEADER } from './signer.ts';

export const REDACTED = '[redacted]';

/**
 * Evidence must never carry a secret (house rule 4): the Signature header is derived from the
 * signing secret, authCode is the buyer's PIN, and a bank may echo either back in its answer.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(/("authCode"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)/g, `$1"${REDACTED}"`);
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  return out;
}

function redactHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[name] = lower === SIGNATURE_HEADER.toLowerCase() || lower === 'authorization' ? REDACTED : redactText(value, secrets);
  }
  return out;
}

export function redactExchange(exchange: Exchange, secrets: readonly string[]): Exchange {
  const redacted: Exchange = {
    step: exchange.step,
    request: {
      ...exchange.request,
      headers: redactHeaders(exchange.request.headers, secrets),
      body: redactText(exchange.request.body, secrets),
    },
  };
  if (exchange.response) {
    redacted.response = {
      ...exchange.response,
      headers: redactHeaders(exchange.response.headers, secrets),
      body: redactText(exchange.response.body, secrets),
    };
  }
  if (exchange.error !== undefined) redacted.error = redactText(exchange.error, secrets);
  return redacted;
}
