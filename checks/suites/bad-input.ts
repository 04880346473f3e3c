import { badInputCases, type BadInputCase } from '../bad-input.ts';
import type { ReserveAnswer } from '../client.ts';
import type { Exchange, Observation } from '../events.ts';
import type { ReserveFundsRequest } from '../protocol.ts';
import { observe, step, wants, type ObserveContext } from './context.ts';
import { answerOf, releaseIfGranted, SECURITY_SUITE, validRequest, type FundsCheck, type ProbeFunds, type Target } from './security-accounts.ts';

/** Share of hostile requests that may get a 5xx before SEC-BAD-INPUT fails: a stray one is noise, a pattern is not. */
export const BAD_INPUT_5XX_BUDGET = 0.05;

/** After this many hostile requests in a row get no answer the bank is down: the rest would each wait for the timeout. */
export const UNANSWERED_IN_A_ROW = 3;

/** A case with the request it stands for: its account and the placeholder its body was generated from. */
interface Planned {
  c: BadInputCase;
  to: Target;
  placeholder: ReserveFundsRequest;
}

interface Sent {
  p: Planned;
  a: ReserveAnswer;
  /** A granted case's release was not acknowledged with 200: its money may still be held. */
  releaseStatus?: number;
}

interface Barrage {
  sent: Sent[];
  granted: Sent[];
  serverErrors: Sent[];
  /** Set when the bank stopped answering and the remaining cases were not sent. */
  stoppedAfter?: string;
  notSent: number;
}

const MUST_EXPECTED =
  'every malformed body and hostile or missing acted-on field refused (never 0000, 5xx within budget), funds unchanged, and a valid request granted afterwards';
const SHOULD_EXPECTED = 'odd informational fields (and other spellings of the identifier) refused too; any granted is released at once';

/**
 * SEC-BAD-INPUT and SEC-STRICT-INPUT: hostile requests generated from the request schema, each judged by
 * the role of what it attacks. Hostile acted-on fields and malformed bodies must be refused; odd
 * informational fields should be, and a granted one is a warning that names it. Cases for the auth code
 * go where it is acted on: to an account with an auth code, besides `to` when `to` has none.
 */
export function runBadInput(ctx: ObserveContext, to: Target, pinAccount: Target | undefined, funds: ProbeFunds): void {
  const before = control(ctx, to, 'before');
  if (before.code !== '0000') {
    // Refusals prove nothing while valid requests are refused too (or the bank does not answer).
    const reason = `a valid request on ${to.role} before the hostile requests was not granted (${answerOf(before)}), so refusals would prove nothing`;
    for (const id of ['SEC-BAD-INPUT', 'SEC-STRICT-INPUT'] as const) {
      observe(ctx, {
        id,
        status: 'inconclusive',
        expected: id === 'SEC-BAD-INPUT' ? MUST_EXPECTED : SHOULD_EXPECTED,
        observed: 'not run',
        reason,
        evidence: [before.exchange],
      });
    }
    return;
  }
  // The auth-code cases are SEC-BAD-INPUT's: its control on the PIN account is sent only with them.
  const pinControl = pinAccount && wants(ctx, 'SEC-BAD-INPUT') ? control(ctx, pinAccount, 'before') : undefined;
  const pinRefused = pinAccount && pinControl && pinControl.code !== '0000' ? `${pinAccount.role} (${answerOf(pinControl)})` : undefined;

  const main = plan(ctx, to);
  const pin = pinAccount && !pinRefused ? plan(ctx, pinAccount).filter((p) => p.c.field === 'authCode') : [];
  // A partial run (`certify --check`) sends only the cases of the chosen check.
  const must = wants(ctx, 'SEC-BAD-INPUT') ? [...main, ...pin].filter((p) => p.c.check === 'SEC-BAD-INPUT') : [];
  const should = wants(ctx, 'SEC-STRICT-INPUT') ? main.filter((p) => p.c.check === 'SEC-STRICT-INPUT') : [];

  // A bank that stopped answering has failed already: nothing more is sent, measuring it would only wait for timeouts.
  if (must.length > 0) step(ctx, SECURITY_SUITE, `${must.length} hostile reserveFunds requests on acted-on fields and malformed bodies`);
  const hostile = send(ctx, must);
  const mustFunds: FundsCheck =
    must.length === 0
      ? { kind: 'unmeasured', reason: 'not run' }
      : hostile.stoppedAfter === undefined
        ? funds.check('after the hostile requests')
        : { kind: 'unmeasured', reason: 'not measured: the bank stopped answering' };

  if (should.length > 0) step(ctx, SECURITY_SUITE, `${should.length} reserveFunds requests with odd informational fields`);
  const strict: Barrage = hostile.stoppedAfter === undefined ? send(ctx, should) : { sent: [], granted: [], serverErrors: [], notSent: should.length };
  // Healthy after all of it: a bank knocked over by any hostile request, informational ones included, is not.
  const stopped = hostile.stoppedAfter ?? strict.stoppedAfter;
  const healthy = stopped === undefined ? control(ctx, to, 'after') : undefined;
  const shouldFunds = strict.sent.length > 0 && strict.stoppedAfter === undefined ? funds.check('after the informational-field requests') : undefined;

  observe(ctx, judgeMust(hostile, healthy, mustFunds, pinRefused, strict.stoppedAfter));
  observe(ctx, judgeShould(strict, shouldFunds, hostile.stoppedAfter));
}

function control(ctx: ObserveContext, t: Target, when: 'before' | 'after'): ReserveAnswer {
  step(ctx, SECURITY_SUITE, `a valid request on ${t.role} ${when} the hostile requests`);
  const a = ctx.client.reserve(`reserveFunds on ${t.role}, valid, ${when} the hostile requests`, validRequest(ctx, t), t.role);
  releaseIfGranted(ctx, a, t.role);
  return a;
}

function plan(ctx: ObserveContext, to: Target): Planned[] {
  const placeholder = validRequest(ctx, to);
  return badInputCases(placeholder, to).map((c) => ({ c, to, placeholder }));
}

function send(ctx: ObserveContext, planned: readonly Planned[]): Barrage {
  const out: Barrage = { sent: [], granted: [], serverErrors: [], notSent: 0 };
  let unansweredInARow = 0;
  for (const [i, p] of planned.entries()) {
    if (unansweredInARow >= UNANSWERED_IN_A_ROW) {
      out.stoppedAfter = planned[i - 1]?.c.name;
      out.notSent = planned.length - i;
      break;
    }
    // Fresh references per case: a bank remembers answers per raasTxnRef, and each case must be judged on its own.
    const refs = ctx.nextRefs();
    const body = p.c.body.split(p.placeholder.raasTxnRef).join(refs.raasTxnRef).split(p.placeholder.clientTxnRef).join(refs.clientTxnRef);
    const request = { ...p.placeholder, ...refs };
    const headers = { ...ctx.client.headersFor(body), 'Content-Type': p.c.contentType };
    const a = ctx.client.reserveRaw(`hostile reserveFunds on ${p.to.role}: ${p.c.name}`, request, p.to.role, body, headers);
    const sent: Sent = { p, a };
    out.sent.push(sent);
    unansweredInARow = a.status === 0 ? unansweredInARow + 1 : 0;
    if (a.code === '0000') {
      if (a.reserveFundsTxnRef !== undefined) {
        const ack = ctx.client.outcome(`release hostile reserveFunds: ${p.c.name}`, a, ctx.plan.cancel.responseCode, p.to.role);
        if (ack.status !== 200) sent.releaseStatus = ack.status;
      }
      out.granted.push(sent);
    } else if (a.status >= 500 || a.status === 0) {
      out.serverErrors.push(sent);
    }
  }
  return out;
}

function perCategory(b: Barrage): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of b.sent) counts[s.p.c.category] = (counts[s.p.c.category] ?? 0) + 1;
  return counts;
}

function casesPhrase(b: Barrage): string {
  return `${b.sent.length} cases (${Object.entries(perCategory(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')})`;
}

function label(s: Sent): string {
  return s.p.to.role === 'funded' && s.p.c.field === 'authCode' ? `${s.p.c.name} (on funded, which has an auth code)` : s.p.c.name;
}

function fundsPhrase(f: FundsCheck): string {
  switch (f.kind) {
    case 'measured':
      return `probe funds ${f.drift === 0 ? 'unchanged' : `${f.drift < 0 ? 'fell' : 'rose'} by ${Math.abs(f.drift)}`}`;
    case 'unmeasured':
      return 'probe funds not measured';
    case 'no probe':
      return 'funds not measured (no accounts.probe fixture: judged by the answers only)';
  }
}

function judgeMust(
  b: Barrage,
  healthy: ReserveAnswer | undefined,
  f: FundsCheck,
  pinControlFailed: string | undefined,
  stoppedInStrict: string | undefined,
): Observation {
  const cases = b.sent.length + b.notSent;
  const budget = Math.floor(cases * BAD_INPUT_5XX_BUDGET);
  const tooMany5xx = b.serverErrors.length > budget;
  const fail = [
    b.granted.length > 0 ? `${b.granted.length} hostile requests were granted (0000): ${b.granted.map(label).join(', ')}` : '',
    tooMany5xx ? `${b.serverErrors.length} answers were 5xx or no answer (budget ${budget})` : '',
    b.stoppedAfter !== undefined ? `the bank stopped answering after "${b.stoppedAfter}": ${b.notSent} cases not sent` : '',
    stoppedInStrict !== undefined ? `the bank stopped answering after the informational-field request "${stoppedInStrict}"` : '',
    healthy !== undefined && healthy.code !== '0000' ? `a valid request afterwards got ${answerOf(healthy)}` : '',
    f.kind === 'measured' && f.drift !== 0
      ? `available funds ${f.drift < 0 ? 'fell' : 'rose'} by ${Math.abs(f.drift)} although every hostile request granted was released`
      : '',
  ].filter(Boolean);
  const inconclusive = [
    f.kind === 'unmeasured' && b.stoppedAfter === undefined ? f.reason : '',
    pinControlFailed !== undefined ? `auth-code cases not sent: a valid request on ${pinControlFailed} was not granted` : '',
  ].filter(Boolean);
  const status: Observation['status'] = fail.length > 0 ? 'fail' : inconclusive.length > 0 ? 'inconclusive' : 'pass';
  const evidence: Exchange[] = [...b.granted, ...b.serverErrors].slice(0, 5).map((s) => s.a.exchange);
  if (healthy !== undefined && healthy.code !== '0000') evidence.push(healthy.exchange);
  const reason = [...fail, ...inconclusive].join('; ');
  return {
    id: 'SEC-BAD-INPUT',
    status,
    expected: MUST_EXPECTED,
    observed: `${casesPhrase(b)}: ${b.granted.length} granted, ${b.serverErrors.length} 5xx or no answer; valid request afterwards: ${healthy ? answerOf(healthy) : 'not sent'}; ${fundsPhrase(f)}`,
    ...(reason ? { reason } : {}),
    counts: {
      cases: b.sent.length,
      granted: b.granted.length,
      serverErrors: b.serverErrors.length,
      ...Object.fromEntries(Object.entries(perCategory(b)).map(([k, v]) => [`category ${k}`, v])),
    },
    ...(status === 'fail' && evidence.length > 0 ? { evidence } : {}),
  };
}

function judgeShould(b: Barrage, f: FundsCheck | undefined, mustStoppedAfter: string | undefined): Observation {
  const heldOn = b.granted.filter((s) => s.releaseStatus !== undefined);
  const fail = [
    b.granted.length > 0
      ? `${b.granted.length} requests with odd informational fields were granted (0000, released at once): ${b.granted.map(label).join(', ')}`
      : '',
    heldOn.length > 0 ? `${heldOn.length} of their releases were not acknowledged with 200` : '',
    f?.kind === 'measured' && f.drift !== 0 ? `available funds ${f.drift < 0 ? 'fell' : 'rose'} by ${Math.abs(f.drift)} over these requests` : '',
    b.stoppedAfter !== undefined ? `the bank stopped answering after "${b.stoppedAfter}": ${b.notSent} cases not sent` : '',
  ].filter(Boolean);
  const inconclusive = [
    f?.kind === 'unmeasured' ? f.reason : '',
    mustStoppedAfter !== undefined ? `not run: the bank stopped answering during SEC-BAD-INPUT's requests` : '',
  ].filter(Boolean);
  const status: Observation['status'] = fail.length > 0 ? 'fail' : inconclusive.length > 0 ? 'inconclusive' : 'pass';
  const reason = [...fail, ...inconclusive].join('; ');
  return {
    id: 'SEC-STRICT-INPUT',
    status,
    expected: SHOULD_EXPECTED,
    observed:
      b.sent.length === 0
        ? 'not run'
        : `${casesPhrase(b)}: ${b.granted.length} granted, ${b.serverErrors.length} 5xx or no answer${f ? `; ${fundsPhrase(f)}` : ''}`,
    ...(reason ? { reason } : {}),
    counts: { cases: b.sent.length, granted: b.granted.length, serverErrors: b.serverErrors.length },
    ...(b.granted.length > 0 ? { evidence: b.granted.slice(0, 5).map((s) => s.a.exchange) } : {}),
  };
}
