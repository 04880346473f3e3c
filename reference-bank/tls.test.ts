import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCertificates } from '../test/helpers/certs.ts';
import { makeCertificates } from '../test/helpers/certs.ts';
import type { ReferenceBankOptions, RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { reserveRequest } from './test-support.ts';

interface ClientTls {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

// fetch cannot be given a private CA without a custom dispatcher; node:https takes it per request.
const responseCode = (text: string): unknown => (JSON.parse(text) as { responseCode?: unknown }).responseCode;

function call(url: string, tls: ClientTls, body?: object): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      { method: payload === undefined ? 'GET' : 'POST', headers: payload === undefined ? {} : { 'content-type': 'application/json' }, agent: false, ...tls },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('reference bank over TLS', () => {
  let dir: string;
  let certs: TestCertificates;
  const pem = (file: string): Buffer => readFileSync(file);
  const serverTls = (): NonNullable<ReferenceBankOptions['tls']> => ({ cert: pem(certs.serverCertFile), key: pem(certs.serverKeyFile) });
  const withTlsBank = async <T>(options: ReferenceBankOptions, body: (bank: RunningBank) => Promise<T>): Promise<T> => {
    const bank = await startReferenceBank(options);
    try {
      return await body(bank);
    } finally {
      await bank.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bankcert-tls-'));
    certs = makeCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS on https://localhost when listening on 127.0.0.1', () =>
    withTlsBank({ tls: serverTls() }, async (bank) => {
      expect(bank.url).toBe(`https://localhost:${bank.port}`);
      const ca = pem(certs.caFile);
      expect((await call(`${bank.url}/health`, { ca })).status).toBe(200);
      const reserved = await call(`${bank.url}/reserveFunds`, { ca }, reserveRequest());
      expect([reserved.status, responseCode(reserved.text)]).toEqual([200, '0000']);
      // The certificate also names the IP, for clients that dial it.
      expect((await call(`https://127.0.0.1:${bank.port}/health`, { ca })).status).toBe(200);
    }));

  it('a client trusting another CA refuses the bank', () =>
    withTlsBank({ tls: serverTls() }, async (bank) => {
      await expect(call(`${bank.url}/health`, { ca: pem(certs.otherCaFile) })).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    }));

  describe('with a client CA (mutual TLS)', () => {
    it('serves a client with a certificate the CA signed', () =>
      withTlsBank({ tls: { ...serverTls(), clientCa: pem(certs.caFile) } }, async (bank) => {
        const client = { ca: pem(certs.caFile), cert: pem(certs.clientCertFile), key: pem(certs.clientKeyFile) };
        expect((await call(`${bank.url}/health`, client)).status).toBe(200);
        expect(responseCode((await call(`${bank.url}/reserveFunds`, client, reserveRequest())).text)).toBe('0000');
      }));

    it('refuses a client without a certificate, notes it, and keeps serving', async () => {
      const lines: string[] = [];
      await withTlsBank({ tls: { ...serverTls(), clientCa: pem(certs.caFile) }, log: (l) => lines.push(l) }, async (bank) => {
        await expect(call(`${bank.url}/health`, { ca: pem(certs.caFile) })).rejects.toMatchObject({ code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
        expect(bank.state().reservations.held).toBe(0);
        const client = { ca: pem(certs.caFile), cert: pem(certs.clientCertFile), key: pem(certs.clientKeyFile) };
        expect((await call(`${bank.url}/health`, client)).status).toBe(200);
      });
      expect(lines.some((l) => l.startsWith('TLS handshake refused'))).toBe(true);
    });

    it('refuses a client whose certificate another CA signed', () =>
      withTlsBank({ tls: { ...serverTls(), clientCa: pem(certs.otherCaFile) } }, async (bank) => {
        const client = { ca: pem(certs.caFile), cert: pem(certs.clientCertFile), key: pem(certs.clientKeyFile) };
        // The client sees an alert or a reset, depending on how far its request got; nothing is reserved either way.
        await expect(call(`${bank.url}/reserveFunds`, client, reserveRequest())).rejects.toThrow();
        expect(bank.state().reservations.held).toBe(0);
      }));
  });

  it('a certificate that is not PEM fails at start with the cause kept', async () => {
    const error = await startReferenceBank({ tls: { cert: 'not a certificate', key: 'not a key' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/TLS certificate, key or client CA/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
