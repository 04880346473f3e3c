import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpReply } from './handlers.ts';

export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Collects the raw bytes (the signature covers them exactly). Past the limit the rest is read and
 * discarded rather than buffered, so a huge body costs time but never memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      settle({ kind: 'too-large' });
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ kind: 'ok', body: Buffer.concat(chunks, size) }));
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

/** The body text a reply is sent with: its page, its JSON, or nothing. */
export function replyPayload(reply: HttpReply): string {
  return reply.html ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
}

export function sendReply(res: ServerResponse, reply: HttpReply, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = replyPayload(reply);
  const contentHeaders: Record<string, string | number> = { 'content-length': Buffer.byteLength(payload) };
  if (reply.html !== undefined) contentHeaders['content-type'] = 'text/html; charset=utf-8';
  else if (reply.body !== undefined) contentHeaders['content-type'] = 'application/json';
  res.writeHead(reply.status, { ...contentHeaders, ...headers });
  res.end(payload);
}
