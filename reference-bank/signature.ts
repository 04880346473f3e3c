import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HmacSha256Base64 } from '../checks/signer.ts';

/** The signer's injected primitive for Node: both strings are encoded as UTF-8, as checks/signature-vectors.json assumes. */
export const nodeHmacSha256Base64: HmacSha256Base64 = (secret, message) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(message, 'utf8')).digest('base64');

/** Signs the bytes as received: decoding to a string first would hide invalid UTF-8 or re-encoding differences. */
export function signRawBody(body: Uint8Array, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('base64');
}

/** Equal-length comparison in constant time, so response timing does not reveal how much of a secret matched. */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

export function rawSignatureMatches(body: Uint8Array, secret: string, given: string | undefined): boolean {
  if (given === undefined || given === '') return false;
  return constantTimeEquals(signRawBody(body, secret), given);
}
