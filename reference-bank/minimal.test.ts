import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_ACCOUNTS, REFERENCE_UNMAPPED } from './fixtures.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank, STATE_PATH } from './server.ts';
import { signRawBody } from './signature.ts';
import { available, FUNDED, get, isHeld, MAX, MIN, post, reserveOk, reserveRequest, transactRequest } from './test-support.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LOW = REFERENCE_ACCOUNTS.lowBalance;
// The probe account has no auth code: authCode is informational there.
const NO_PIN = REFERENCE_ACCOUNTS.probe;

type Body = Record<string, unknown>;

/** Releases whatever a granted answer held, so every test starts from the same funds. */
async function releaseIfGranted(bank: RunningBank, request: Body, answer: { json: Body | undefined }): Promise<void> {
  const ref = answer.json?.['reserveFundsTxnRef'];
  if (answer.json?.['responseCode'] === '0000' && typeof ref === 'string') {
    expect((await post(bank, '/transactResult', { reserveFundsTxnRef: ref, responseCode: 2239, raasTxnRef: request['raasTxnRef'] })).status).toBe(200);
  }
}

function request(overrides: Body = {}, drop: string[] = []): Body {
  const body: Body = { ...reserveRequest(), ...overrides };
  for (const key of drop) delete body[key];
  return body;
}

describe('minimal reference bank (checks only what the bank acts on)', () => {
  let bank: RunningBank;

  beforeAll(async () => {
    bank = await startReferenceBank({ personality: 'minimal' });
  });
  afterAll(async () => {
    await bank.close();
  });

  /** Sends a reserveFunds, checks HTTP status and code, and checks funds moved only on 0000 (then releases). */
  async function expectReserve(body: Body, status: number, code: string): Promise<void> {
    const account = String(body['sourceIdentifier']);
    const before = bank.state().accounts[account]?.available;
    const answer = await post(bank, '/reserveFunds', body);
    expect({ status: answer.status, code: answer.json?.['responseCode'] }, answer.text).toEqual({ status, code });
    expect(answer.contentType).toBe('application/json');
    if (code === '0000') {
      expect(answer.json?.['reserveFundsTxnRef']).toMatch(UUID);
      expect(bank.state().accounts[account]?.available).toBe((before ?? 0) - Number(body['reserveAmount']));
    } else {
      expect(answer.json?.['reserveFundsTxnRef']).toBeUndefined();
      expect(bank.state().accounts[account]?.available).toBe(before);
    }
    await releaseIfGranted(bank, body, answer);
  }

  describe('amount limits, inclusive on both sides', () => {
    it.each([
      ['the minimum', MIN, '0000'],
      ['minimum − 1', MIN - 1, '2050'],
      ['the maximum', MAX, '0000'],
      ['maximum + 1', MAX + 1, '2040'],
      ['zero', 0, '2050'],
      ['negative (below the minimum)', -1, '2050'],
      ['12 digits (above the maximum)', 999_999_999_999, '2040'],
    ])('%s → %s', async (_name, reserveAmount, code) => {
      await expectReserve(request({ reserveAmount }), 200, code);
    });

    it.each([
      ['13 digits', 1_000_000_000_000],
      ['a numeric string', '1000'],
      ['fractional', 1500.5],
      ['null', null],
    ])('reserveAmount %s → 400 2090', async (_name, reserveAmount) => {
      await expectReserve(request({ reserveAmount }), 400, '2090');
    });

    it('reserveAmount missing → 400 2090', async () => {
      await expectReserve(request({}, ['reserveAmount']), 400, '2090');
    });
  });

  describe('available funds', () => {
    it.each([
      ['exactly the balance', LOW.balance, '0000'],
      ['balance + 1', LOW.balance + 1, '2010'],
      ['balance − 1', LOW.balance - 1, '0000'],
    ])('%s → %s', async (_name, reserveAmount, code) => {
      await expectReserve(request({ sourceIdentifier: LOW.sourceIdentifier, authCode: undefined, reserveAmount }), 200, code);
    });
  });

  describe('account lookup and status', () => {
    it.each([
      ['an unmapped identifier', REFERENCE_UNMAPPED, '2030'],
      ['an empty identifier', '', '2030'],
      ['an identifier over 32 characters (no length rule: just not found)', '2'.repeat(40), '2030'],
      ['a blacklisted account', REFERENCE_ACCOUNTS.blacklisted.sourceIdentifier, '2070'],
      ['an inactive account', REFERENCE_ACCOUNTS.inactive.sourceIdentifier, '2080'],
    ])('%s → %s', async (_name, sourceIdentifier, code) => {
      await expectReserve(request({ sourceIdentifier, authCode: undefined }), 200, code);
    });

    it.each([
      ['a number', 27820000001],
      ['null', null],
    ])('sourceIdentifier as %s → 400 2090', async (_name, sourceIdentifier) => {
      await expectReserve(request({ sourceIdentifier }), 400, '2090');
    });

    it('walkthrough order: limits, lookup, auth code, status, funds', async () => {
      await expectReserve(request({ sourceIdentifier: REFERENCE_UNMAPPED, reserveAmount: MIN - 1 }), 200, '2050');
      await expectReserve(request({ authCode: '9999', reserveAmount: MAX + 1 }), 200, '2040');
      await expectReserve(request({ sourceIdentifier: REFERENCE_UNMAPPED, authCode: '9999' }), 200, '2030');
      await expectReserve(request({ sourceIdentifier: LOW.sourceIdentifier, authCode: undefined, reserveAmount: LOW.balance + 1 }), 200, '2010');
    });
  });

  describe('authCode: only where the account has one', () => {
    it.each([
      ['missing', undefined],
      ['wrong', '9999'],
      ['the right digits as a number', Number(FUNDED.authCode)],
      ['null', null],
      ['empty', ''],
      ['over 64 characters', '1'.repeat(65)],
    ])('on the auth-code account, %s → 2020', async (_name, authCode) => {
      await expectReserve(request({ authCode }), 200, '2020');
    });

    it('on the auth-code account, the right code → 0000', async () => {
      await expectReserve(request({ authCode: FUNDED.authCode }), 200, '0000');
    });

    it.each([
      ['missing', undefined],
      ['a string', 'whatever'],
      ['a number', 12345],
      ['null', null],
      ['an object', { pin: 1 }],
      ['over 64 characters', 'x'.repeat(100)],
    ])('on an account without one, authCode %s is ignored → 0000', async (_name, authCode) => {
      await expectReserve(request({ sourceIdentifier: NO_PIN.sourceIdentifier, authCode }), 200, '0000');
    });
  });

  describe('the references it keeps', () => {
    it.each(['raasTxnRef', 'clientTxnRef'])('%s of exactly 64 characters → 0000', async (field) => {
      await expectReserve(request({ [field]: `${field}-`.padEnd(64, 'x') }), 200, '0000');
    });

    it.each([
      ['raasTxnRef', 'missing', undefined],
      ['raasTxnRef', 'empty', ''],
      ['raasTxnRef', 'of 65 characters', 'r'.repeat(65)],
      ['raasTxnRef', 'a number', 12345],
      ['clientTxnRef', 'missing', undefined],
      ['clientTxnRef', 'empty', ''],
      ['clientTxnRef', 'of 65 characters', 'c'.repeat(65)],
      ['clientTxnRef', 'null', null],
    ])('%s %s → 400 2090', async (field, _name, value) => {
      await expectReserve(value === undefined ? request({}, [field]) : request({ [field]: value }), 400, '2090');
    });
  });

  describe('informational fields are never read', () => {
    it.each([
      ['productId 100000 (6 digits)', { productId: 100_000 }],
      ['productType "abc"', { productType: 'abc' }],
      ['productType null', { productType: null }],
      ['productType 1.5', { productType: 1.5 }],
      ['purchaseAmount of 13 digits', { purchaseAmount: 1_000_000_000_000 }],
      ['feeAmount negative', { feeAmount: -1 }],
      ['settlementAmount a string', { settlementAmount: 'abc' }],
      ['clientShareAmount 10^15', { clientShareAmount: 1e15 }],
      ['timestamp "yesterday"', { timestamp: 'yesterday' }],
      ['targetIdentifier of 100 characters', { targetIdentifier: '9'.repeat(100) }],
      ['channelId 100', { channelId: 100 }],
      ['channelName empty', { channelName: '' }],
      ['channelSessionId a number', { channelSessionId: 7 }],
      ['accountIdentifier an object', { accountIdentifier: { a: 1 } }],
      ['an unknown extra field', { somethingElse: [1, 2, 3] }],
    ])('%s → 0000', async (_name, overrides) => {
      await expectReserve(request(overrides), 200, '0000');
    });

    it('every informational field missing → 0000', async () => {
      const informational = [
        'productId',
        'productType',
        'purchaseAmount',
        'feeAmount',
        'clientShareAmount',
        'settlementAmount',
        'targetIdentifier',
        'channelId',
        'channelName',
        'timestamp',
      ];
      await expectReserve(request({}, informational), 200, '0000');
    });
  });

  describe('malformed bodies', () => {
    it.each([
      ['truncated JSON', '{"raasTxnRef": '],
      ['an empty body', ''],
      ['JSON null', 'null'],
      ['a JSON array', JSON.stringify([reserveRequest()])],
      ['a JSON string', '"reserveFunds"'],
      ['a JSON number', '42'],
      ['form-encoded', 'raasTxnRef=abc&reserveAmount=1000'],
    ])('%s → 400 2090 on both endpoints, nothing held', async (_name, body) => {
      const held = bank.state().reservations;
      for (const path of ['/reserveFunds', '/transactResult']) {
        const answer = await post(bank, path, body);
        expect(answer.status).toBe(400);
        expect(answer.json?.['responseCode']).toBe('2090');
      }
      expect(bank.state().reservations).toEqual(held);
    });
  });

  describe('a repeated reserveFunds', () => {
    it('same raasTxnRef again → 2090, held once, in sequence and concurrently', async () => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const first = request({ reserveAmount: 3_000 });
      const granted = await post(bank, '/reserveFunds', first);
      expect(granted.json?.['responseCode']).toBe('0000');
      const again = await post(bank, '/reserveFunds', first);
      expect({ status: again.status, body: again.json }).toEqual({ status: 200, body: { responseCode: '2090' } });
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 3_000);
      await releaseIfGranted(bank, first, granted);

      const racing = request({ reserveAmount: 3_000 });
      const answers = await Promise.all([1, 2, 3, 4].map(() => post(bank, '/reserveFunds', racing)));
      expect(answers.map((a) => a.json?.['responseCode']).sort()).toEqual(['0000', '2090', '2090', '2090']);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 3_000);
      await releaseIfGranted(bank, racing, answers.find((a) => a.json?.['responseCode'] === '0000') ?? { json: undefined });
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before);
    });

    it('a raasTxnRef refused once is refused with 2090 afterwards, even when the request is now valid', async () => {
      const body = request({ reserveAmount: MAX + 1 });
      await expectReserve(body, 200, '2040');
      await expectReserve({ ...body, reserveAmount: MIN }, 200, '2090');
    });

    it('a raasTxnRef first sent malformed is not remembered', async () => {
      const body = request();
      await expectReserve({ ...body, reserveAmount: 'abc' }, 400, '2090');
      await expectReserve(body, 200, '0000');
    });

    it('hands out a distinct UUID per reservation', async () => {
      const refs = await Promise.all(Array.from({ length: 30 }, async () => (await reserveOk(bank, { reserveAmount: MIN })).ref));
      expect(new Set(refs).size).toBe(refs.length);
      for (const ref of refs) expect(ref).toMatch(UUID);
      for (const ref of refs) expect((await post(bank, '/transactResult', { reserveFundsTxnRef: ref, responseCode: 2239 })).status).toBe(200);
    });
  });

  describe('transactResult', () => {
    it('0 debits once; every delivery → empty 200', async () => {
      const account = () => bank.state().accounts[FUNDED.sourceIdentifier];
      const before = account();
      const { request: reserved, ref } = await reserveOk(bank, { reserveAmount: 4_000 });
      for (let i = 0; i < 3; i++) {
        const ack = await fetch(`${bank.url}/transactResult`, { method: 'POST', body: JSON.stringify(transactRequest(reserved, ref, 0)) });
        expect(ack.status).toBe(200);
        expect(ack.headers.get('content-length')).toBe('0');
        expect(ack.headers.get('content-type')).toBeNull();
        expect(await ack.text()).toBe('');
      }
      // A late failure outcome for a finished reservation changes nothing either.
      expect((await post(bank, '/transactResult', transactRequest(reserved, ref, 2239))).status).toBe(200);
      expect(account()).toMatchObject({ balance: (before?.balance ?? 0) - 4_000, held: before?.held });
    });

    it.each([1, 2201, 2226, 9999, -5, 123_456])('%i releases (any non-zero outcome)', async (code) => {
      const before = bank.state().accounts[FUNDED.sourceIdentifier];
      const { request: reserved, ref } = await reserveOk(bank, { reserveAmount: 2_000 });
      const ack = await post(bank, '/transactResult', transactRequest(reserved, ref, code));
      expect({ status: ack.status, text: ack.text }).toEqual({ status: 200, text: '' });
      expect(bank.state().accounts[FUNDED.sourceIdentifier]).toEqual(before);
    });

    it('five concurrent deliveries → 200 each, debited once', async () => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const debited = bank.state().reservations.debited;
      const { request: reserved, ref } = await reserveOk(bank, { reserveAmount: 1_700 });
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(bank, '/transactResult', transactRequest(reserved, ref, 0))));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_700);
      expect(bank.state().reservations.debited).toBe(debited + 1);
    });

    it('reads only reserveFundsTxnRef and responseCode: the other fields may be anything or absent', async () => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      const ack = await post(bank, '/transactResult', {
        reserveFundsTxnRef: ref,
        responseCode: 0,
        timestamp: 'yesterday',
        reserveAmount: 'abc',
        raasTxnRef: 7,
      });
      expect(ack.status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_000);
    });

    it('unknown reserveFundsTxnRef → 404 with an empty body', async () => {
      const answer = await post(bank, '/transactResult', transactRequest(reserveRequest(), 'no-such-reference', 0));
      expect({ status: answer.status, text: answer.text }).toEqual({ status: 404, text: '' });
    });

    it.each([
      ['an empty reference', (_raas: string) => ''],
      ['the raasTxnRef as reference', (raas: string) => raas],
    ])('a timeout cancel with %s is not matched: 404, the funds stay held', async (_name, refFor) => {
      const { request: reserved, ref } = await reserveOk(bank, { reserveAmount: 2_200 });
      const cancel = await post(bank, '/transactResult', transactRequest(reserved, refFor(reserved.raasTxnRef), 2239));
      expect(cancel.status).toBe(404);
      expect(isHeld(bank, ref, reserved.raasTxnRef)).toBe(true);
      expect((await post(bank, '/transactResult', transactRequest(reserved, ref, 2239))).status).toBe(200);
    });

    it.each([
      ['reserveFundsTxnRef missing', (_ref: string): Body => ({ responseCode: 0 })],
      ['reserveFundsTxnRef a number', (): Body => ({ reserveFundsTxnRef: 5, responseCode: 0 })],
      ['responseCode missing', (ref: string): Body => ({ reserveFundsTxnRef: ref })],
      ['responseCode a string', (ref: string): Body => ({ reserveFundsTxnRef: ref, responseCode: '0' })],
      ['responseCode fractional', (ref: string): Body => ({ reserveFundsTxnRef: ref, responseCode: 0.5 })],
    ])('%s → 400 2090, the reservation stays held', async (_name, bodyFor) => {
      const { request: reserved, ref } = await reserveOk(bank, { reserveAmount: MIN });
      const answer = await post(bank, '/transactResult', bodyFor(ref));
      expect({ status: answer.status, code: answer.json?.['responseCode'] }).toEqual({ status: 400, code: '2090' });
      expect(isHeld(bank, ref, reserved.raasTxnRef)).toBe(true);
      await post(bank, '/transactResult', transactRequest(reserved, ref, 2239));
    });
  });

  it('serves its state, naming the personality', async () => {
    const answer = await get(bank, STATE_PATH);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(JSON.parse(JSON.stringify(bank.state())));
    expect(answer.json).toMatchObject({ personality: 'minimal', faults: [], signing: false, chaos: null });
  });
});

describe('minimal reference bank with signing on', () => {
  const secret = 'minimal-ключ';
  let bank: RunningBank;

  beforeAll(async () => {
    bank = await startReferenceBank({ personality: 'minimal', secret });
  });
  afterAll(async () => {
    await bank.close();
  });

  const forgeries: Array<[string, (body: string) => { body: string; signature?: string }]> = [
    ['missing', (body) => ({ body })],
    ['empty', (body) => ({ body, signature: '' })],
    ['made with another secret', (body) => ({ body, signature: signRawBody(Buffer.from(body), 'another secret') })],
    ['over the body before it was changed', (body) => ({ body: body.replace('}', ',"x":1}'), signature: signRawBody(Buffer.from(body), secret) })],
  ];

  it.each(forgeries)('reserveFunds with a signature %s → 401, nothing held', async (_name, forge) => {
    const before = bank.state();
    const { body, signature } = forge(JSON.stringify(reserveRequest()));
    const answer = await post(bank, '/reserveFunds', body, signature === undefined ? {} : { signature });
    expect(answer.status).toBe(401);
    expect(bank.state()).toEqual(before);
  });

  it.each(forgeries)('transactResult with a signature %s → 401: neither debits nor releases', async (_name, forge) => {
    const { request: reserved, ref } = await reserveOk(bank, { reserveAmount: 1_200 }, secret);
    const before = bank.state();
    for (const code of [0, 2239]) {
      const { body, signature } = forge(JSON.stringify(transactRequest(reserved, ref, code)));
      const answer = await post(bank, '/transactResult', body, signature === undefined ? {} : { signature });
      expect(answer.status).toBe(401);
    }
    expect(bank.state()).toEqual(before);
    const ack = await post(bank, '/transactResult', transactRequest(reserved, ref, 2239), { secret });
    expect({ status: ack.status, text: ack.text }).toEqual({ status: 200, text: '' });
    expect(isHeld(bank, ref, reserved.raasTxnRef)).toBe(false);
  });

  it('accepts the exact bytes signed, pretty-printed with CRLF', async () => {
    const pretty = JSON.stringify(reserveRequest(), null, 2).replace(/\n/g, '\r\n');
    const answer = await post(bank, '/reserveFunds', pretty, { secret });
    expect(answer.json?.['responseCode']).toBe('0000');
  });
});

it('refuses faults: they break the strict bank only', async () => {
  await expect(startReferenceBank({ personality: 'minimal', faults: ['no-maximum'] })).rejects.toThrow(/strict personality only/);
});
