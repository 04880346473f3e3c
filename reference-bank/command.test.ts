import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestCertificates } from '../test/helpers/certs.ts';
import { makeCertificates } from '../test/helpers/certs.ts';
import { runBankCommand, LISTENING_PREFIX } from './command.ts';
import type { RunningBank } from './server.ts';
import { get } from './test-support.ts';

function capture(): { out: string[]; err: string[]; io: { out: (s: string) => void; err: (s: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s) => out.push(s), err: (s) => err.push(s) } };
}

describe('runBankCommand', () => {
  let bank: RunningBank | undefined;
  const ENV = 'BANKCERT_REFERENCE_TEST_SECRET';

  afterEach(async () => {
    await bank?.close();
    bank = undefined;
    delete process.env[ENV];
  });

  it('prints the listening URL first, then faults and signing, never the secret', async () => {
    process.env[ENV] = 'top-secret-value';
    const { out, io } = capture();
    bank = await runBankCommand({ port: 0, host: '127.0.0.1', secretEnv: ENV, faults: ['no-maximum', 'ignore-funds', 'no-maximum'] }, io);
    expect(out[0]).toBe(`bankcert reference bank listening on http://127.0.0.1:${bank.port}`);
    const url = out[0]?.slice(LISTENING_PREFIX.length) ?? '';
    expect((await get(bank, '/health')).status).toBe(200);
    expect(url).toBe(bank.url);
    expect(out[1]).toContain('no-maximum, ignore-funds');
    expect(out[1]).toContain(`signing: on (secret from $${ENV})`);
    expect(out.join('\n')).not.toContain('top-secret-value');
    expect(bank.state()).toMatchObject({ signing: true, faults: ['no-maximum', 'ignore-funds'] });
  });

  it('runs compliant and unsigned by default', async () => {
    const { out, io } = capture();
    bank = await runBankCommand({ port: 0, host: '127.0.0.1', faults: [] }, io);
    expect(out[1]).toBe('faults: none (compliant); request signing: off');
  });

  it('rejects an unknown fault and lists the valid ones', async () => {
    const { io } = capture();
    await expect(runBankCommand({ port: 0, host: '127.0.0.1', faults: ['no-maximum', 'bogus'] }, io)).rejects.toThrow(
      /unknown fault "bogus".*valid faults: long-reference, .*unknown-ref-200/,
    );
  });

  it('rejects a secret variable that is unset or empty, naming it', async () => {
    const { io } = capture();
    await expect(runBankCommand({ port: 0, host: '127.0.0.1', secretEnv: ENV, faults: [] }, io)).rejects.toThrow(new RegExp(`${ENV} is not set`));
    process.env[ENV] = '';
    await expect(runBankCommand({ port: 0, host: '127.0.0.1', secretEnv: ENV, faults: [] }, io)).rejects.toThrow(/export BANKCERT_REFERENCE_TEST_SECRET=/);
  });

  it('keeps the cause when the port is taken', async () => {
    const { io } = capture();
    bank = await runBankCommand({ port: 0, host: '127.0.0.1', faults: [] }, io);
    const error = await runBankCommand({ port: bank.port, host: '127.0.0.1', faults: [] }, io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`127.0.0.1:${bank.port}`);
    expect((error as Error).cause).toMatchObject({ code: 'EADDRINUSE' });
  });

  describe('TLS and service time options', () => {
    let dir: string;
    let certs: TestCertificates;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'bankcert-command-tls-'));
      certs = makeCertificates(dir);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('serves HTTPS from the PEM files, and says so', async () => {
      const { out, io } = capture();
      bank = await runBankCommand(
        { port: 0, host: '127.0.0.1', faults: [], tlsCertFile: certs.serverCertFile, tlsKeyFile: certs.serverKeyFile, tlsClientCaFile: certs.caFile },
        io,
      );
      expect(out[0]).toBe(`${LISTENING_PREFIX}https://localhost:${bank.port}`);
      expect(out[1]).toBe('faults: none (compliant); request signing: off; TLS on, client certificates required');
    });

    it('names the option whose file cannot be read, and keeps the cause', async () => {
      const { io } = capture();
      const missing = join(dir, 'nope.pem');
      const error = await runBankCommand({ port: 0, host: '127.0.0.1', faults: [], tlsCertFile: certs.serverCertFile, tlsKeyFile: missing }, io).catch(
        (e: unknown) => e,
      );
      expect((error as Error).message).toBe(`--tls-key ${missing}: cannot read the file (ENOENT: no such file or directory, open '${missing}')`);
      expect((error as Error).cause).toMatchObject({ code: 'ENOENT' });
      await expect(
        runBankCommand(
          { port: 0, host: '127.0.0.1', faults: [], tlsCertFile: certs.serverCertFile, tlsKeyFile: certs.serverKeyFile, tlsClientCaFile: dir },
          io,
        ),
      ).rejects.toThrow(/^--tls-client-ca .*EISDIR/);
    });

    it('refuses half a TLS configuration', async () => {
      const { io } = capture();
      await expect(runBankCommand({ port: 0, host: '127.0.0.1', faults: [], tlsCertFile: certs.serverCertFile }, io)).rejects.toThrow(
        /--tls-cert and --tls-key go together/,
      );
      await expect(runBankCommand({ port: 0, host: '127.0.0.1', faults: [], tlsClientCaFile: certs.caFile }, io)).rejects.toThrow(
        /--tls-client-ca needs --tls-cert and --tls-key/,
      );
    });

    it('checks --service-ms and notes when it has no effect', async () => {
      const { err, io } = capture();
      for (const serviceMs of [0, -5, 2.5, Number.NaN, 60_001]) {
        await expect(runBankCommand({ port: 0, host: '127.0.0.1', faults: ['one-at-a-time'], serviceMs }, io)).rejects.toThrow(/invalid --service-ms/);
      }
      bank = await runBankCommand({ port: 0, host: '127.0.0.1', faults: [], serviceMs: 50 }, io);
      expect(err).toEqual(['note: --service-ms only matters with --fault one-at-a-time']);
    });
  });
});
