import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../scripts/config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../scripts/config/schema.ts';
import { starterConfigText } from '../scripts/config/starter.ts';
import { nodeHmac } from '../scripts/util/digest.ts';
import { loadDriver, type LoadIo } from './load-driver.ts';
import type { LoadIterationEvent } from './events.ts';
import type { BankcertSecrets, Plan } from './plan.ts';
import { reserveRequest, transactResultRequest } from './requests.ts';

function basePlan(): Plan {
  const input = parse(starterConfigText()) as ConfigInput;
  return buildPlan(ConfigSchema.parse(input), { suites: ['load'], runId: 'r1', env: {} }).plan;
}

const TIME = '2026-11-25T10:00:00.000Z';

interface Sent {
  url: string;
  body: string;
  headers: Record<string, string>;
  endpoint: string;
}

/** A fake k6: records what is sent and written, answers reserveFunds with `answer`. */
function fakeIo(answer: (body: string) => { status: number; body: string } = () => ({ status: 200, body: '{"responseCode":"0000","reserveFundsTxnRef":"bank-ref-1"}' })) {
  const sent: Sent[] = [];
  const log: string[] = [];
  let started = 0;
  const io: LoadIo = {
    post(url, body, headers, endpoint) {
      sent.push({ url, body, headers, endpoint });
      log.push(`post ${endpoint}`);
      return endpoint === 'reserveFunds' ? answer(body) : { status: 200, body: '' };
    },
    hmac: nodeHmac,
    line: (json) => log.push(json),
    started: () => {
      started += 1;
    },
    now: () => TIME,
  };
  return { io, sent, log, started: () => started };
}

describe('loadDriver', () => {
  const secrets: BankcertSecrets = { signingSecret: 'sekret-Zoë', authCodes: { 'load:0': '1234', 'load:1': '5678' } };

  it('sends exactly the bodies JSON.stringify of the protocol builders gives, signed, in order', () => {
    const plan = basePlan();
    plan.signing = { ...plan.signing, enabled: true };
    const fake = fakeIo();
    const driver = loadDriver(plan, secrets, 'bc-r1-load-7-', fake.io);
    driver.iterate(0);
    const [reserve, outcome] = fake.sent;
    const account = plan.accounts.load[0]!;
    const expectedReserve = reserveRequest(plan, {
      refs: { clientTxnRef: 'bc-r1-load-7-1-c', raasTxnRef: 'bc-r1-load-7-1-r' },
      sourceIdentifier: account.sourceIdentifier,
      reserveAmount: plan.product.typicalAmount,
      authCode: '1234',
      timestamp: TIME,
    });
    expect(reserve?.body).toBe(JSON.stringify(expectedReserve));
    expect(reserve?.headers.Signature).toBe(nodeHmac('sekret-Zoë', reserve?.body ?? ''));
    expect(reserve?.url).toBe(plan.target.reserveFundsUrl);
    const expectedOutcome = transactResultRequest({
      refs: expectedReserve,
      reserveFundsTxnRef: 'bank-ref-1',
      responseCode: plan.cancel.responseCode,
      amounts: expectedReserve,
      timestamp: TIME,
    });
    expect(outcome?.body).toBe(JSON.stringify(expectedOutcome));
    expect(outcome?.headers.Signature).toBe(nodeHmac('sekret-Zoë', outcome?.body ?? ''));
    // The prefix is on record before the first request; the iteration's line comes after its requests.
    expect(fake.log.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { t: string }).t : l))).toEqual(['refs', 'post reserveFunds', 'post transactResult', 'it']);
    expect(JSON.parse(fake.log[0]!)).toEqual({ t: 'refs', prefix: 'bc-r1-load-7-' });
    expect(JSON.parse(fake.log[3]!)).toEqual({
      t: 'it', prefix: 'bc-r1-load-7-', seq: 1, account: 'load:0', sentAt: TIME, status: 200, code: '0000', ref: 'bank-ref-1',
      answeredAt: TIME, outcome: String(plan.cancel.responseCode), outcomeStatus: 200, outcomeAt: TIME,
    });
    expect(fake.started()).toBe(1);
  });

  it('stays byte-exact with values that need escaping, without productType and without signing', () => {
    const plan = basePlan();
    plan.product = { ...plan.product, channelName: 'Zoë "USSD"\n\u2028', productType: undefined };
    plan.accounts.load = [{ ...plan.accounts.load[0]!, sourceIdentifier: 'a"b\\c' }];
    plan.signing = { ...plan.signing, enabled: false };
    const fake = fakeIo(() => ({ status: 200, body: '{"responseCode":"0000","reserveFundsTxnRef":"q\\"uote"}' }));
    loadDriver(plan, { authCodes: {} }, 'p"x-', fake.io).iterate(5);
    const request = reserveRequest(plan, { refs: { clientTxnRef: 'p"x-1-c', raasTxnRef: 'p"x-1-r' }, sourceIdentifier: 'a"b\\c', reserveAmount: plan.product.typicalAmount, timestamp: TIME });
    expect(fake.sent[0]?.body).toBe(JSON.stringify(request));
    expect(fake.sent[0]?.headers.Signature).toBeUndefined();
    expect(fake.sent[1]?.body).toBe(JSON.stringify(transactResultRequest({ refs: request, reserveFundsTxnRef: 'q"uote', responseCode: plan.cancel.responseCode, amounts: request, timestamp: TIME })));
    expect((JSON.parse(fake.log.at(-1)!) as LoadIterationEvent).ref).toBe('q"uote');
  });

  it('rotates accounts by iteration, numbers references per VU, and dispenses the configured share', () => {
    const plan = basePlan();
    plan.load = { ...plan.load, dispensedShare: 0.5 };
    const fake = fakeIo();
    const driver = loadDriver(plan, secrets, 'v-', fake.io);
    for (let n = 0; n < 4; n += 1) driver.iterate(n);
    const events = fake.log.filter((l) => l.startsWith('{"t":"it"')).map((l) => JSON.parse(l) as LoadIterationEvent);
    expect(events.map((e) => [e.seq, e.account])).toEqual([[1, 'load:0'], [2, 'load:1'], [3, 'load:2'], [4, 'load:3']]);
    expect(events.map((e) => e.outcome)).toEqual(['2239', '0', '2239', '0'].map((c) => (c === '2239' ? String(plan.cancel.responseCode) : c)));
    expect(fake.log.filter((l) => l.startsWith('{"t":"refs"'))).toHaveLength(1);
  });

  it('sends no outcome for a refusal, a lost answer or a body that is not JSON, and still writes the line', () => {
    for (const [answer, code] of [
      [{ status: 200, body: '{"responseCode":2010}' }, '2010'],
      [{ status: 0, body: '' }, ''],
      [{ status: 502, body: '<html>' }, ''],
    ] as const) {
      const fake = fakeIo(() => answer);
      loadDriver(basePlan(), secrets, 'v-', fake.io).iterate(0);
      expect(fake.sent.map((s) => s.endpoint)).toEqual(['reserveFunds']);
      expect(JSON.parse(fake.log.at(-1)!)).toMatchObject({ t: 'it', status: answer.status, code, outcome: '', outcomeStatus: 0 });
    }
  });

  it('writes the line even when sending throws, so the reference is accounted for', () => {
    const fake = fakeIo(() => {
      throw new Error('boom');
    });
    expect(() => loadDriver(basePlan(), secrets, 'v-', fake.io).iterate(0)).toThrow('boom');
    expect(JSON.parse(fake.log.at(-1)!)).toMatchObject({ t: 'it', seq: 1, status: 0, code: '' });
  });
});

describe('the iteration line', () => {
  it('is JSON.stringify of the event, byte for byte, whatever the bank and the prefix hold', () => {
    const awkward = ['', 'plain', 'q"uote', 'back\\slash', 'new\nline', '\u0000', '\ud800', '😀', 'Zoë', '\u2028', '0000'];
    for (const [k, value] of awkward.entries()) {
      const code = awkward[(k + 3) % awkward.length] as string;
      const fake = fakeIo(() => ({ status: 200, body: JSON.stringify({ responseCode: k % 2 === 0 ? code : 2010, reserveFundsTxnRef: value }) }));
      const plan = basePlan();
      loadDriver(plan, { authCodes: {} }, `${value}-`, fake.io).iterate(k);
      const lines = fake.log.filter((l) => l.startsWith('{'));
      for (const line of lines) expect(JSON.stringify(JSON.parse(line))).toBe(line);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ t: 'it', prefix: `${value}-`, ref: value, code: k % 2 === 0 ? code : '2010' });
    }
  });
});
