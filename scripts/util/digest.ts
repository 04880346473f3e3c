import { createHash, createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Result } from '../../checks/result.ts';
import type { HmacSha256Base64 } from '../../checks/signer.ts';

/** JSON with object keys sorted at every level, so equal data always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const nodeHmac: HmacSha256Base64 = (secret, message) =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(message, 'utf8')).digest('base64');

/** SHA-256 of the canonical JSON of everything but the digest: `bankcert report` recomputes it to detect edits. */
export function resultDigest(unsigned: Omit<Result, 'digest'>): string {
  return sha256Hex(canonicalJson(unsigned));
}

/** SHA-256 (hex) and size of a file's first `bytes` bytes (all of it by default), streamed: load samples can be large. */
export function fileSha256(path: string, bytes?: number): Promise<{ sha256: string; bytes: number }> {
  if (bytes === 0) return Promise.resolve({ sha256: sha256Hex(''), bytes: 0 });
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    const stream = createReadStream(path, bytes === undefined ? {} : { end: bytes - 1 });
    stream.on('data', (chunk) => {
      size += chunk.length;
      hash.update(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve({ sha256: hash.digest('hex'), bytes: size }));
  });
}
