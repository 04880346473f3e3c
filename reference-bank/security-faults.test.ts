import { describe, expect, it } from 'vitest';
import type { ReserveFundsRequest } from '../checks/protocol.ts';
import { REFERENCE_ACCOUNTS, REFERENCE_UNMAPPED } from './fixtures.ts';
import { MARKUP_MESSAGE, MARKUP_PAGE } from './handlers.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { signRawBody } from './signature.ts';
import type { FaultName } from './faults.ts';
import { available, compliantAndFaulty, FUNDED, MAX, post, reserveOk, reserveRequest, transactRequest, withBank } from './test-support.ts';

// Each scenario runs on a compliant bank and on a bank with the fault: the difference is the fault.

const funded = FUNDED.sourceIdentifier;

function without(request: ReserveFundsRequest, ...fields: Array<keyof ReserveFundsRequest>): Partial<ReserveFundsRequest> {
  const copy: Partial<ReserveFundsRequest> = { ...request };
  for (const field of fields) delete copy[field];
  return copy;
}

const summary = (a: { status: number; json: Record<string, unknown> | undefined }): string => `${a.status} ${String(a.json?.['responseCode'])}`;

describe('accept-any-signature', () => {
  const secret = 'bank-secret';

  async function signedPair<T>(scenario: (bank: RunningBank) => Promise<T>): Promise<{ compliant: T; faulty: T }> {
    const [plain, faulty] = await Promise.all([startReferenceBank({ secret }), startReferenceBank({ secret, faults: ['accept-any-signature'] })]);
    try {
      const [onPlain, onFaulty] = await Promise.all([scenario(plain), scenario(faulty)]);
      return { compliant: onPlain, faulty: onFaulty };
    } finally {
      await Promise.all([plain.close(), faulty.close()]);
    }
  }

  it('missing, wrong and tampered signatures reserve; a correct one still works', async () => {
    const { compliant, faulty } = await signedPair(async (bank) => {
      const before = available(bank, funded);
      const tamperedBody = reserveRequest({ reserveAmount: 700 });
      const answers = [
        await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: 700 })),
        await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: 700 }), { signature: 'bm90IGEgc2lnbmF0dXJl' }),
        await post(bank, '/reserveFunds', tamperedBody, { signature: signRawBody(Buffer.from(JSON.stringify({ ...tamperedBody, reserveAmount: 1 })), secret) }),
      ];
      await reserveOk(bank, { reserveAmount: 500 }, secret);
      return { answers: answers.map(summary), held: before - available(bank, funded), signing: bank.state().signing };
    });
    expect(compliant).toEqual({ answers: ['401 2090', '401 2090', '401 2090'], held: 500, signing: true });
    expect(faulty).toEqual({ answers: ['200 0000', '200 0000', '200 0000'], held: 2_600, signing: true });
  });

  it('changes nothing without a secret', async () => {
    const { compliant, faulty } = await compliantAndFaulty('accept-any-signature', async (bank) =>
      summary(await post(bank, '/reserveFunds', reserveRequest())),
    );
    expect(faulty).toBe(compliant);
  });
});

describe('bad-input-500', () => {
  const badBodies: Array<[string, string | object]> = [
    ['malformed JSON', '{"raasTxnRef":'],
    ['not JSON at all', 'hello'],
    ['an array', '[]'],
    ['a mistyped field', { ...reserveRequest(), reserveAmount: 'lots' }],
    ['a missing field', without(reserveRequest(), 'clientTxnRef')],
    ['an oversized field', reserveRequest({ channelName: 'x'.repeat(65) })],
  ];

  it('answers 500 where the compliant bank answers 400, with the same body, on both endpoints', async () => {
    const { compliant, faulty } = await compliantAndFaulty('bad-input-500', async (bank) => {
      const reserve = [];
      for (const [, body] of badBodies) reserve.push(await post(bank, '/reserveFunds', body));
      const transact = await post(bank, '/transactResult', { clientTxnRef: 'c' });
      return { reserve: reserve.map(summary), transact: summary(transact), message: reserve[0]?.json?.['message'], held: bank.state().reservations.held };
    });
    const statuses = (status: number): string[] => badBodies.map(() => `${status} 2090`);
    expect(compliant).toEqual({ reserve: statuses(400), transact: '400 2090', message: 'malformed JSON', held: 0 });
    expect(faulty).toEqual({ reserve: statuses(500), transact: '500 2090', message: 'malformed JSON', held: 0 });
  });

  it('valid requests are unchanged, refusals included', async () => {
    const { compliant, faulty } = await compliantAndFaulty('bad-input-500', async (bank) => {
      const { request, ref } = await reserveOk(bank);
      const refused = await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: MAX + 1 }));
      const done = await post(bank, '/transactResult', transactRequest(request, ref, 0));
      const unknown = await post(bank, '/transactResult', transactRequest(request, 'nope', 0));
      return [summary(refused), done.status, unknown.status];
    });
    expect(faulty).toEqual(compliant);
    expect(compliant).toEqual(['200 2040', 200, 404]);
  });
});

describe('reserve-missing-field', () => {
  // Every required field but clientTxnRef: the fault relaxes only that one, so informational fields stay checked.
  const otherRequired: Array<keyof ReserveFundsRequest> = [
    'productId',
    'purchaseAmount',
    'feeAmount',
    'clientShareAmount',
    'settlementAmount',
    'targetIdentifier',
    'channelId',
    'channelName',
    'timestamp',
  ];

  it('reserves without a clientTxnRef, and only then', async () => {
    const { compliant, faulty } = await compliantAndFaulty('reserve-missing-field', async (bank) => {
      const before = available(bank, funded);
      const noClientRef = summary(await post(bank, '/reserveFunds', without(reserveRequest({ reserveAmount: 600 }), 'clientTxnRef')));
      const others = [];
      for (const field of otherRequired) others.push(summary(await post(bank, '/reserveFunds', without(reserveRequest({ reserveAmount: 600 }), field))));
      return { noClientRef, others: [...new Set(others)], held: before - available(bank, funded) };
    });
    expect(compliant).toEqual({ noClientRef: '400 2090', others: ['400 2090'], held: 0 });
    expect(faulty).toEqual({ noClientRef: '200 0000', others: ['400 2090'], held: 600 });
  });

  it('still refuses without raasTxnRef, sourceIdentifier or reserveAmount, and checks types and lengths', async () => {
    const { compliant, faulty } = await compliantAndFaulty('reserve-missing-field', async (bank) => {
      const bodies: object[] = [
        without(reserveRequest(), 'raasTxnRef'),
        without(reserveRequest(), 'sourceIdentifier'),
        without(reserveRequest(), 'reserveAmount'),
        { ...without(reserveRequest(), 'clientTxnRef'), raasTxnRef: '' },
        { ...without(reserveRequest(), 'clientTxnRef'), reserveAmount: -1 },
        { ...without(reserveRequest(), 'clientTxnRef'), productId: 'ten' },
        { ...without(reserveRequest(), 'clientTxnRef'), channelName: 'x'.repeat(65) },
        { ...without(reserveRequest(), 'clientTxnRef'), timestamp: 'yesterday' },
      ];
      const answers = [];
      for (const body of bodies) answers.push(summary(await post(bank, '/reserveFunds', body)));
      return { answers: [...new Set(answers)], held: bank.state().reservations.held };
    });
    expect(faulty).toEqual(compliant);
    expect(compliant).toEqual({ answers: ['400 2090'], held: 0 });
  });

  it('the business rules still apply to a request with fields missing', async () => {
    const { faulty } = await compliantAndFaulty('reserve-missing-field', async (bank) => {
      const lean = (overrides: Partial<ReserveFundsRequest>): Partial<ReserveFundsRequest> => without(reserveRequest(overrides), 'clientTxnRef');
      return [
        summary(await post(bank, '/reserveFunds', lean({ reserveAmount: MAX + 1 }))),
        summary(await post(bank, '/reserveFunds', lean({ authCode: '0000' }))),
        summary(await post(bank, '/reserveFunds', lean({ sourceIdentifier: REFERENCE_UNMAPPED, authCode: undefined }))),
      ];
    });
    expect(faulty).toEqual(['200 2040', '200 2020', '200 2030']);
  });
});

describe('reflect-markup', () => {
  it('an unknown transactResult gets 200 and the HTML page; a known one is unchanged', async () => {
    const { compliant, faulty } = await compliantAndFaulty('reflect-markup', async (bank) => {
      const unknown = await post(bank, '/transactResult', transactRequest(reserveRequest(), 'nope', 0));
      const { request, ref } = await reserveOk(bank);
      const known = await post(bank, '/transactResult', transactRequest(request, ref, 2201));
      return { unknown: [unknown.status, unknown.contentType, unknown.text], known: [known.status, known.text] };
    });
    expect(compliant).toEqual({ unknown: [404, null, ''], known: [200, ''] });
    expect(faulty).toEqual({ unknown: [200, 'text/html; charset=utf-8', MARKUP_PAGE], known: [200, ''] });
    expect(MARKUP_PAGE).toBe(`<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">`);
  });

  it('every reserveFunds answer carries the markup message, whatever its code', async () => {
    const { compliant, faulty } = await compliantAndFaulty('reflect-markup', async (bank) => {
      const ok = await post(bank, '/reserveFunds', reserveRequest());
      const refused = await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: MAX + 1 }));
      const invalid = await post(bank, '/reserveFunds', '[]');
      return [ok, refused, invalid].map((a) => ({ status: a.status, code: a.json?.['responseCode'], message: a.json?.['message'] }));
    });
    expect(compliant).toEqual([
      { status: 200, code: '0000', message: undefined },
      { status: 200, code: '2040', message: undefined },
      { status: 400, code: '2090', message: '(body): Invalid input: expected object, received array' },
    ]);
    expect(faulty.map((a) => [a.status, a.code])).toEqual(compliant.map((a) => [a.status, a.code]));
    expect(faulty.map((a) => a.message)).toEqual([MARKUP_MESSAGE, MARKUP_MESSAGE, MARKUP_MESSAGE]);
    expect(MARKUP_MESSAGE).toBe(`<b>ok</b><script>document.title='pwned'</script>`);
  });
});

describe('lenient-informational', () => {
  const probe = REFERENCE_ACCOUNTS.probe.sourceIdentifier;
  // Informational fields, each odd or missing in its own request.
  const odd: Array<[string, (r: Record<string, unknown>) => void]> = [
    ['productId missing', (r) => delete r['productId']],
    ['productType a string', (r) => (r['productType'] = 'abc')],
    ['purchaseAmount of 13 digits', (r) => (r['purchaseAmount'] = 10 ** 12)],
    ['feeAmount negative', (r) => (r['feeAmount'] = -1)],
    ['targetIdentifier null', (r) => (r['targetIdentifier'] = null)],
    ['channelName too long', (r) => (r['channelName'] = 'x'.repeat(65))],
    ['timestamp not ISO-8601', (r) => (r['timestamp'] = 'yesterday')],
    ['authCode a number, on an account without one', (r) => Object.assign(r, { sourceIdentifier: probe, authCode: 12345 })],
  ];

  it('grants requests whose informational fields are odd or missing; the strict bank refuses them', async () => {
    const { compliant, faulty } = await compliantAndFaulty('lenient-informational', async (bank) => {
      const answers: string[] = [];
      for (const [, edit] of odd) {
        const body: Record<string, unknown> = { ...reserveRequest({ reserveAmount: 600 }) };
        edit(body);
        answers.push(summary(await post(bank, '/reserveFunds', body)));
      }
      return [...new Set(answers)];
    });
    expect(compliant).toEqual(['400 2090']);
    expect(faulty).toEqual(['200 0000']);
  });

  it('still validates every field it acts on, and a malformed auth code where the account has one is a wrong one', async () => {
    const { compliant, faulty } = await compliantAndFaulty('lenient-informational', async (bank) => {
      const bodies: Array<Record<string, unknown> | string> = [
        without(reserveRequest(), 'clientTxnRef'),
        without(reserveRequest(), 'raasTxnRef'),
        { ...reserveRequest(), reserveAmount: '1000' },
        { ...reserveRequest(), reserveAmount: 1.5 },
        { ...reserveRequest(), sourceIdentifier: 'x'.repeat(33) },
        { ...reserveRequest(), raasTxnRef: '' },
        '[]',
      ];
      const refused = [];
      for (const body of bodies) refused.push((await post(bank, '/reserveFunds', body)).json?.['responseCode'] === '0000' ? 'granted' : 'refused');
      const pin = [without(reserveRequest(), 'authCode'), { ...reserveRequest(), authCode: 1234 }, { ...reserveRequest(), authCode: 'x'.repeat(65) }];
      const pinCodes = [];
      for (const body of pin) pinCodes.push(String((await post(bank, '/reserveFunds', body)).json?.['responseCode']));
      return { refused: [...new Set(refused)], pinGranted: pinCodes.includes('0000'), held: bank.state().reservations.held };
    });
    expect(compliant).toEqual({ refused: ['refused'], pinGranted: false, held: 0 });
    expect(faulty).toEqual(compliant);
  });
});

describe('outcome-unsigned', () => {
  const secret = 'bank-secret';

  it('with a secret, an unsigned or wrongly signed transactResult debits and releases; reserveFunds still verifies', async () => {
    const scenario = async (faults: FaultName[]) =>
      withBank(
        faults,
        async (bank) => {
          const before = available(bank, funded);
          const unsignedReserve = summary(await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: 700 })));
          const debit = await reserveOk(bank, { reserveAmount: 800 }, secret);
          const release = await reserveOk(bank, { reserveAmount: 900 }, secret);
          const forgedDebit = await post(bank, '/transactResult', transactRequest(debit.request, debit.ref, 0));
          const forgedRelease = await post(bank, '/transactResult', transactRequest(release.request, release.ref, 2201), {
            signature: signRawBody(Buffer.from('{}'), secret),
          });
          const moved = before - available(bank, funded);
          const signed = await post(bank, '/transactResult', transactRequest(debit.request, debit.ref, 2201), { secret });
          return { unsignedReserve, forged: [forgedDebit.status, forgedRelease.status], moved, signed: signed.status };
        },
        { secret },
      );
    const [compliant, faulty] = await Promise.all([scenario([]), scenario(['outcome-unsigned'])]);
    // Compliant: both reservations still held (1700) until the signed release of one (800). Faulty: 800 debited, 900 released.
    expect(compliant).toEqual({ unsignedReserve: '401 2090', forged: [401, 401], moved: 1_700, signed: 200 });
    expect(faulty).toEqual({ unsignedReserve: '401 2090', forged: [200, 200], moved: 800, signed: 200 });
  });
});
