import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeNetworkError, send } from './http.ts';

const err = (message: string, code?: string): Error => Object.assign(new Error(message), code ? { code } : {});

describe('describeNetworkError: one line a user can act on', () => {
  it('names the client-certificate alert of a mutual-TLS bank', () => {
    const alert = err(
      '80AC43B5897F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n',
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    );
    expect(describeNetworkError(alert)).toBe('TLS: the bank requires a client certificate (set target.tls.certFile and keyFile)');
  });

  it('recognises plain HTTP behind an https:// URL from OpenSSL\'s "wrong version number"', () => {
    const e = err(
      'write EPROTO 80AC43B5897F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      'EPROTO',
    );
    expect(describeNetworkError(e)).toMatch(/^TLS: the server does not speak TLS there/);
  });

  it('keeps only the reason of any other OpenSSL error, on one line', () => {
    const e = err('1:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/x.c:1:\n', 'EPROTO');
    expect(describeNetworkError(e)).toBe('TLS: sslv3 alert handshake failure (EPROTO)');
  });

  it('never returns more than one line', () => {
    expect(describeNetworkError(err('first\n  second\n', 'EWHATEVER'))).toBe('first second (EWHATEVER)');
  });
});

describe('send: the deadline says how far the request got', () => {
  it('a server that accepts and never answers: "connected, but no answer"', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const failure = await send('GET', `http://127.0.0.1:${port}/`, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(describeNetworkError(failure)).toBe('connected, but no answer within 300 ms');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
