import type { HttpAnswer, PostItem, Transport } from '../../checks/client.ts';
import type { ExchangeRecord, LedgerEntry, Observation, RecordedBody, ScenarioEvent } from '../../checks/events.ts';
import type { Suite } from '../../checks/ids.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { validateReserveResponse } from '../../checks/reserve-response.ts';
import { runConformance } from '../../checks/suites/conformance.ts';
import { createObserveContext, processPrefixOf, type ObserveContext } from '../../checks/suites/context.ts';
import { runSafety } from '../../checks/suites/safety.ts';
import { runSecurity } from '../../checks/suites/security.ts';
import { nodeHmac, sha256Hex } from '../util/digest.ts';
import type { RecordLine } from '../run/exchange-log.ts';
import { matchesRedacted, sameRedacted } from './redacted-match.ts';

export type FunctionalSuite = Exclude<Suite, 'load'>;

/** The suites whose every exchange is recorded, and the code k6 runs for each (scenarios/*.ts). */
export const FUNCTIONAL_SUITES: Record<FunctionalSuite, (ctx: ObserveContext) => void> = {
  conformance: runConformance,
  safety: runSafety,
  security: runSecurity,
};

export function isFunctional(suite: Suite): suite is FunctionalSuite {
  return suite !== 'load';
}

/** Stand-ins for the secrets, which verify never has: request signatures and auth codes are redacted in the records. */
const REPLAY_SECRET = 'bankcert-verify-replay-secret';
const REPLAY_AUTH_CODE = 'bankcert-verify-replay-auth-code';

export function replaySecrets(plan: Plan): BankcertSecrets {
  const authCodes: Record<string, string> = {};
  for (const [role, account] of Object.entries(plan.accounts)) {
    if (Array.isArray(account)) account.forEach((a, i) => a.hasAuthCode && (authCodes[`load:${i}`] = REPLAY_AUTH_CODE));
    else if (account?.hasAuthCode) authCodes[role] = REPLAY_AUTH_CODE;
  }
  return { ...(plan.signing.enabled ? { signingSecret: REPLAY_SECRET } : {}), authCodes };
}

export interface SuiteReplay {
  suite: FunctionalSuite;
  observations: Observation[];
  /** The ledger rows the suite's code wrote, replayed. */
  ledger: LedgerEntry[];
  /** Where the suite's code and the records part ways: the records were edited or made by other code. */
  divergence?: string;
  /** The records end before the suite's code does (the run was interrupted there, as k6 was). */
  endedEarly?: boolean;
  /** Exchanges whose answer was kept shortened: what the code read of them cannot be exactly what it read in the run. */
  shortened: number[];
  exchanges: number;
}

class RecordsEnd extends Error {}
class Divergence extends Error {}

function text(body: RecordedBody): string {
  return typeof body === 'string' ? body : body.prefix;
}

function answerOf(rec: ExchangeRecord): HttpAnswer {
  return {
    status: rec.response?.status ?? 0,
    headers: rec.response?.headers ?? {},
    body: rec.response ? text(rec.response.body) : '',
    durationMs: rec.response?.durationMs ?? 0,
    ...(rec.error !== undefined ? { error: rec.error } : {}),
  };
}

function describe(rec: Pick<ExchangeRecord, 'endpoint' | 'step' | 'refs'>): string {
  return `${rec.endpoint} "${rec.step}" (${rec.refs.slice(0, 2).join(', ')})`;
}

function parses(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * How the exchange the suite's code makes now differs from the recorded one: the request only (the
 * answer is the recorded one). Bodies are compared field by field when both are JSON (redacted fields
 * read as "some secret"). An account with an auth code allows one leniency: the stand-in code is not
 * the real one's length, so a body that is not JSON (a cut-off JSON case) may differ in length there.
 */
export function exchangeDifference(recorded: ExchangeRecord, replayed: ExchangeRecord, plan: Plan): string | undefined {
  const fields: [string, unknown, unknown][] = [
    ['endpoint', recorded.endpoint, replayed.endpoint],
    ['step', recorded.step, replayed.step],
    ['URL', recorded.request.url, replayed.request.url],
    ['references', recorded.refs, replayed.refs],
    ['account', recorded.account, replayed.account],
    ['batch', recorded.batch ?? null, replayed.batch ?? null],
    ['signature', recorded.signature, replayed.signature],
    ['authCode', recorded.authCode ?? null, replayed.authCode ?? null],
    ['headers', recorded.request.headers, replayed.request.headers],
  ];
  for (const [name, was, now] of fields) {
    if (!sameRedacted(was, now)) return `${name}: the records have ${JSON.stringify(was)}, the run's code sends ${JSON.stringify(now)}`;
  }
  const was = recorded.request.body;
  const now = replayed.request.body;
  const role = recorded.account as keyof Plan['accounts'];
  const account = role === 'load' ? undefined : plan.accounts[role];
  const lenient = account !== undefined && !Array.isArray(account) && account.hasAuthCode;
  if (typeof was === 'string' && typeof now === 'string') {
    if (matchesRedacted(was, now)) return undefined;
    const [a, b] = [parses(was), parses(now)];
    if (a !== undefined && b !== undefined) return sameRedacted(a, b) ? undefined : `body: the records have ${clip(was)}, the run's code sends ${clip(now)}`;
    return lenient ? undefined : `body: the records have ${clip(was)}, the run's code sends ${clip(now)}`;
  }
  if (typeof was !== 'string' && typeof now !== 'string' && was.length === now.length && was.sha256 === now.sha256) return undefined;
  return lenient
    ? undefined
    : `body: the records have one of ${typeof was === 'string' ? was.length : was.length} characters, the run's code sends one of ${typeof now === 'string' ? now.length : now.length}`;
}

const clip = (s: string) => JSON.stringify(s.length > 160 ? `${s.slice(0, 160)}…` : s);

/**
 * Runs one functional suite's own code (checks/suites/) against its records: the transport serves the
 * recorded answers in order, the clock gives the recorded reads, `sleep` returns at once, and every
 * request the code makes is compared with the recorded one. Signing uses a stand-in secret: signatures
 * are redacted in the records, so they are compared only as "valid", "none" or "other".
 */
export function replaySuite(plan: Plan, suite: FunctionalSuite, lines: readonly RecordLine[]): SuiteReplay {
  const recorded = lines.filter((l): l is ExchangeRecord => l.t === 'x' && l.suite === suite);
  const clock = lines.filter((l) => l.t === 'now' && l.suite === suite).map((l) => (l as { v: string }).v);
  const out: SuiteReplay = { suite, observations: [], ledger: [], shortened: [], exchanges: recorded.length };
  let next = 0;
  let reads = 0;

  const take = (): ExchangeRecord => {
    const rec = recorded[next];
    if (!rec) throw new RecordsEnd();
    next += 1;
    const body = rec.response?.body;
    if (body !== undefined && typeof body !== 'string') out.shortened.push(rec.n);
    return rec;
  };
  const transport: Transport = {
    post(): HttpAnswer {
      const rec = take();
      if (rec.batch)
        throw new Divergence(
          `exchange ${rec.n}: the records have a request sent in a batch of ${rec.batch[1]} (${describe(rec)}), the run's code sends one alone`,
        );
      return answerOf(rec);
    },
    postBatch(items: readonly PostItem[]): HttpAnswer[] {
      return items.map(() => {
        const rec = take();
        if (rec.batch?.[1] !== items.length)
          throw new Divergence(
            `exchange ${rec.n}: the records have ${rec.batch ? `a batch of ${rec.batch[1]}` : 'a request sent alone'} (${describe(rec)}), the run's code sends a batch of ${items.length}`,
          );
        return answerOf(rec);
      });
    },
  };
  const emit = (event: ScenarioEvent) => {
    if (event.t === 'obs') out.observations.push(event.obs);
    else if (event.t === 'ledger') out.ledger.push(event.entry);
    else if (event.t === 'x') {
      const rec = recorded[event.n - 1];
      if (!rec) throw new Divergence(`exchange ${event.n}: the records end before it, the run's code sends ${describe(event)}`);
      if (rec.endpoint !== event.endpoint || !matchesRedacted(rec.step, event.step))
        throw new Divergence(`exchange ${event.n}: the records have ${describe(rec)}, the run's code sends ${describe(event)}`);
      const difference = exchangeDifference(rec, event, plan);
      if (difference !== undefined) throw new Divergence(`exchange ${event.n} (${describe(rec)}): ${difference}`);
    }
  };
  const secrets = replaySecrets(plan);
  const ctx = createObserveContext({
    plan,
    secrets,
    suite,
    transport,
    hmac: nodeHmac,
    sha256Hex,
    validate: validateReserveResponse,
    emit,
    now() {
      const v = clock[reads];
      if (v === undefined) throw new RecordsEnd();
      reads += 1;
      return v;
    },
    sleep: () => {},
    prefix: () => `${processPrefixOf(plan.runId, suite, '')}1-`,
  });
  try {
    FUNCTIONAL_SUITES[suite](ctx);
    if (next < recorded.length)
      out.divergence = `the records hold ${recorded.length - next} more exchange(s) than the ${suite} suite's code makes, from exchange ${next + 1} (${describe(recorded[next] as ExchangeRecord)})`;
    else if (reads < clock.length) out.divergence = `the records hold ${clock.length - reads} more clock read(s) than the ${suite} suite's code makes`;
  } catch (error) {
    if (error instanceof Divergence) out.divergence = error.message;
    else if (error instanceof RecordsEnd) out.endedEarly = true;
    else throw error;
  }
  return out;
}
