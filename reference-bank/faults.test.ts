import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckId } from '../checks/ids.ts';
import type { FaultName } from './faults.ts';
import { FAULTS } from './faults.ts';
import { REFERENCE_ACCOUNTS, REFERENCE_UNMAPPED } from './fixtures.ts';
import type { RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { available, FUNDED, get, MAX, MIN, post, reserveOk, reserveRequest, transactRequest } from './test-support.ts';

/**
 * One probe per rule a fault may break, each answering a short observation. A fault must change the
 * observation of exactly the check FAULTS says it breaks, and nothing else.
 */
type Probe = (bank: RunningBank, statuses: number[]) => Promise<string>;

const low = REFERENCE_ACCOUNTS.lowBalance;

async function code(bank: RunningBank, statuses: number[], overrides: Parameters<typeof reserveRequest>[0]): Promise<string> {
  const answer = await post(bank, '/reserveFunds', reserveRequest(overrides));
  statuses.push(answer.status);
  return String(answer.json?.['responseCode']);
}

const PROBES: Partial<Record<CheckId, Probe>> = {
  'RF-SCHEMA': async (bank) => {
    const { ref } = await reserveOk(bank);
    return ref.length <= 64 ? 'reference ≤ 64' : `reference of ${ref.length}`;
  },
  'RF-0000': (bank, s) => code(bank, s, { reserveAmount: MIN }),
  'RF-2010': (bank, s) => code(bank, s, { sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: low.balance + 1 }),
  'RF-2020': (bank, s) => code(bank, s, { authCode: '0000' }),
  'RF-2030': (bank, s) => code(bank, s, { sourceIdentifier: REFERENCE_UNMAPPED, authCode: undefined }),
  'RF-2040': (bank, s) => code(bank, s, { reserveAmount: MAX + 1 }),
  'RF-2050': (bank, s) => code(bank, s, { reserveAmount: MIN - 1 }),
  'RF-2070': (bank, s) => code(bank, s, { sourceIdentifier: REFERENCE_ACCOUNTS.blacklisted.sourceIdentifier, authCode: undefined }),
  'RF-2080': (bank, s) => code(bank, s, { sourceIdentifier: REFERENCE_ACCOUNTS.inactive.sourceIdentifier, authCode: undefined }),
  'RF-REF-UNIQUE': async (bank) => {
    const refs = await Promise.all(Array.from({ length: 20 }, async () => (await reserveOk(bank, { reserveAmount: MIN + 1 })).ref));
    return new Set(refs).size === refs.length ? 'unique' : 'duplicates';
  },
  'RF-DUPLICATE': async (bank) => {
    const request = reserveRequest({ reserveAmount: 700 });
    const before = available(bank, FUNDED.sourceIdentifier);
    const answers = await Promise.all([1, 2, 3].map(() => post(bank, '/reserveFunds', request)));
    return `held ${before - available(bank, FUNDED.sourceIdentifier)}, refs ${new Set(answers.map((a) => a.json?.['reserveFundsTxnRef'])).size}`;
  },
  'TR-ACK': async (bank) => {
    const debit = await reserveOk(bank, { reserveAmount: 900 });
    const release = await reserveOk(bank, { reserveAmount: 900 });
    const d = await post(bank, '/transactResult', transactRequest(debit.request, debit.ref, 0));
    const r = await post(bank, '/transactResult', transactRequest(release.request, release.ref, 2201));
    return `debit ${d.status}, release ${r.status}`;
  },
  'TR-404': async (bank) => (await post(bank, '/transactResult', transactRequest(reserveRequest(), 'unknown-ref', 0))).status.toString(),
  'TR-RETRY': async (bank) => {
    const { request, ref } = await reserveOk(bank, { reserveAmount: 800 });
    const body = transactRequest(request, ref, 0);
    await post(bank, '/transactResult', body);
    const again = await post(bank, '/transactResult', body);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => post(bank, '/transactResult', body)));
    return [again, ...concurrent].map((a) => a.status).join(',');
  },
  'SF-DEBIT-ONCE': async (bank) => {
    const before = available(bank, FUNDED.sourceIdentifier);
    const { request, ref } = await reserveOk(bank, { reserveAmount: 1_100 });
    const body = transactRequest(request, ref, 0);
    await Promise.all(Array.from({ length: 4 }, () => post(bank, '/transactResult', body)));
    return `fell ${before - available(bank, FUNDED.sourceIdentifier)}`;
  },
  'SF-RELEASE': async (bank) => {
    const before = available(bank, FUNDED.sourceIdentifier);
    const { request, ref } = await reserveOk(bank, { reserveAmount: 1_200 });
    await post(bank, '/transactResult', transactRequest(request, ref, 2226));
    return `moved ${before - available(bank, FUNDED.sourceIdentifier)}`;
  },
  'SF-TIMEOUT-CANCEL': async (bank) => {
    const before = available(bank, FUNDED.sourceIdentifier);
    const { request } = await reserveOk(bank, { reserveAmount: 1_300 });
    const status = (await post(bank, '/transactResult', transactRequest(request, '', 2239))).status;
    return `${status}, moved ${before - available(bank, FUNDED.sourceIdentifier)}`;
  },
  'SEC-BAD-INPUT': async (bank) => {
    const bad = await post(bank, '/reserveFunds', '{"raasTxnRef":');
    const invalid = await post(bank, '/reserveFunds', { ...reserveRequest(), reserveAmount: 'lots' });
    return `${bad.status} ${invalid.status}, health ${(await get(bank, '/health')).status}`;
  },
};

async function observe(faults: readonly FaultName[]): Promise<Map<string, string>> {
  const bank = await startReferenceBank({ faults });
  try {
    const seen = new Map<string, string>();
    const statuses: number[] = [];
    for (const [id, probe] of Object.entries(PROBES)) seen.set(id, await probe(bank, statuses));
    // RF-HTTP-200 looks at every business answer the code probes got.
    seen.set('RF-HTTP-200', [...new Set(statuses)].sort().join(','));
    return seen;
  } finally {
    await bank.close();
  }
}

/** What each fault makes its broken check observe instead. */
const FAULTED: Record<FaultName, string> = {
  'long-reference': 'reference of 80',
  'exclusive-minimum': '2050',
  'ignore-funds': '0000',
  'ignore-auth-code': '0000',
  'unmapped-as-2020': '2020',
  'no-maximum': '0000',
  'no-minimum': '0000',
  'blacklisted-as-inactive': '2080',
  'inactive-allowed': '0000',
  'errors-as-http-400': '200,400',
  'debit-ack-500': 'debit 500, release 200',
  'unknown-ref-200': '200',
};

describe('faults', () => {
  let compliant: Map<string, string>;

  beforeAll(async () => {
    compliant = await observe([]);
  });

  it('the compliant bank passes every probe', () => {
    expect(Object.fromEntries(compliant)).toEqual({
      'RF-SCHEMA': 'reference ≤ 64',
      'RF-0000': '0000',
      'RF-2010': '2010',
      'RF-2020': '2020',
      'RF-2030': '2030',
      'RF-2040': '2040',
      'RF-2050': '2050',
      'RF-2070': '2070',
      'RF-2080': '2080',
      'RF-REF-UNIQUE': 'unique',
      'RF-DUPLICATE': 'held 700, refs 1',
      'TR-ACK': 'debit 200, release 200',
      'TR-404': '404',
      'TR-RETRY': '200,200,200,200,200,200',
      'SF-DEBIT-ONCE': 'fell 1100',
      'SF-RELEASE': 'moved 0',
      'SF-TIMEOUT-CANCEL': '200, moved 0',
      'SEC-BAD-INPUT': '400 400, health 200',
      'RF-HTTP-200': '200',
    });
  });

  it.each(Object.keys(FAULTS) as FaultName[])('%s changes exactly its own check', async (fault) => {
    const seen = await observe([fault]);
    const changed = [...seen].filter(([id, value]) => compliant.get(id) !== value).map(([id]) => id);
    expect(changed).toEqual([FAULTS[fault].breaks]);
    expect(seen.get(FAULTS[fault].breaks)).toBe(FAULTED[fault]);
  });
});

describe('fault details', () => {
  async function withBank<T>(faults: readonly FaultName[], body: (bank: RunningBank) => Promise<T>): Promise<T> {
    const bank = await startReferenceBank({ faults });
    try {
      return await body(bank);
    } finally {
      await bank.close();
    }
  }

  it('long-reference: the 80-character reference is accepted back and debits', () =>
    withBank(['long-reference'], async (bank) => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      expect(ref).toHaveLength(80);
      expect((await post(bank, '/transactResult', transactRequest(request, ref, 0))).status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_000);
    }));

  it('exclusive-minimum: one above the minimum still succeeds', () =>
    withBank(['exclusive-minimum'], async (bank) => {
      await reserveOk(bank, { reserveAmount: MIN + 1 });
    }));

  it('ignore-funds: reserves beyond the balance', () =>
    withBank(['ignore-funds'], async (bank) => {
      await reserveOk(bank, { sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: low.balance * 3 });
      expect(available(bank, low.sourceIdentifier)).toBe(-2 * low.balance);
    }));

  it('ignore-auth-code: no authCode at all still reserves', () =>
    withBank(['ignore-auth-code'], async (bank) => {
      await reserveOk(bank, { authCode: undefined });
    }));

  it('blacklisted-as-inactive and inactive-allowed leave the other status alone', async () => {
    await withBank(['blacklisted-as-inactive'], async (bank) => {
      expect(await code(bank, [], { sourceIdentifier: REFERENCE_ACCOUNTS.inactive.sourceIdentifier, authCode: undefined })).toBe('2080');
    });
    await withBank(['inactive-allowed'], async (bank) => {
      expect(await code(bank, [], { sourceIdentifier: REFERENCE_ACCOUNTS.blacklisted.sourceIdentifier, authCode: undefined })).toBe('2070');
    });
  });

  it('errors-as-http-400: same JSON body, 0000 and validation errors unchanged', () =>
    withBank(['errors-as-http-400'], async (bank) => {
      const refused = await post(bank, '/reserveFunds', reserveRequest({ reserveAmount: MAX + 1 }));
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({ responseCode: '2040' });
      await reserveOk(bank);
      const invalid = await post(bank, '/reserveFunds', '[]');
      expect(invalid.status).toBe(400);
      expect(invalid.json?.['responseCode']).toBe('2090');
    }));

  it('debit-ack-500: the debit is applied once and a repeat gets 200', () =>
    withBank(['debit-ack-500'], async (bank) => {
      const before = available(bank, FUNDED.sourceIdentifier);
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_000 });
      const body = transactRequest(request, ref, 0);
      expect((await post(bank, '/transactResult', body)).status).toBe(500);
      expect((await post(bank, '/transactResult', body)).status).toBe(200);
      expect(available(bank, FUNDED.sourceIdentifier)).toBe(before - 1_000);
      expect(bank.state().accounts[FUNDED.sourceIdentifier]?.balance).toBe(FUNDED.balance - 1_000);
    }));

  it('unknown-ref-200: an unmatched outcome is acknowledged and changes nothing', () =>
    withBank(['unknown-ref-200'], async (bank) => {
      const before = bank.state();
      expect((await post(bank, '/transactResult', transactRequest(reserveRequest(), 'nope', 0))).status).toBe(200);
      expect(bank.state()).toEqual(before);
    }));
});
