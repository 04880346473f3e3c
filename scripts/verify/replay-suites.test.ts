// verify's replay: a suite run against a small bank, recorded as k6 records it, then replayed from the
// records alone must observe exactly what the run observed; an edited record must change what it observes
// or be named as where the code and the records part ways. (The real k6 path: test/e2e/verify.test.ts.)
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { HttpAnswer, Transport } from '../../checks/client.ts';
import type { ExchangeRecord, LedgerEntry, Observation, ScenarioEvent } from '../../checks/events.ts';
import type { Plan } from '../../checks/plan.ts';
import { validateReserveResponse } from '../../checks/reserve-response.ts';
import { createObserveContext, referencePrefixOf } from '../../checks/suites/context.ts';
import { buildPlan } from '../config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { nodeHmac, sha256Hex } from '../util/digest.ts';
import type { RecordLine } from '../run/exchange-log.ts';
import { FUNCTIONAL_SUITES, replaySuite, type FunctionalSuite } from './replay-suites.ts';

const SECRET = 'unit-secret';

/** Limits 500..500000, the starter config's accounts; 0000 otherwise. Outcomes: 200 for a reference it gave, else 404. */
function smallBank(plan: Plan, fault?: 'no-maximum'): Transport {
  const refs = new Set<string>();
  let n = 0;
  const reply = (status: number, body?: unknown): HttpAnswer => ({
    status,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
    durationMs: 2,
  });
  const acct = plan.accounts;
  const post = (_url: string, body: string, _headers: Record<string, string>, endpoint: string): HttpAnswer => {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return reply(400, { responseCode: '2090' });
    }
    if (endpoint === 'transactResult') return reply(refs.has(String(r.reserveFundsTxnRef)) ? 200 : 404);
    const amount = Number(r.reserveAmount);
    const source = r.sourceIdentifier;
    if (amount > plan.limits.maximumAmount && fault !== 'no-maximum') return reply(200, { responseCode: '2040' });
    if (amount < plan.limits.minimumAmount) return reply(200, { responseCode: '2050' });
    if (source === acct.unmapped?.sourceIdentifier) return reply(200, { responseCode: '2030' });
    if (source === acct.inactive?.sourceIdentifier) return reply(200, { responseCode: '2080' });
    if (source === acct.blacklisted?.sourceIdentifier) return reply(200, { responseCode: '2070' });
    if (source === acct.lowBalance?.sourceIdentifier && amount > (acct.lowBalance?.balance ?? 0)) return reply(200, { responseCode: '2010' });
    if (source === acct.funded?.sourceIdentifier && r.authCode !== '1234') return reply(200, { responseCode: '2020' });
    n += 1;
    refs.add(`ref-${n}`);
    return reply(200, { responseCode: '0000', reserveFundsTxnRef: `ref-${n}` });
  };
  return { post, postBatch: (items) => items.map((i) => post(i.url, i.body, i.headers, i.endpoint)) };
}

function plan(): { plan: Plan; secrets: ReturnType<typeof buildPlan>['secrets'] } {
  const input = parse(starterConfigText()) as ConfigInput;
  (input as { signing: unknown }).signing = { enabled: true, secretEnv: 'S' };
  (input.accounts as { funded: { authCode: string } }).funded.authCode = '1234';
  return buildPlan(ConfigSchema.parse(input), { suites: ['conformance'], runId: 'u1', env: { S: SECRET } });
}

/** A suite run as k6 runs it (the same context factory), its records kept as the CLI keeps them. */
function recordRun(suite: FunctionalSuite, fault?: 'no-maximum') {
  const { plan: p, secrets } = plan();
  const lines: RecordLine[] = [];
  const observations: Observation[] = [];
  const ledger: LedgerEntry[] = [];
  let t = Date.parse('2026-11-29T10:00:00.000Z');
  const emit = (e: ScenarioEvent) => {
    if (e.t === 'x' || e.t === 'now') lines.push(JSON.parse(JSON.stringify(e)) as RecordLine);
    else if (e.t === 'obs') observations.push(e.obs);
    else if (e.t === 'ledger') ledger.push(e.entry);
  };
  const ctx = createObserveContext({
    plan: p,
    secrets,
    suite,
    transport: smallBank(p, fault),
    hmac: nodeHmac,
    sha256Hex,
    validate: validateReserveResponse,
    emit,
    now() {
      t += 7;
      const v = new Date(t).toISOString();
      emit({ t: 'now', suite, v });
      return v;
    },
    sleep: () => {},
    prefix: () => referencePrefixOf(p.runId, suite, '', 1),
  });
  FUNCTIONAL_SUITES[suite](ctx);
  return { plan: p, lines, observations, ledger };
}

const exchanges = (lines: RecordLine[]) => lines.filter((l): l is ExchangeRecord => l.t === 'x');

describe('replaying a functional suite from its records', () => {
  it('observes exactly what the run observed, and writes the same ledger rows', () => {
    const run = recordRun('conformance');
    const replay = replaySuite(run.plan, 'conformance', run.lines);
    expect(replay.divergence).toBeUndefined();
    expect(replay.endedEarly).toBeUndefined();
    expect(replay.exchanges).toBe(exchanges(run.lines).length);
    expect(replay.observations).toEqual(run.observations);
    expect(replay.ledger).toEqual(run.ledger);
  });

  it('records redact the Signature and the authCode, and replay does without them', () => {
    const run = recordRun('conformance');
    const text = JSON.stringify(run.lines);
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/"authCode\\":\\"1234/);
    expect(exchanges(run.lines).every((x) => x.request.headers.Signature === '[redacted]')).toBe(true);
  });

  it("an edited answer changes what the suite's code observes, or what it sends next", () => {
    const run = recordRun('conformance');
    const over = exchanges(run.lines).find((x) => x.step.includes('maximumAmount + 1')) as ExchangeRecord;
    const answer = over.response as { body: string };
    answer.body = '{"responseCode":"2050"}';
    const replay = replaySuite(run.plan, 'conformance', run.lines);
    expect(run.observations.find((o) => o.id === 'RF-2040')?.status).toBe('pass');
    expect(replay.observations.find((o) => o.id === 'RF-2040')).toMatchObject({ status: 'fail', observed: 'responseCode 2050 (HTTP 200)' });
    // Granted instead: the suite's code releases it at once, a request the records do not have.
    answer.body = '{"responseCode":"0000","reserveFundsTxnRef":"ref-999"}';
    expect(replaySuite(run.plan, 'conformance', run.lines).divergence).toMatch(
      /^exchange \d+: the records have reserveFunds .*, the run's code sends transactResult "release after reserveFunds on funded for maximumAmount \+ 1/,
    );
  });

  it('a request the code would not make is named where the records part ways', () => {
    const run = recordRun('conformance');
    const x = exchanges(run.lines)[3] as ExchangeRecord;
    x.refs = [x.refs[0] ?? '', 'bc-u1-conformance-1-99-r'];
    expect(replaySuite(run.plan, 'conformance', run.lines).divergence).toMatch(/^exchange 4 .*references: the records have/);
  });

  it('records of other code (an exchange more, or one missing) are a divergence; records that stop early are a run cut short', () => {
    const run = recordRun('conformance');
    const all = exchanges(run.lines);
    const extra = [...run.lines, { ...(all.at(-1) as ExchangeRecord), n: all.length + 1 }];
    expect(replaySuite(run.plan, 'conformance', extra).divergence).toMatch(/more exchange/);
    const cut = run.lines.slice(0, run.lines.indexOf(all[5] as ExchangeRecord));
    const replay = replaySuite(run.plan, 'conformance', cut);
    expect(replay.endedEarly).toBe(true);
    expect(replay.divergence).toBeUndefined();
  });

  it('the safety suite replays its clock: the late outcome waits and reports elapsed time as in the run', () => {
    const run = recordRun('safety');
    const replay = replaySuite(run.plan, 'safety', run.lines);
    expect(replay.divergence).toBeUndefined();
    expect(replay.observations).toEqual(run.observations);
    expect(run.observations.find((o) => o.id === 'SF-LATE-OUTCOME')?.observed).toMatch(/s after the reservation/);
  });
});
