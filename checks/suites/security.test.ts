// The security observers' judgement, driven by a small synchronous bank double (the real bank and real
// k6 are in test/e2e/security.test.ts). Each row is one way a bank can behave and what the checks must say.
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { BankClient, type HttpAnswer, type Transport } from '../client.ts';
import type { CheckId } from '../ids.ts';
import type { Observation, ScenarioEvent } from '../events.ts';
import { runSecurity } from './security.ts';
import { UNANSWERED_IN_A_ROW } from './bad-input.ts';
import { ReserveFundsRequestSchema, TransactResultRequestSchema } from '../protocol.ts';
import { validateReserveResponse } from '../reserve-response.ts';
import { buildPlan } from '../../scripts/config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../../scripts/config/schema.ts';
import { starterConfigText } from '../../scripts/config/starter.ts';
import { nodeHmac } from '../../scripts/util/digest.ts';

const SECRET = 'unit-secret';
const FUNDED = '27820000001';
const PROBE = '27820000005';

interface Behaviour {
  /** Accept transactResults whatever their Signature (apply them). */
  outcomesUnverified?: boolean;
  /** Answer 200 to a forged transactResult, and ignore it. */
  acknowledgeForged?: boolean;
  /** Read only what a bank acts on; informational fields may be anything. */
  lenient?: boolean;
  /** Refuse every reserveFunds with 2090. */
  refuseAll?: boolean;
  /** No answer at all after this many requests. */
  diesAfter?: number;
  probeBalance?: number;
  /** Never check the funded account's auth code. */
  ignorePin?: boolean;
}

/** A bank in a few dozen lines: limits 500..500000, a funded account with PIN 1234, a probe account. */
function bankDouble(b: Behaviour) {
  const available = new Map<string, number>([
    [FUNDED, 1e9],
    [PROBE, b.probeBalance ?? 200_000],
  ]);
  const holds = new Map<string, { source: string; amount: number; open: boolean }>();
  let requests = 0;
  const reply = (status: number, body: unknown = undefined): HttpAnswer => ({
    status,
    headers: {},
    body: body === undefined ? '' : JSON.stringify(body),
    durationMs: 1,
  });
  const signed = (body: string, headers: Record<string, string>) => headers['Signature'] === nodeHmac(SECRET, body);

  function reserve(body: string, headers: Record<string, string>): HttpAnswer {
    if (!signed(body, headers)) return reply(401, { responseCode: '2090' });
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return reply(400, { responseCode: '2090' });
    }
    const strict = ReserveFundsRequestSchema.safeParse(json);
    const r = b.lenient
      ? ReserveFundsRequestSchema.pick({ raasTxnRef: true, clientTxnRef: true, reserveAmount: true, sourceIdentifier: true }).safeParse(json)
      : strict;
    if (!r.success || typeof json !== 'object' || json === null) return reply(400, { responseCode: '2090' });
    if (b.refuseAll) return reply(200, { responseCode: '2090' });
    const { reserveAmount: amount, sourceIdentifier: source } = r.data;
    if (amount < 500) return reply(200, { responseCode: '2050' });
    if (amount > 500_000) return reply(200, { responseCode: '2040' });
    const funds = available.get(source);
    if (funds === undefined) return reply(200, { responseCode: '2030' });
    if (source === FUNDED && !b.ignorePin && json['authCode'] !== '1234') return reply(200, { responseCode: '2020' });
    if (funds < amount) return reply(200, { responseCode: '2010' });
    const ref = `ref-${requests}`;
    holds.set(ref, { source, amount, open: true });
    available.set(source, funds - amount);
    return reply(200, { responseCode: '0000', reserveFundsTxnRef: ref });
  }

  function outcome(body: string, headers: Record<string, string>): HttpAnswer {
    const genuine = signed(body, headers);
    if (!genuine && b.acknowledgeForged) return reply(200);
    if (!genuine && !b.outcomesUnverified) return reply(401);
    const t = TransactResultRequestSchema.parse(JSON.parse(body));
    const hold = holds.get(t.reserveFundsTxnRef);
    if (!hold) return reply(404);
    if (hold.open && t.responseCode !== 0) available.set(hold.source, (available.get(hold.source) ?? 0) + hold.amount);
    hold.open = false;
    return reply(200);
  }

  const transport: Transport = {
    post(_url, body, headers, endpoint) {
      requests += 1;
      if (b.diesAfter !== undefined && requests > b.diesAfter) return { status: 0, headers: {}, body: '', durationMs: 5000, error: 'connection refused' };
      return endpoint === 'reserveFunds' ? reserve(body, headers) : outcome(body, headers);
    },
    postBatch(items) {
      return items.map((i) => this.post(i.url, i.body, i.headers, i.endpoint));
    },
  };
  return { transport, requests: () => requests, held: () => [...holds.values()].filter((h) => h.open).length };
}

function run(b: Behaviour, edit: (config: ConfigInput) => void = () => {}) {
  const input = parse(starterConfigText()) as ConfigInput;
  (input as { signing: unknown }).signing = { enabled: true, secretEnv: 'S' };
  edit(input);
  const { plan, secrets } = buildPlan(ConfigSchema.parse(input), { suites: ['security'], runId: 'u1', env: { S: SECRET } });
  const bank = bankDouble(b);
  const events: ScenarioEvent[] = [];
  const emit = (e: ScenarioEvent) => events.push(e);
  let seq = 0;
  runSecurity({
    plan,
    secrets,
    client: new BankClient(plan, secrets, bank.transport, nodeHmac, emit, validateReserveResponse, () => '2026-11-29T10:00:00.000Z'),
    hmac: nodeHmac,
    emit,
    nextRefs: () => ((seq += 1), { clientTxnRef: `c-${seq}`, raasTxnRef: `r-${seq}` }),
    now: () => '2026-11-29T10:00:00.000Z',
    sleep: () => {},
  });
  const obs = new Map<CheckId, Observation>();
  for (const e of events) if (e.t === 'obs') obs.set(e.obs.id, e.obs);
  const status = (id: CheckId) => obs.get(id)?.status;
  return { obs, status, bank };
}

describe('security observers: what each behaviour of a bank gets', () => {
  it('a compliant bank passes all three, and no money stays held', () => {
    const r = run({});
    expect([r.status('SEC-SIGNATURE'), r.status('SEC-BAD-INPUT'), r.status('SEC-STRICT-INPUT')]).toEqual(['pass', 'pass', 'pass']);
    expect(r.bank.held()).toBe(0);
  });

  it('a bank that validates only what it acts on passes SEC-BAD-INPUT; SEC-STRICT-INPUT names what it granted', () => {
    const r = run({ lenient: true });
    expect(r.status('SEC-BAD-INPUT')).toBe('pass');
    expect(r.status('SEC-STRICT-INPUT')).toBe('fail'); // the verdict makes a SHOULD failure a warning
    expect(r.obs.get('SEC-STRICT-INPUT')?.reason).toMatch(/granted \(0000, released at once\): productId missing, .*authCode of the wrong type/);
    expect(r.bank.held()).toBe(0);
  });

  it('forged transactResults acknowledged but without effect: a warning', () => {
    const r = run({ acknowledgeForged: true });
    expect(r.status('SEC-SIGNATURE')).toBe('warn');
    expect(r.obs.get('SEC-SIGNATURE')?.reason).toMatch(/^should refuse a forged transactResult \(401\/403\): 8 were acknowledged/);
  });

  it('forged transactResults applied: a failure naming both the forged release and the forged debit', () => {
    const r = run({ outcomesUnverified: true });
    expect(r.status('SEC-SIGNATURE')).toBe('fail');
    expect(r.obs.get('SEC-SIGNATURE')?.reason).toMatch(
      /forged failure outcome released a reservation: available funds rose by 500.*forged dispensed outcome debited.*stayed 500 lower/,
    );
  });

  it('without a probe account: judged by the answers, said so; an acknowledged forgery cannot be judged (inconclusive)', () => {
    const noProbe = (c: ConfigInput) => delete (c.accounts as { probe?: unknown }).probe;
    const ok = run({}, noProbe);
    expect([ok.status('SEC-SIGNATURE'), ok.status('SEC-BAD-INPUT'), ok.status('SEC-STRICT-INPUT')]).toEqual(['pass', 'pass', 'pass']);
    expect(ok.obs.get('SEC-SIGNATURE')?.observed).toMatch(/judged by the answers only/);
    expect(ok.obs.get('SEC-BAD-INPUT')?.observed).toMatch(/judged by the answers only/);
    const acked = run({ acknowledgeForged: true }, noProbe);
    expect(acked.status('SEC-SIGNATURE')).toBe('inconclusive');
    expect(acked.obs.get('SEC-SIGNATURE')?.reason).toMatch(/whether they moved money could not be seen: there is no accounts.probe fixture/);
  });

  it('a probe account that cannot be measured: money checks inconclusive, never passed', () => {
    const r = run({ probeBalance: 10 ** 9 });
    expect([r.status('SEC-SIGNATURE'), r.status('SEC-BAD-INPUT'), r.status('SEC-STRICT-INPUT')]).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(r.obs.get('SEC-BAD-INPUT')?.reason).toMatch(/can hold limits.maximumAmount/);
  });

  it('a bank that refuses valid requests too: inconclusive (refusals prove nothing), and the hostile requests are not sent', () => {
    const r = run({ refuseAll: true });
    expect([r.status('SEC-SIGNATURE'), r.status('SEC-BAD-INPUT'), r.status('SEC-STRICT-INPUT')]).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(r.obs.get('SEC-BAD-INPUT')?.reason).toMatch(/valid request on funded before the hostile requests was not granted \(HTTP 200, 2090\)/);
    expect(r.bank.requests()).toBeLessThan(20);
  });

  it('a bank that stops answering during the hostile requests fails SEC-BAD-INPUT quickly, without sending the rest', () => {
    const r = run({ diesAfter: 80 });
    expect(r.status('SEC-BAD-INPUT')).toBe('fail');
    expect(r.obs.get('SEC-BAD-INPUT')?.reason).toMatch(/the bank stopped answering after/);
    expect(r.status('SEC-STRICT-INPUT')).toBe('inconclusive');
    expect(r.bank.requests()).toBeLessThanOrEqual(80 + UNANSWERED_IN_A_ROW + 1);
  });

  it('a bank knocked over by an informational-field request is not healthy: SEC-BAD-INPUT fails too', () => {
    const r = run({ diesAfter: 140 });
    expect(r.status('SEC-BAD-INPUT')).toBe('fail');
    expect(r.obs.get('SEC-BAD-INPUT')?.reason).toMatch(/^the bank stopped answering after the informational-field request "/);
    expect(r.status('SEC-STRICT-INPUT')).toBe('fail');
    expect(r.bank.requests()).toBeLessThanOrEqual(140 + UNANSWERED_IN_A_ROW + 1);
  });

  it('auth-code cases go to the account with an auth code, and are a must there', () => {
    const r = run({ ignorePin: true });
    expect(r.status('SEC-BAD-INPUT')).toBe('fail');
    expect(r.obs.get('SEC-BAD-INPUT')?.reason).toMatch(
      /granted \(0000\): authCode missing \(on funded, which has an auth code\), authCode empty \(on funded, which has an auth code\)$/,
    );
    // The same codes sent to the probe, which has none, are informational: the lenient bank ignores them there.
    const lenient = run({ lenient: true });
    expect(lenient.obs.get('SEC-STRICT-INPUT')?.reason).toMatch(/authCode of the wrong type, authCode null, authCode over 64 characters/);
    expect(lenient.status('SEC-BAD-INPUT')).toBe('pass');
  });

  it('no funded or probe fixture: nothing sent, nothing observed (the verdict skips them from their needs)', () => {
    const r = run({}, (c) => {
      const accounts = c.accounts as Record<string, unknown>;
      delete accounts['funded'];
      delete accounts['probe'];
    });
    expect([r.status('SEC-SIGNATURE'), r.status('SEC-BAD-INPUT'), r.status('SEC-STRICT-INPUT')]).toEqual([undefined, undefined, undefined]);
    expect(r.bank.requests()).toBe(0);
  });
});
