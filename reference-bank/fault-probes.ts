// The observations faults.test.ts compares: one short string per rule a fault may break.
import type { CheckId } from '../checks/ids.ts';
import type { ReserveFundsRequest } from '../checks/protocol.ts';
import type { FaultName } from './faults.ts';
import { REFERENCE_ACCOUNTS, REFERENCE_UNMAPPED } from './fixtures.ts';
import { observeLoad } from './load-probes.ts';
import type { RunningBank } from './server.ts';
import { signRawBody } from './signature.ts';
import { available, balance, FUNDED, get, isHeld, MAX, MIN, post, reserveOk, reserveRequest, transactRequest, WaitLog, withBank } from './test-support.ts';

/** `waits` is the bank's wait seam: the load faults' delays are recorded there instead of spent. */
type Probe = (bank: RunningBank, statuses: number[], waits: WaitLog) => Promise<string>;

const low = REFERENCE_ACCOUNTS.lowBalance;
const PROBE_SECRET = 'probe-secret';

export async function code(bank: RunningBank, statuses: number[], overrides: Parameters<typeof reserveRequest>[0]): Promise<string> {
  const answer = await post(bank, '/reserveFunds', reserveRequest(overrides));
  statuses.push(answer.status);
  return String(answer.json?.['responseCode']);
}

const fundedAvailable = (bank: RunningBank): number => available(bank, FUNDED.sourceIdentifier);

/** How many times the amount left the funded account while `act` ran. */
async function debits(bank: RunningBank, amount: number, act: (body: ReturnType<typeof transactRequest>) => Promise<unknown>): Promise<number> {
  const before = fundedAvailable(bank);
  const { request, ref } = await reserveOk(bank, { reserveAmount: amount });
  await act(transactRequest(request, ref, 0));
  return (before - fundedAvailable(bank)) / amount;
}

/** Statuses of the deliveries after the first (which TR-ACK judges), sequential then concurrent. */
async function retryStatuses(bank: RunningBank, responseCode: number): Promise<string> {
  const { request, ref } = await reserveOk(bank, { reserveAmount: 800 });
  const body = transactRequest(request, ref, responseCode);
  await post(bank, '/transactResult', body);
  const again = await post(bank, '/transactResult', body);
  const concurrent = await Promise.all(Array.from({ length: 3 }, () => post(bank, '/transactResult', body)));
  return [...new Set([again, ...concurrent].map((a) => a.status))].sort().join('/');
}

export const PROBES: Partial<Record<CheckId, Probe>> = {
  'RF-SCHEMA': async (bank) => {
    const { ref } = await reserveOk(bank);
    return ref.length <= 64 ? 'reference ≤ 64' : `reference of ${ref.length}`;
  },
  // Limits are inclusive: both the minimum and the maximum are valid amounts.
  'RF-0000': async (bank, s) => {
    const atMin = await code(bank, s, { reserveAmount: MIN });
    return `min ${atMin}, max ${await code(bank, s, { reserveAmount: MAX })}`;
  },
  'RF-2010': async (bank, s) => {
    const over = await code(bank, s, { sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: low.balance + 1 });
    const request = reserveRequest({ sourceIdentifier: low.sourceIdentifier, authCode: undefined, reserveAmount: low.balance });
    const exact = await post(bank, '/reserveFunds', request);
    s.push(exact.status);
    const ref = exact.json?.['reserveFundsTxnRef'];
    // Released at once, as the harness does: the low-balance account must keep its balance for the next run.
    if (typeof ref === 'string') await post(bank, '/transactResult', transactRequest(request, ref, 2239));
    return `${over}, exact ${String(exact.json?.['responseCode'])}`;
  },
  'RF-2020': (bank, s) => code(bank, s, { authCode: '0000' }),
  'RF-2030': (bank, s) => code(bank, s, { sourceIdentifier: REFERENCE_UNMAPPED, authCode: undefined }),
  'RF-2040': (bank, s) => code(bank, s, { reserveAmount: MAX + 1 }),
  'RF-2050': (bank, s) => code(bank, s, { reserveAmount: MIN - 1 }),
  'RF-2070': (bank, s) => code(bank, s, { sourceIdentifier: REFERENCE_ACCOUNTS.blacklisted.sourceIdentifier, authCode: undefined }),
  'RF-2080': (bank, s) => code(bank, s, { sourceIdentifier: REFERENCE_ACCOUNTS.inactive.sourceIdentifier, authCode: undefined }),
  // Five is one more than repeating-references' cycle, so a repeat cannot hide.
  'RF-REF-UNIQUE': async (bank) => {
    const refs = await Promise.all(Array.from({ length: 5 }, async () => (await reserveOk(bank, { reserveAmount: MIN + 1 })).ref));
    return `${new Set(refs).size} distinct of ${refs.length}`;
  },
  'RF-DUPLICATE': async (bank) => {
    const request = reserveRequest({ reserveAmount: 700 });
    const before = fundedAvailable(bank);
    const answers = await Promise.all([1, 2, 3].map(() => post(bank, '/reserveFunds', request)));
    return `held ${before - fundedAvailable(bank)}, refs ${new Set(answers.map((a) => a.json?.['reserveFundsTxnRef'])).size}`;
  },
  'TR-ACK': async (bank) => {
    const debit = await reserveOk(bank, { reserveAmount: 900 });
    const release = await reserveOk(bank, { reserveAmount: 900 });
    const d = await post(bank, '/transactResult', transactRequest(debit.request, debit.ref, 0));
    const r = await post(bank, '/transactResult', transactRequest(release.request, release.ref, 2201));
    return `debit ${d.status}, release ${r.status}`;
  },
  'TR-404': async (bank) => {
    const answer = await post(bank, '/transactResult', transactRequest(reserveRequest(), 'unknown-ref', 0));
    return answer.contentType === null ? String(answer.status) : `${answer.status} ${answer.contentType}`;
  },
  'TR-RETRY': async (bank) => `debit retries ${await retryStatuses(bank, 0)}, release retries ${await retryStatuses(bank, 2201)}`,
  'SF-DEBIT-ONCE': async (bank) => {
    const sequential = await debits(bank, 1_100, async (body) => {
      for (let i = 0; i < 3; i++) await post(bank, '/transactResult', body);
    });
    const concurrent = await debits(bank, 1_100, (body) => Promise.all(Array.from({ length: 5 }, () => post(bank, '/transactResult', body))));
    // How many of 5 racing first deliveries win depends on scheduling; that more than one did does not.
    return `sequential ${sequential}×, concurrent ${concurrent > 1 ? 'more than once' : `${concurrent}×`}`;
  },
  // Every documented failure code and one undocumented: each must release.
  'SF-RELEASE': async (bank) => {
    const before = fundedAvailable(bank);
    for (const failure of [2201, 2210, 2213, 2214, 2225, 2226, 2239, 2242, 9001]) {
      const { request, ref } = await reserveOk(bank, { reserveAmount: 1_200 });
      await post(bank, '/transactResult', transactRequest(request, ref, failure));
    }
    return `moved ${before - fundedAvailable(bank)}`;
  },
  // Dispensed ten seconds after the reservation (the bank's clock moved by hand): acknowledged and debited.
  // The balance, not available funds: the earlier probes' holds may expire in those ten seconds too.
  'SF-LATE-OUTCOME': async (bank, _statuses, waits) => {
    const before = balance(bank, FUNDED.sourceIdentifier);
    const { request, ref } = await reserveOk(bank, { reserveAmount: 1_500 });
    waits.advance(10_000);
    const status = (await post(bank, '/transactResult', transactRequest(request, ref, 0))).status;
    return `${status}, debited ${before - balance(bank, FUNDED.sourceIdentifier)}`;
  },
  'SF-TIMEOUT-CANCEL': async (bank) => {
    const before = fundedAvailable(bank);
    const { request } = await reserveOk(bank, { reserveAmount: 1_300 });
    const status = (await post(bank, '/transactResult', transactRequest(request, '', 2239))).status;
    return `${status}, moved ${before - fundedAvailable(bank)}`;
  },
  // The harness's cleanup outcome; whether the reservation closed, not the funds, is what SF-CLEANUP reads.
  // The cleanup comes after the run, seconds after its reservation: the bank's clock moves as it would.
  'SF-CLEANUP': async (bank, _statuses, waits) => {
    const { request, ref } = await reserveOk(bank, { reserveAmount: 1_400 });
    waits.advance(10_000);
    const status = (await post(bank, '/transactResult', transactRequest(request, ref, 2226))).status;
    return `${status}, ${isHeld(bank, ref, request.raasTxnRef) ? 'still open' : 'closed'}`;
  },
  // The matrix bank is unsigned, so this probe gets a signed twin with the same faults.
  'SEC-SIGNATURE': (bank, _statuses, waits) =>
    withBank(
      bank.state().faults,
      async (signed) => {
        const before = fundedAvailable(signed);
        const wrong = await post(signed, '/reserveFunds', reserveRequest({ reserveAmount: 600 }), { signature: signRawBody(Buffer.from('{}'), PROBE_SECRET) });
        const missing = await post(signed, '/reserveFunds', reserveRequest({ reserveAmount: 600 }));
        const held = before - fundedAvailable(signed);
        // A real reservation, then a "dispensed" outcome without a Signature: only a correct one may finish it.
        const { request, ref } = await reserveOk(signed, { reserveAmount: 700 }, PROBE_SECRET);
        const unsigned = await post(signed, '/transactResult', transactRequest(request, ref, 0));
        const outcome = `unsigned outcome ${unsigned.status} ${isHeld(signed, ref, request.raasTxnRef) ? 'ignored' : 'applied'}`;
        return `wrong ${wrong.status}, missing ${missing.status}, held ${held}, ${outcome}`;
      },
      { secret: PROBE_SECRET, wait: waits.wait },
    ),
  'SEC-BAD-INPUT': async (bank) => {
    const bad = await post(bank, '/reserveFunds', '{"raasTxnRef":');
    const invalid = await post(bank, '/reserveFunds', { ...reserveRequest(), reserveAmount: 'lots' });
    // clientTxnRef is acted on (a reference the bank keeps): its absence must be refused.
    const partial: Partial<ReserveFundsRequest> = reserveRequest();
    delete partial.clientTxnRef;
    const missing = await post(bank, '/reserveFunds', partial);
    // The funded account has an auth code: a request without one is a wrong one.
    const noCode: Partial<ReserveFundsRequest> = reserveRequest();
    delete noCode.authCode;
    const noAuth = await post(bank, '/reserveFunds', noCode);
    const health = await get(bank, '/health');
    return `malformed ${bad.status}, mistyped ${invalid.status}, missing fields ${missing.status} ${String(missing.json?.['responseCode'])}, no auth code ${String(noAuth.json?.['responseCode'])}, health ${health.status}`;
  },
  // Informational fields only, odd and missing: a bank may ignore them, the strict one refuses them.
  'SEC-STRICT-INPUT': async (bank) => {
    const odd: Record<string, unknown> = { ...reserveRequest(), productType: 'abc', timestamp: 'yesterday' };
    delete odd['productId'];
    const answer = await post(bank, '/reserveFunds', odd);
    // Granted or not is what SEC-STRICT-INPUT judges; how a refusal travels (400, 500) is another check's business.
    return `odd informational fields ${answer.json?.['responseCode'] === '0000' ? 'granted' : 'refused'}`;
  },
};

/**
 * Every probe in turn against one fresh bank; RF-HTTP-200 is read from the statuses the code probes got,
 * the load checks from the bank's pacer. The probes send fewer than 50 reserveFunds, so errors-5xx's
 * first refusal (the 50th) never lands on another check's probe; and the bank's clock moves a second per
 * reading, so shed-load never finds it busy (its load is observed by observeLoad).
 */
export function observe(faults: readonly FaultName[]): Promise<Map<string, string>> {
  const waits = new WaitLog();
  let seconds = 0;
  const now = () => (seconds += 1) * 1_000;
  return withBank(
    faults,
    async (bank) => {
      const seen = new Map<string, string>();
      const statuses: number[] = [];
      for (const [id, probe] of Object.entries(PROBES)) seen.set(id, await probe(bank, statuses, waits));
      seen.set('RF-HTTP-200', [...new Set(statuses)].sort().join(','));
      for (const [id, value] of await observeLoad(faults)) seen.set(id, value);
      return seen;
    },
    { wait: waits.wait, clock: waits.clock, now },
  );
}
