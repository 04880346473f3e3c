/**
 * Request signing (Signature checksum calculation): base64(HMAC-SHA256(secret, exact body bytes)).
 * The HMAC primitive is injected so the same code runs in k6 (k6/crypto) and Node (node:crypto);
 * both encode JS strings as UTF-8, which is what checks/signature-vectors.json assumes.
 */
export type HmacSha256Base64 = (secret: string, message: string) => string;

export const SIGNATURE_HEADER = 'Signature';

export function sign(body: string, secret: string, hmac: HmacSha256Base64): string {
  return hmac(secret, body);
}

/** Constant-time-ish comparison is the verifier's concern (Node side); this only says equal. */
export function signatureMatches(body: string, secret: string, given: string | undefined, hmac: HmacSha256Base64): boolean {
  if (given === undefined || given === '') return false;
  return sign(body, secret, hmac) === given;
}

/**
 * The headers of a request bankcert sends: JSON both ways and, when the integration signs, the Signature
 * over exactly `body`. `secret` undefined: signing off.
 */
export function jsonHeaders(body: string, secret: string | undefined, hmac: HmacSha256Base64): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (secret !== undefined) headers[SIGNATURE_HEADER] = sign(body, secret, hmac);
  return headers;
}

/** The secret to sign with: the plan says whether the integration signs, the environment holds the secret. */
export function signingSecretOf(plan: { signing: { enabled: boolean } }, secrets: { signingSecret?: string }): string | undefined {
  return plan.signing.enabled && secrets.signingSecret ? secrets.signingSecret : undefined;
}
