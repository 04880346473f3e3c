import { STATUS_CODES } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpReply } from './handlers.ts';
import { replyPayload } from './http-io.ts';

/**
 * Broken transports for reserveFunds answers. Unlike faults these break no single rule: they show how
 * the harness copes when the bank's answer cannot be read. Each applies after the bank has decided (and,
 * on 0000, held the funds), so whoever drives the bank must finish those reservations by raasTxnRef.
 */
export const CHAOS_MODES = {
  'huge-body': 'answers 200 with the decision as JSON plus a 50 MB "padding" string',
  'endless-headers': 'sends the status line and some headers, then one more header line a second, never ending the headers',
  'close-mid-body': 'sends headers with the full Content-Length and half of the body, then destroys the connection',
  'invalid-utf8': 'answers 200 with the bytes C3 28 FF (invalid UTF-8) labelled application/json',
  'wrong-content-length': 'declares a Content-Length 100 bytes longer than the body it sends, then closes the connection',
} as const satisfies Record<string, string>;

export type ChaosMode = keyof typeof CHAOS_MODES;

export function isChaosMode(name: string): name is ChaosMode {
  return Object.prototype.hasOwnProperty.call(CHAOS_MODES, name);
}

export const HUGE_PADDING_BYTES = 50 * 1024 * 1024;
export const MISSING_BYTES = 100;
export const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff]);
export const ENDLESS_HEADER_EVERY_MS = 1_000;

const CHUNK = Buffer.alloc(1024 * 1024, 'x');

/** A status line and headers written straight to the socket, for answers Node's response object refuses to send. */
function rawHead(status: number, headers: Record<string, string | number>): string {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n`;
}

/** Streams the padding with back-pressure, so 50 MB never sits in memory and a client that hangs up stops it. */
function hugeBody(res: ServerResponse, reply: HttpReply): void {
  // Ends with `"padding":"`: the padding and the closing `"}` follow.
  const prefix = Buffer.from(JSON.stringify({ ...(reply.body ?? {}), padding: '' }).slice(0, -2), 'utf8');
  const suffix = Buffer.from('"}', 'utf8');
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': prefix.length + HUGE_PADDING_BYTES + suffix.length });
  res.write(prefix);
  let left = HUGE_PADDING_BYTES;
  const pump = (): void => {
    while (left > 0) {
      if (res.destroyed) return;
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(suffix);
  };
  pump();
}

function endlessHeaders(socket: Socket, reply: HttpReply): void {
  socket.write(rawHead(reply.status, { 'content-type': 'application/json', 'x-chaos': 'endless-headers' }));
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    if (!socket.destroyed) socket.write(`x-still-coming-${n}: ${'.'.repeat(16)}\r\n`);
  }, ENDLESS_HEADER_EVERY_MS);
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}

/**
 * Answers reserveFunds the broken way `mode` names. Several modes write to the socket directly: Node's
 * response object would refuse (or repair) a head without its end or a body shorter than announced.
 */
export function sendChaos(res: ServerResponse, mode: ChaosMode, reply: HttpReply): void {
  const socket = res.socket;
  if (res.headersSent || res.destroyed || !socket) return;
  const payload = Buffer.from(replyPayload(reply), 'utf8');
  switch (mode) {
    case 'huge-body':
      hugeBody(res, reply);
      return;
    case 'invalid-utf8':
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': INVALID_UTF8.length });
      res.end(INVALID_UTF8);
      return;
    case 'close-mid-body': {
      const half = payload.subarray(0, Math.floor(payload.length / 2));
      socket.write(rawHead(reply.status, { 'content-type': 'application/json', 'content-length': payload.length }) + '\r\n');
      socket.write(half, () => socket.destroy());
      return;
    }
    case 'wrong-content-length':
      socket.write(rawHead(reply.status, { 'content-type': 'application/json', 'content-length': payload.length + MISSING_BYTES }) + '\r\n');
      socket.end(payload);
      return;
    case 'endless-headers':
      endlessHeaders(socket, reply);
      return;
  }
}
