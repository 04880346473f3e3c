import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startReferenceBank } from './server.ts';
import { get, post, reserveOk, reserveRequest } from './test-support.ts';

/** Streams a body without Content-Length (chunked), so the limit is found while reading. */
function postChunked(url: string, chunks: number, chunkSize: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/reserveFunds`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The bank may close before all bytes are written; the status already arrived by then.
    req.on('error', (error) => reject(error));
    const chunk = Buffer.alloc(chunkSize, 0x20);
    let sent = 0;
    const write = (): void => {
      while (sent < chunks) {
        sent += 1;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe('reference bank robustness', () => {
  it('refuses a chunked body over 2 MB with 413 and keeps serving', async () => {
    const bank = await startReferenceBank({});
    try {
      expect(await postChunked(bank.url, 48, 64 * 1024)).toBe(413);
      expect((await get(bank, '/health')).status).toBe(200);
      await reserveOk(bank);
    } finally {
      await bank.close();
    }
  });

  it('an exception inside a handler → 500 JSON, and the bank keeps serving', async () => {
    const lines: string[] = [];
    // A generator stuck on one value: the bank must fail loudly rather than reuse a reference.
    const bank = await startReferenceBank({ newReference: () => 'always-the-same', log: (l) => lines.push(l) });
    try {
      await reserveOk(bank);
      const answer = await post(bank, '/reserveFunds', reserveRequest());
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({ responseCode: '2090', message: 'internal error' });
      expect(bank.state().reservations.held).toBe(1);
      expect((await get(bank, '/health')).status).toBe(200);
      expect(lines.some((l) => l.startsWith('error in POST /reserveFunds'))).toBe(true);
    } finally {
      await bank.close();
    }
  });

  it('a throwing log callback does not take the bank down', async () => {
    const bank = await startReferenceBank({
      log: () => {
        throw new Error('log sink broken');
      },
    });
    try {
      expect((await get(bank, '/health')).status).toBe(200);
      expect((await get(bank, '/health')).status).toBe(200);
    } finally {
      await bank.close();
    }
  });

  it('close() is idempotent and frees the port', async () => {
    const bank = await startReferenceBank({});
    await get(bank, '/health');
    await Promise.all([bank.close(), bank.close()]);
    await expect(fetch(`${bank.url}/health`)).rejects.toThrow();
  });
});
