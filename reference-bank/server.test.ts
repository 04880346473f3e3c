import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_ACCOUNTS, REFERENCE_UNMAPPED } from './fixtures.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank, STATE_PATH } from './server.ts';
import { available, FUNDED, get, MAX, MIN, post, reserveOk, reserveRequest, transactRequest } from './test-support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('reference bank (compliant)', () => {
  let bank: RunningBank;
  const logLines: string[] = [];

  beforeAll(async () => {
    bank = await startReferenceBank({ log: (line) => logLines.push(line) });
  });
  afterAll(async () => {
    await bank.close();
  });

  it('answers readiness and serves on loopback', async () => {
    expect(bank.url).toBe(`http://127.0.0.1:${bank.port}`);
    const health = await get(bank, '/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
  });

  describe('reserveFunds codes', () => {
    it('0000: holds the amount and answers a UUID reference as JSON', async () => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const request = reserveRequest({ reserveAmount: 2_500 });
      const answer = await post(bank, '/reserveFunds', request);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/json');
      expect(answer.json?.['responseCode']).toBe('0000');
      expect(answer.json?.['reserveFundsTxnRef']).toMatch(UUID);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 2_500);
      expect(bank.state().held).toContainEqual(
        expect.objectContaining({ raasTxnRef: request.raasTxnRef, reserveFundsTxnRef: answer.json?.['reserveFundsTxnRef'], amount: 2_500 }),
      );
    });

    const refusals: Array<[string, Parameters<typeof reserveRequest>[0], string]> = [
      [
        '2010 above the low-balance account funds',
        { sourceIdentifier: REFERENCE_ACCOUNTS.lowBalance.sourceIdentifier, authCode: undefined, reserveAmount: 5_001 },
        '2010',
      ],
      ['2020 wrong authCode', { authCode: '9999' }, '2020'],
      ['2020 missing authCode on an auth-code account', { authCode: undefined }, '2020'],
      ['2030 unmapped identifier', { sourceIdentifier: REFERENCE_UNMAPPED, authCode: undefined }, '2030'],
      ['2040 maximum + 1', { reserveAmount: MAX + 1 }, '2040'],
      ['2050 minimum − 1', { reserveAmount: MIN - 1 }, '2050'],
      ['2070 blacklisted', { sourceIdentifier: REFERENCE_ACCOUNTS.blacklisted.sourceIdentifier, authCode: undefined }, '2070'],
      ['2080 inactive', { sourceIdentifier: REFERENCE_ACCOUNTS.inactive.sourceIdentifier, authCode: undefined }, '2080'],
      // Walkthrough order: limits before lookup, lookup before auth code, auth code before status.
      ['limits come before the account lookup', { sourceIdentifier: REFERENCE_UNMAPPED, reserveAmount: MIN - 1 }, '2050'],
      ['limits come before the auth code', { authCode: '9999', reserveAmount: MAX + 1 }, '2040'],
    ];

    it.each(refusals)('%s', async (_name, overrides, code) => {
      const held = bank.state().reservations.held;
      const answer = await post(bank, '/reserveFunds', reserveRequest(overrides));
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('application/json');
      expect(answer.json).toEqual({ responseCode: code });
      expect(bank.state().reservations.held).toBe(held);
    });

    it('accepts both limits inclusively and the whole balance', async () => {
      await reserveOk(bank, { reserveAmount: MIN });
      await reserveOk(bank, { reserveAmount: MAX });
      const low = REFERENCE_ACCOUNTS.lowBalance;
      await reserveOk(bank, { sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: low.balance });
      const again = await post(bank, '/reserveFunds', reserveRequest({ sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: MIN }));
      expect(again.json?.['responseCode']).toBe('2010');
    });

    it('a repeated raasTxnRef gets the first answer and holds nothing more', async () => {
      const request = reserveRequest({ reserveAmount: 3_000 });
      const first = await post(bank, '/reserveFunds', request);
      const after = available(bank, FUNDED.sourceIdentifier);
      const second = await post(bank, '/reserveFunds', request);
      const concurrent = await Promise.all([1, 2, 3].map(() => post(bank, '/reserveFunds', request)));
      for (const answer of [second, ...concurrent]) expect(answer.json).toEqual(first.json);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(after);
    });

    it('never hands out the same reference twice', async () => {
      const refs = await Promise.all(Array.from({ length: 40 }, async () => (await reserveOk(bank, { reserveAmount: MIN })).ref));
      expect(new Set(refs).size).toBe(refs.length);
    });
  });

  describe('transactResult', () => {
    it('dispensed → debit: balance falls, hold removed, empty 200', async () => {
      const account = () => bank.state().accounts[FUNDED.sourceIdentifier];
      const before = account();
      const { request, ref } = await reserveOk(bank, { reserveAmount: 4_000 });
      const ack = await post(bank, '/transactResult', transactRequest(request, ref, 0));
      expect(ack.status).toBe(200);
      expect(ack.text).toBe('');
      expect(account()?.balance).toBe((before?.balance ?? 0) - 4_000);
      expect(account()?.held).toBe(before?.held);
      expect(bank.state().held.some((h) => h.reserveFundsTxnRef === ref)).toBe(false);
    });

    it('not dispensed → release: available back where it started, balance untouched', async () => {
      const before = bank.state().accounts[FUNDED.sourceIdentifier];
      const { request, ref } = await reserveOk(bank, { reserveAmount: 4_000 });
      const ack = await post(bank, '/transactResult', transactRequest(request, ref, 2201));
      expect(ack.status).toBe(200);
      expect(bank.state().accounts[FUNDED.sourceIdentifier]).toEqual(before);
    });

    it('repeated deliveries answer 200 and debit once', async () => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_500 });
      const body = transactRequest(request, ref, 0);
      for (let i = 0; i < 3; i++) expect((await post(bank, '/transactResult', body)).status).toBe(200);
      // A late failure outcome for a finished reservation changes nothing either.
      expect((await post(bank, '/transactResult', transactRequest(request, ref, 2239))).status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_500);
    });

    it('five concurrent deliveries answer 200 and apply once', async () => {
      const counts = bank.state().reservations;
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_700 });
      const body = transactRequest(request, ref, 0);
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(bank, '/transactResult', body)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_700);
      expect(bank.state().reservations.debited).toBe(counts.debited + 1);
    });

    it('unknown reserveFundsTxnRef → 404 with an empty body', async () => {
      const request = reserveRequest();
      const answer = await post(bank, '/transactResult', transactRequest(request, 'no-such-reference', 0));
      expect(answer.status).toBe(404);
      expect(answer.text).toBe('');
    });

    it.each([
      ['an empty reference', (_raas: string) => ''],
      ['the raasTxnRef as reference', (raas: string) => raas],
    ])('timeout cancel with %s releases by raasTxnRef', async (_name, refFor) => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request } = await reserveOk(bank, { reserveAmount: 2_200 });
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 2_200);
      const cancel = transactRequest(request, refFor(request.raasTxnRef), 2239);
      expect((await post(bank, '/transactResult', cancel)).status).toBe(200);
      expect((await post(bank, '/transactResult', cancel)).status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before);
    });

    it('a cancel for a raasTxnRef that never reserved → 404', async () => {
      const refused = reserveRequest({ reserveAmount: MAX + 1 });
      expect((await post(bank, '/reserveFunds', refused)).json?.['responseCode']).toBe('2040');
      expect((await post(bank, '/transactResult', transactRequest(refused, '', 2239))).status).toBe(404);
    });

    it('a wrong non-empty reference does not fall back to raasTxnRef', async () => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: MIN });
      expect((await post(bank, '/transactResult', transactRequest(request, 'someone-elses-ref', 2239))).status).toBe(404);
      expect(bank.state().held.some((h) => h.reserveFundsTxnRef === ref)).toBe(true);
      await post(bank, '/transactResult', transactRequest(request, ref, 2239));
    });
  });

  describe('bad input', () => {
    it('malformed JSON → 400 2090 without effect', async () => {
      const held = bank.state().reservations.held;
      for (const path of ['/reserveFunds', '/transactResult']) {
        const answer = await post(bank, path, '{"raasTxnRef": ');
        expect(answer.status).toBe(400);
        expect(answer.json?.['responseCode']).toBe('2090');
      }
      expect(bank.state().reservations.held).toBe(held);
    });

    it.each([
      [
        'missing field',
        (r: Record<string, unknown>) => {
          delete r['raasTxnRef'];
        },
        'raasTxnRef',
      ],
      [
        'mistyped amount',
        (r: Record<string, unknown>) => {
          r['reserveAmount'] = '1000';
        },
        'reserveAmount',
      ],
      [
        'oversized identifier',
        (r: Record<string, unknown>) => {
          r['sourceIdentifier'] = '9'.repeat(33);
        },
        'sourceIdentifier',
      ],
      [
        'negative amount',
        (r: Record<string, unknown>) => {
          r['reserveAmount'] = -1;
        },
        'reserveAmount',
      ],
      [
        'not an object',
        (r: Record<string, unknown>) => {
          for (const k of Object.keys(r)) delete r[k];
        },
        '',
      ],
    ])('reserveFunds with a %s → 400 2090 naming the problem', async (_name, mutate, field) => {
      const request: Record<string, unknown> = { ...reserveRequest() };
      mutate(request);
      const answer = await post(bank, '/reserveFunds', request);
      expect(answer.status).toBe(400);
      expect(answer.json?.['responseCode']).toBe('2090');
      expect(String(answer.json?.['message'])).toContain(field);
    });

    it('transactResult with invalid fields → 400 and the reservation stays held', async () => {
      const { request, ref } = await reserveOk(bank, { reserveAmount: MIN });
      const bad = { ...transactRequest(request, ref, 0), responseCode: '0' };
      expect((await post(bank, '/transactResult', bad)).status).toBe(400);
      const longRef = transactRequest(request, 'r'.repeat(65), 0);
      expect((await post(bank, '/transactResult', longRef)).status).toBe(400);
      expect(bank.state().held.some((h) => h.reserveFundsTxnRef === ref)).toBe(true);
      await post(bank, '/transactResult', transactRequest(request, ref, 2239));
    });

    it('a body over 2 MB → 413, and the bank keeps serving', async () => {
      const huge = JSON.stringify({ ...reserveRequest(), padding: 'x'.repeat(3 * 1024 * 1024) });
      const answer = await post(bank, '/reserveFunds', huge);
      expect(answer.status).toBe(413);
      expect((await get(bank, '/health')).status).toBe(200);
    });

    it('unknown path → 404, wrong method → 405', async () => {
      expect((await get(bank, '/nope')).status).toBe(404);
      expect((await post(bank, '/health', '{}')).status).toBe(405);
      const getReserve = await fetch(`${bank.url}/reserveFunds`);
      expect(getReserve.status).toBe(405);
      expect(getReserve.headers.get('allow')).toBe('POST');
      await getReserve.text();
    });
  });

  it('serves its state for introspection', async () => {
    const answer = await get(bank, STATE_PATH);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(JSON.parse(JSON.stringify(bank.state())));
    expect(answer.json?.['signing']).toBe(false);
    expect(answer.json?.['faults']).toEqual([]);
  });

  it('logs one line per request without bodies or secrets', () => {
    expect(logLines).toContain('GET /health 200');
    expect(logLines.some((l) => /^POST \/reserveFunds 200 0000$/.test(l))).toBe(true);
    expect(logLines.some((l) => /^POST \/transactResult 404 unknown$/.test(l))).toBe(true);
    for (const line of logLines) {
      expect(line).not.toContain(FUNDED.authCode);
      expect(line).not.toContain('raasTxnRef');
    }
  });
});
