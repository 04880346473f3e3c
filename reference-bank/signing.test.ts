import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectorFile from '../checks/signature-vectors.json';
import { sign, signatureMatches } from '../checks/signer.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { constantTimeEquals, nodeHmacSha256Base64, rawSignatureMatches, signRawBody } from './signature.ts';
import { available, FUNDED, post, reserveOk, reserveRequest, transactRequest } from './test-support.ts';

// The harness's own copy: one set of openssl vectors for the signer and the bank.
const vectors = vectorFile.vectors;

describe('signature primitives', () => {
  it('has vectors to check against', () => {
    expect(vectors.length).toBeGreaterThan(0);
  });

  it.each(vectors.map((v) => [`${v.name} (${v.secret})`, v] as const))('matches the openssl vector %s', (_name, v) => {
    expect(sign(v.body, v.secret, nodeHmacSha256Base64)).toBe(v.signature);
    expect(signatureMatches(v.body, v.secret, v.signature, nodeHmacSha256Base64)).toBe(true);
    expect(signRawBody(Buffer.from(v.body, 'utf8'), v.secret)).toBe(v.signature);
    expect(rawSignatureMatches(Buffer.from(v.body, 'utf8'), v.secret, v.signature)).toBe(true);
    expect(rawSignatureMatches(Buffer.from(`${v.body} `, 'utf8'), v.secret, v.signature)).toBe(false);
  });

  it('compares without throwing on unequal lengths', () => {
    expect(constantTimeEquals('abc', 'abc')).toBe(true);
    expect(constantTimeEquals('abc', 'abcd')).toBe(false);
    expect(rawSignatureMatches(Buffer.from('{}'), 's', undefined)).toBe(false);
    expect(rawSignatureMatches(Buffer.from('{}'), 's', '')).toBe(false);
  });
});

describe('reference bank with signing on', () => {
  const secret = 'ключ-секрет';
  let bank: RunningBank;

  beforeAll(async () => {
    bank = await startReferenceBank({ secret });
  });
  afterAll(async () => {
    await bank.close();
  });

  it('accepts a correctly signed request, including pretty-printed CRLF bytes', async () => {
    await reserveOk(bank, {}, secret);
    const pretty = JSON.stringify(reserveRequest(), null, 2).replace(/\n/g, '\r\n');
    const answer = await post(bank, '/reserveFunds', pretty, { secret });
    expect(answer.json?.['responseCode']).toBe('0000');
    expect(bank.state().signing).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['garbage', 'not base64 at all'],
  ])('a %s signature → 401 and nothing reserved', async (_name, signature) => {
    const before = bank.state();
    const answer = await post(bank, '/reserveFunds', reserveRequest(), signature === undefined ? {} : { signature });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ responseCode: '2090', message: 'invalid signature' });
    expect(bank.state()).toEqual(before);
  });

  it('a tampered body (signature of another body) → 401 and nothing reserved', async () => {
    const before = bank.state();
    const original = JSON.stringify(reserveRequest({ reserveAmount: 1_000 }));
    const tampered = original.replace('"reserveAmount":1000', '"reserveAmount":9000');
    expect(tampered).not.toBe(original);
    const answer = await post(bank, '/reserveFunds', tampered, { signature: signRawBody(Buffer.from(original), secret) });
    expect(answer.status).toBe(401);
    expect(bank.state()).toEqual(before);
  });

  it('an unsigned transactResult → 401 with no effect; the signed one applies', async () => {
    const { request, ref } = await reserveOk(bank, { reserveAmount: 2_000 }, secret);
    const held = available(bank, FUNDED.sourceIdentifier);
    const outcome = transactRequest(request, ref, 2201);
    expect((await post(bank, '/transactResult', outcome)).status).toBe(401);
    expect(available(bank, FUNDED.sourceIdentifier)).toBe(held);
    expect((await post(bank, '/transactResult', outcome, { secret })).status).toBe(200);
    expect(available(bank, FUNDED.sourceIdentifier)).toBe(held + 2_000);
  });

  it('checks the signature before parsing: unsigned garbage is 401, not 400', async () => {
    expect((await post(bank, '/reserveFunds', '{not json')).status).toBe(401);
    expect((await post(bank, '/reserveFunds', '{not json', { secret })).status).toBe(400);
  });
});
