import type { Exchange } from './events.ts';
import { SIGNATURE_HEADER } from './signer.ts';

export const REDACTED = '[redacted]';

/** Below this length a secret (a PIN) also occurs by chance inside references and amounts. */
const SHORT_SECRET = 8;

/**
 * `secret` masked in `text`. A short one only where it stands alone (no letter or digit either side): a
 * 4-digit PIN inside an amount of 12345 or a UUID is chance, and masking it there would falsify the
 * evidence. Fields that carry it (authCode) are redacted by name anyway.
 */
export function maskSecret(text: string, secret: string): string {
  if (secret.length === 0 || !text.includes(secret)) return text;
  if (secret.length >= SHORT_SECRET) return text.split(secret).join(REDACTED);
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`, 'g'), REDACTED);
}

/**
 * Evidence must never carry a secret (house rule 4): the Signature header is derived from the
 * signing secret, authCode is the buyer's PIN, and a bank may echo either back in its answer.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(/("authCode"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)/g, `$1"${REDACTED}"`);
  for (const secret of secrets) out = maskSecret(out, secret);
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
