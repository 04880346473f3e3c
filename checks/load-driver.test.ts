import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../scripts/config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../scripts/config/schema.ts';
import { starterConfigText } from '../scripts/config/starter.ts';
import type { LedgerRow } from './ledger.ts';
import { EventLedger } from '../scripts/run/event-ledger.ts';
import { nodeHmac } from '../scripts/util/digest.ts';
import { batchedUntil, EVERY_ITERATION, loadDriver, type FlushPolicy, type LoadIo } from './load-driver.ts';
import { decodeRecords, loadAccountRoles, type LoadRecordsEvent } from './load-records.ts';
import type { ScenarioEvent } from './events.ts';
import type { BankcertSecrets, Plan } from './plan.ts';
import { reserveRequest, transactResultRequest } from './requests.ts';

function basePlan(): Plan {
  const input = parse(starterConfigText()) as ConfigInput;
  return buildPlan(ConfigSchema.parse(input), { suites: ['load'], runId: 'r1', env: {} }).plan;
}

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const TIME = new Date(T0).toISOString();

interface Sent {
  url: string;
  body: string;
  headers: Record<string, string>;
  endpoint: string;
}

/**
 * A fake k6: records what is sent and written, answers reserveFunds with `answer`. Its clock stands still
 * unless `tick` moves it (each post takes `tick` ms), and each request "takes" `duration` ms.
 */
function fakeIo(
  answer: (body: string) => { status: number; body: string } = () => ({ status: 200, body: '{"responseCode":"0000","reserveFundsTxnRef":"bank-ref-1"}' }),
  tick = 0,
) {
  const sent: Sent[] = [];
  const log: string[] = [];
  let started = 0;
  let now = T0;
  const io: LoadIo = {
    post(url, body, headers, endpoint) {
      // A copy: the driver reuses its headers object for the next request.
      sent.push({ url, body, headers: { ...headers }, endpoint });
      log.push(`post ${endpoint}`);
      now += tick;
      const a = endpoint === 'reserveFunds' ? answer(body) : { status: 200, body: '' };
      return { ...a, durationMs: endpoint === 'reserveFunds' ? 12.345678 : 0.987654 };
    },
    hmac: nodeHmac,
    line: (json) => log.push(json),
    started: () => {
      started += 1;
    },
    nowMs: () => now,
  };
  return { io, sent, log, started: () => started, advance: (ms: number) => (now += ms) };
}

const lines = (log: readonly string[]) => log.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ScenarioEvent);
const batches = (log: readonly string[]) => lines(log).filter((e): e is LoadRecordsEvent => e.t === 'recs');

describe('loadDriver', () => {
  const secrets: BankcertSecrets = { signingSecret: 'sekret-Zoë', authCodes: { 'load:0': '1234', 'load:1': '5678' } };

  it('sends exactly the bodies JSON.stringify of the protocol builders gives, signed, in order', () => {
    const plan = basePlan();
    plan.signing = { ...plan.signing, enabled: true };
    const fake = fakeIo();
    const driver = loadDriver(plan, secrets, 'bc-r1-load-7-', fake.io);
    driver.iterate(0, 3.25);
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
    // The prefix is on record before the first request; the iteration's record comes after its requests.
    expect(fake.log.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { t: string }).t : l))).toEqual([
      'refs',
      'post reserveFunds',
      'post transactResult',
      'recs',
    ]);
    expect(JSON.parse(fake.log[0]!)).toEqual({ t: 'refs', prefix: 'bc-r1-load-7-', upto: 1 });
    const batch = JSON.parse(fake.log[3]!) as LoadRecordsEvent;
    expect(batch).toEqual({
      t: 'recs',
      prefix: 'bc-r1-load-7-',
      from: 1,
      upto: 2,
      base: T0,
      r: [[0, 0, 3.25, 200, '0000', 'bank-ref-1', 12.345678, 0, String(plan.cancel.responseCode), 200, 0.987654, 0]],
    });
    expect(decodeRecords(batch, loadAccountRoles(plan))).toEqual([
      {
        seq: 1,
        account: 'load:0',
        startMs: T0,
        lagMs: 3.25,
        status: 200,
        code: '0000',
        ref: 'bank-ref-1',
        durationMs: 12.345678,
        endMs: T0,
        outcome: String(plan.cancel.responseCode),
        outcomeStatus: 200,
        outcomeDurationMs: 0.987654,
        outcomeEndMs: T0,
      },
    ]);
    expect(fake.started()).toBe(1);
  });

  it('stays byte-exact with values that need escaping, without productType and without signing', () => {
    const plan = basePlan();
    plan.product = { ...plan.product, channelName: 'Zoë "USSD"\n\u2028', productType: undefined };
    plan.accounts.load = [{ ...plan.accounts.load[0]!, sourceIdentifier: 'a"b\\c' }];
    plan.signing = { ...plan.signing, enabled: false };
    const fake = fakeIo(() => ({ status: 200, body: '{"responseCode":"0000","reserveFundsTxnRef":"q\\"uote"}' }));
    loadDriver(plan, { authCodes: {} }, 'p"x-', fake.io).iterate(5, null);
    const request = reserveRequest(plan, {
      refs: { clientTxnRef: 'p"x-1-c', raasTxnRef: 'p"x-1-r' },
      sourceIdentifier: 'a"b\\c',
      reserveAmount: plan.product.typicalAmount,
      timestamp: TIME,
    });
    expect(fake.sent[0]?.body).toBe(JSON.stringify(request));
    expect(fake.sent[0]?.headers.Signature).toBeUndefined();
    expect(fake.sent[1]?.body).toBe(
      JSON.stringify(
        transactResultRequest({ refs: request, reserveFundsTxnRef: 'q"uote', responseCode: plan.cancel.responseCode, amounts: request, timestamp: TIME }),
      ),
    );
    expect(batches(fake.log)[0]?.r[0]?.[5]).toBe('q"uote');
  });

  it('rotates accounts by iteration, numbers references per VU, and dispenses the configured share', () => {
    const plan = basePlan();
    plan.load = { ...plan.load, dispensedShare: 0.5 };
    const fake = fakeIo();
    const driver = loadDriver(plan, secrets, 'v-', fake.io);
    for (let n = 0; n < 4; n += 1) driver.iterate(n, 0);
    const records = batches(fake.log).flatMap((b) => decodeRecords(b, loadAccountRoles(plan)));
    expect(records.map((r) => [r.seq, r.account])).toEqual([
      [1, 'load:0'],
      [2, 'load:1'],
      [3, 'load:2'],
      [4, 'load:3'],
    ]);
    expect(records.map((r) => r.outcome)).toEqual(['2239', '0', '2239', '0'].map((c) => (c === '2239' ? String(plan.cancel.responseCode) : c)));
    expect(fake.log.filter((l) => l.startsWith('{"t":"refs"'))).toHaveLength(1);
  });

  it('sends no outcome for a refusal, a lost answer or a body that is not JSON, and still writes the record', () => {
    for (const [answer, code] of [
      [{ status: 200, body: '{"responseCode":2010}' }, '2010'],
      [{ status: 0, body: '' }, ''],
      [{ status: 502, body: '<html>' }, ''],
    ] as const) {
      const fake = fakeIo(() => answer);
      loadDriver(basePlan(), secrets, 'v-', fake.io).iterate(0, 0);
      expect(fake.sent.map((s) => s.endpoint)).toEqual(['reserveFunds']);
      const [record] = decodeRecords(batches(fake.log)[0]!, []);
      expect(record).toMatchObject({ status: answer.status, code, outcome: '', outcomeStatus: 0, durationMs: 12.345678 });
      expect(batches(fake.log)[0]?.r[0]).toHaveLength(8);
    }
  });

  it('writes the record even when sending throws, so the reference is accounted for', () => {
    const fake = fakeIo(() => {
      throw new Error('boom');
    });
    expect(() => loadDriver(basePlan(), secrets, 'v-', fake.io).iterate(0, 0)).toThrow('boom');
    expect(decodeRecords(batches(fake.log)[0]!, [])).toMatchObject([{ seq: 1, status: 0, code: '', durationMs: 0 }]);
  });

  it('a request k6 cut off (the run being stopped) is no answer: no record for it, the held records go out, its reference stays unreported', () => {
    let n = 0;
    const fake = fakeIo();
    const io: LoadIo = {
      ...fake.io,
      post(url, body, headers, endpoint) {
        const answer = fake.io.post(url, body, headers, endpoint);
        n += 1;
        // The 5th request (the 3rd iteration's reserveFunds) is cut.
        return n === 5 ? { ...answer, status: 0, body: '', cut: true } : answer;
      },
    };
    const driver = loadDriver(basePlan(), secrets, 'v-', io, batchedUntil(T0 + 60_000, 10));
    for (let i = 0; i < 4; i += 1) driver.iterate(i, null);
    expect(batches(fake.log).map((b) => [b.from, b.r.length, b.upto])).toEqual([[1, 2, 13]]);
    // Had the VU gone on, its next record would come after the gap (the CLI keeps reference 3 'sent').
    driver.iterate(4, null);
    expect(batches(fake.log).length).toBe(1);
    const later = loadDriver(basePlan(), secrets, 'w-', io, EVERY_ITERATION);
    later.iterate(0, 0);
    expect(batches(fake.log).at(-1)).toMatchObject({ prefix: 'w-', from: 1 });
  });

  it('an outcome k6 cut off leaves the record without an outcome, so the reservation stays open for cleanup', () => {
    const fake = fakeIo();
    const io: LoadIo = {
      ...fake.io,
      post: (url, body, headers, endpoint) => ({
        ...fake.io.post(url, body, headers, endpoint),
        ...(endpoint === 'transactResult' ? { status: 0, cut: true } : {}),
      }),
    };
    loadDriver(basePlan(), secrets, 'v-', io, batchedUntil(T0 + 60_000, 10)).iterate(0, null);
    const [batch] = batches(fake.log);
    expect(batch?.r).toHaveLength(1);
    expect(decodeRecords(batch!, [])[0]).toMatchObject({ status: 200, code: '0000', outcome: '', outcomeStatus: 0 });
  });

  it('keeps times as milliseconds after the batch base: start, answer, outcome acknowledged', () => {
    const fake = fakeIo(undefined, 7);
    const driver = loadDriver(basePlan(), secrets, 'v-', fake.io, batchedUntil(T0 + 60_000, 3));
    for (let n = 0; n < 3; n += 1) driver.iterate(n, null);
    const [batch] = batches(fake.log);
    expect(batch?.base).toBe(T0);
    expect(batch?.r.map((r) => [r[1], r[7], r[11]])).toEqual([
      [0, 7, 14],
      [14, 21, 28],
      [28, 35, 42],
    ]);
  });
});

describe('batches', () => {
  const plan = basePlan();

  it('the open model writes every record at once and announces one reference ahead', () => {
    const fake = fakeIo();
    const driver = loadDriver(plan, { authCodes: {} }, 'v-', fake.io, EVERY_ITERATION);
    for (let n = 0; n < 3; n += 1) driver.iterate(n, 0);
    expect(batches(fake.log).map((b) => [b.from, b.r.length, b.upto])).toEqual([
      [1, 1, 2],
      [2, 1, 3],
      [3, 1, 4],
    ]);
  });

  it('a closed-model VU writes a line per maxRecords, announcing maxRecords references past it', () => {
    const fake = fakeIo();
    const driver = loadDriver(plan, { authCodes: {} }, 'v-', fake.io, batchedUntil(T0 + 60_000, 4));
    for (let n = 0; n < 10; n += 1) driver.iterate(n, null);
    expect(JSON.parse(fake.log[0]!)).toEqual({ t: 'refs', prefix: 'v-', upto: 4 });
    expect(batches(fake.log).map((b) => [b.from, b.r.length, b.upto])).toEqual([
      [1, 4, 8],
      [5, 4, 12],
    ]);
  });

  it('a batch is written once a second has passed since the last line, and every record in the last second', () => {
    const fake = fakeIo();
    const end = T0 + 5_000;
    const driver = loadDriver(plan, { authCodes: {} }, 'v-', fake.io, batchedUntil(end, 100));
    // An iteration every 400 ms, the last at 4,400 ms.
    for (let n = 0; n < 12; n += 1) {
      driver.iterate(n, null);
      fake.advance(400);
    }
    // Lines after the iterations at 1,200 ms (≥ 1 s since the announcement at 0), 2,400 and 3,600 ms,
    // then from 4,000 ms (one second before the end) after every iteration.
    expect(batches(fake.log).map((b) => [b.from, b.r.length])).toEqual([
      [1, 4],
      [5, 3],
      [8, 3],
      [11, 1],
      [12, 1],
    ]);
  });

  it('the line is JSON.stringify of the event, byte for byte, whatever the bank and the prefix hold', () => {
    const awkward = ['', 'plain', 'q"uote', 'back\\slash', 'new\nline', '\u0000', '\ud800', '😀', 'Zoë', '\u2028', '0000'];
    for (const [k, value] of awkward.entries()) {
      const code = awkward[(k + 3) % awkward.length] as string;
      const fake = fakeIo(() => ({ status: 200, body: JSON.stringify({ responseCode: k % 2 === 0 ? code : 2010, reserveFundsTxnRef: value }) }));
      const driver = loadDriver(plan, { authCodes: {} }, `${value}-`, fake.io, batchedUntil(T0 + 60_000, 2));
      driver.iterate(k, k % 3 === 0 ? null : k / 7);
      driver.iterate(k + 1, 1.5);
      const written = fake.log.filter((l) => l.startsWith('{'));
      for (const line of written) expect(JSON.stringify(JSON.parse(line))).toBe(line);
      const [first] = decodeRecords(batches(fake.log)[0]!, []);
      expect(first).toMatchObject({ ref: value, code: k % 2 === 0 ? code : '2010' });
      expect(batches(fake.log)[0]?.prefix).toBe(`${value}-`);
    }
  });
});

/**
 * The money-safety rule, for any batch size and any moment k6 could die: when a reserveFunds leaves,
 * the lines written before it already give the CLI a 'sent' row for its raasTxnRef.
 */
describe('a reserveFunds is on record before it leaves', () => {
  const plan = basePlan();

  it.each([
    ['the open model', EVERY_ITERATION],
    ['batches of 5', batchedUntil(T0 + 10_000, 5)],
    ['batches of 100 (the bench)', batchedUntil(T0 + 60_000)],
    ['batches cut by time', batchedUntil(T0 + 3_000, 50, 300)],
  ] as [string, FlushPolicy][])('%s', (_name, policy) => {
    const log: string[] = [];
    let now = T0;
    const violations: string[] = [];
    let sends = 0;
    const io: LoadIo = {
      post(_url, body, _headers, endpoint) {
        now += 37;
        if (endpoint === 'reserveFunds') {
          sends += 1;
          // What the CLI would hold if k6 died now: the ledger of every line written so far.
          const rows: LedgerRow[] = [];
          const ledger = new EventLedger(
            plan,
            (...r) => rows.push(...r),
            () => TIME,
          );
          for (const line of log) ledger.take(JSON.parse(line) as ScenarioEvent);
          const raas = (JSON.parse(body) as { raasTxnRef: string }).raasTxnRef;
          if (!rows.some((r) => r.kind === 'sent' && r.raasTxnRef === raas)) violations.push(raas);
        }
        // Every third answer is a refusal, every fifth lost, every seventh request cut off by k6: the rule
        // does not depend on the answer.
        const status = sends % 5 === 0 ? 0 : 200;
        const answer = sends % 3 === 0 ? '{"responseCode":"2010"}' : `{"responseCode":"0000","reserveFundsTxnRef":"b${sends}"}`;
        return { status, body: endpoint === 'reserveFunds' ? answer : '', durationMs: 1, cut: sends % 7 === 0 && endpoint === 'reserveFunds' };
      },
      hmac: nodeHmac,
      line: (json) => log.push(json),
      started: () => undefined,
      nowMs: () => now,
    };
    const vus = ['a-', 'b-'].map((prefix) => loadDriver(plan, { authCodes: {} }, prefix, io, policy));
    for (let n = 0; n < 450; n += 1) vus[n % 2]?.iterate(n, null);
    expect(sends).toBe(450);
    expect(violations).toEqual([]);
    // And at the end, every reference without a record is still on record as 'sent'.
    const rows: LedgerRow[] = [];
    const ledger = new EventLedger(
      plan,
      (...r) => rows.push(...r),
      () => TIME,
    );
    for (const line of log) ledger.take(JSON.parse(line) as ScenarioEvent);
    const reported = new Set(rows.filter((r) => r.kind === 'reserve').map((r) => r.raasTxnRef));
    const sent = new Set(rows.filter((r) => r.kind === 'sent').map((r) => r.raasTxnRef));
    expect(reported.size).toBeLessThan(450);
    for (let k = 1; k <= 225; k += 1) for (const p of ['a-', 'b-']) expect(sent.has(`${p}${k}-r`) || reported.has(`${p}${k}-r`), `${p}${k}`).toBe(true);
  });
});
