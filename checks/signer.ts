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
