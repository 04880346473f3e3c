import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChaosMode } from './chaos.ts';
import { HUGE_PADDING_BYTES, INVALID_UTF8, MISSING_BYTES } from './chaos.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { isHeld, MAX, post, reserveRequest, transactRequest } from './test-support.ts';

// Every client here gives up after this long: a mode that misbehaves fails its test instead of hanging it.
const CLIENT_TIMEOUT_MS = 10_000;

interface RawExchange {
  head: string;
  body: Buffer;
  /** How the connection ended: the bank closed it, or the client gave up waiting (then `head` may be partial). */
  ended: 'closed' | 'gave-up';
}

/**
 * One reserveFunds over a raw socket, read until the bank closes the connection or `enough` says the
 * client has seen what it waits for. Raw, because these answers are exactly what HTTP clients reject.
 */
function rawReserve(bank: RunningBank, body: string, enough: (received: Buffer) => boolean = () => false): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(bank.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (ended: RawExchange['ended']): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      resolve(
        split < 0
          ? { head: all.toString('latin1'), body: Buffer.alloc(0), ended }
          : { head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4), ended },
      );
    };
    const timer = setTimeout(() => finish('gave-up'), CLIENT_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (enough(Buffer.concat(chunks))) finish('gave-up');
    });
    socket.on('close', () => finish('closed'));
    socket.on('error', (error) => (done ? undefined : reject(error)));
    const payload = Buffer.from(body, 'utf8');
    socket.write(`POST /reserveFunds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`);
    socket.write(payload);
  });
}

function headerOf(head: string, name: string): string | undefined {
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

it('chaos needs the strict bank: the minimal one could never release what a broken answer held', async () => {
  await expect(startReferenceBank({ personality: 'minimal', chaos: 'huge-body' })).rejects.toThrow(/strict personality only/);
});

describe('chaos modes: every reserveFunds answer broken after the decision', () => {
  let bank: RunningBank | undefined;
  afterEach(async () => {
    await bank?.close();
    bank = undefined;
  });

  async function chaosBank(chaos: ChaosMode): Promise<RunningBank> {
    bank = await startReferenceBank({ chaos });
    return bank;
  }

  /** The decision stands: the funds are held under some reference for this raasTxnRef, and transactResult works as usual. */
  async function expectHeldAndReleasable(b: RunningBank, raasTxnRef: string): Promise<void> {
    const held = b.state().held.find((h) => h.raasTxnRef === raasTxnRef);
    expect(held).toBeDefined();
    const ack = await post(
      b,
      '/transactResult',
      transactRequest({ clientTxnRef: 'c', raasTxnRef, reserveAmount: held?.amount ?? 0 }, held?.reserveFundsTxnRef ?? '', 2239),
    );
    expect({ status: ack.status, text: ack.text }).toEqual({ status: 200, text: '' });
    expect(isHeld(b, held?.reserveFundsTxnRef ?? '', raasTxnRef)).toBe(false);
  }

  it('huge-body: 200, valid JSON of 50 MB whose head is the decision', async () => {
    const b = await chaosBank('huge-body');
    const request = reserveRequest();
    const { status, length, head, tail, received } = await new Promise<{ status: number; length: number; head: string; tail: string; received: number }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${b.url}/reserveFunds`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: CLIENT_TIMEOUT_MS },
          (res) => {
            let received = 0;
            let head = '';
            let tail = '';
            res.on('data', (chunk: Buffer) => {
              if (head.length < 200) head += chunk.subarray(0, 200).toString('utf8');
              tail = (tail + chunk.subarray(-10).toString('utf8')).slice(-10);
              received += chunk.length;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length']), head, tail, received }));
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('client timeout')));
        req.on('error', reject);
        req.end(JSON.stringify(request));
      },
    );
    expect(status).toBe(200);
    expect(received).toBe(length);
    expect(length).toBeGreaterThan(HUGE_PADDING_BYTES);
    expect(head).toMatch(/^\{"responseCode":"0000","reserveFundsTxnRef":"[0-9a-f-]{36}","padding":"xxxx/);
    expect(tail).toBe('xxxxxxxx"}');
    await expectHeldAndReleasable(b, request.raasTxnRef);
  });

  it('huge-body: a client that hangs up early stops the stream, and the bank keeps serving', async () => {
    const b = await chaosBank('huge-body');
    const request = reserveRequest();
    const seen = await rawReserve(b, JSON.stringify(request), (received) => received.length > 1024 * 1024);
    expect(seen.head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect((await fetch(`${b.url}/health`)).status).toBe(200);
    await expectHeldAndReleasable(b, request.raasTxnRef);
  });

  it('endless-headers: a status line and headers that never end; close() cuts the connection', async () => {
    const b = await chaosBank('endless-headers');
    const request = reserveRequest();
    // Waits for the first trickled header (about ENDLESS_HEADER_EVERY_MS in): the answer is still coming, never complete.
    const seen = await rawReserve(b, JSON.stringify(request), (received) => received.includes('x-still-coming-1:'));
    expect(seen.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(seen.head).toContain('x-still-coming-1:');
    expect(seen.body.length).toBe(0);
    expect(seen.head).not.toContain('\r\n\r\n');
    await expectHeldAndReleasable(b, request.raasTxnRef);

    // A client that never hangs up: the bank's close() ends it rather than waiting for it.
    const open = connect(b.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => open.on('close', () => resolve()));
    open.on('error', () => undefined);
    const body = Buffer.from(JSON.stringify(reserveRequest()));
    open.write(`POST /reserveFunds HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
    open.write(body);
    await new Promise<void>((resolve) => open.once('data', () => resolve()));
    await b.close();
    await closed;
    bank = undefined;
  });

  it('close-mid-body: the full Content-Length announced, half the body sent, then the connection closed', async () => {
    const b = await chaosBank('close-mid-body');
    const request = reserveRequest();
    const seen = await rawReserve(b, JSON.stringify(request));
    expect(seen.ended).toBe('closed');
    expect(seen.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const announced = Number(headerOf(seen.head, 'content-length'));
    expect(announced).toBeGreaterThan(0);
    expect(seen.body.length).toBe(Math.floor(announced / 2));
    expect(seen.body.toString('utf8')).toMatch(/^\{"responseCode":"0000"/);
    await expectHeldAndReleasable(b, request.raasTxnRef);
  });

  it('invalid-utf8: 200, application/json, bytes C3 28 FF', async () => {
    const b = await chaosBank('invalid-utf8');
    const request = reserveRequest();
    const res = await fetch(`${b.url}/reserveFunds`, { method: 'POST', body: JSON.stringify(request), signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(INVALID_UTF8);
    await expectHeldAndReleasable(b, request.raasTxnRef);
  });

  it('wrong-content-length: the whole body, a Content-Length longer than it, then the connection ends', async () => {
    const b = await chaosBank('wrong-content-length');
    const request = reserveRequest();
    const seen = await rawReserve(b, JSON.stringify(request));
    expect(seen.ended).toBe('closed');
    expect(Number(headerOf(seen.head, 'content-length'))).toBe(seen.body.length + MISSING_BYTES);
    expect(JSON.parse(seen.body.toString('utf8'))).toMatchObject({ responseCode: '0000' });
    await expectHeldAndReleasable(b, request.raasTxnRef);
  });

  it('a refusal is broken the same way, and transactResult is never affected', async () => {
    const b = await chaosBank('close-mid-body');
    const seen = await rawReserve(b, JSON.stringify(reserveRequest({ reserveAmount: MAX + 1 })));
    expect(seen.body.toString('utf8')).toBe('{"responseC');
    expect(b.state().held).toEqual([]);
    const unknown = await post(b, '/transactResult', transactRequest(reserveRequest(), 'no-such-reference', 0));
    expect({ status: unknown.status, text: unknown.text }).toEqual({ status: 404, text: '' });
    expect(b.state().chaos).toBe('close-mid-body');
  });

  it('an HTTP client sees each mode as a failed request, never as an answer it could trust', async () => {
    for (const mode of ['close-mid-body', 'wrong-content-length'] as const) {
      const b = await chaosBank(mode);
      const failure = await fetch(`${b.url}/reserveFunds`, {
        method: 'POST',
        body: JSON.stringify(reserveRequest()),
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      })
        .then((res) => res.text())
        .then(
          () => 'read',
          (error: unknown) => (error instanceof Error ? error.name : 'error'),
        );
      expect(failure, mode).not.toBe('read');
      expect(failure, mode).not.toBe('TimeoutError');
      await b.close();
      bank = undefined;
    }
  });
});
