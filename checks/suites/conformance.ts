import type { ReserveAnswer } from '../client.ts';
import { DISPENSED } from '../codes.ts';
import type { CheckId } from '../ids.ts';
import type { Exchange } from '../events.ts';
import { reserveRequest, wrongAuthCode } from '../requests.ts';
import { account, authCodeOf, observe, requestFor, step, wants, type AccountRole, type ObserveContext } from './context.ts';

const SUITE = 'conformance';

function describeAnswer(a: ReserveAnswer): string {
  if (a.status === 0) return `no answer (${a.exchange.error ?? 'transport error'})`;
  return a.code === undefined ? `HTTP ${a.status} without a responseCode` : `responseCode ${a.code} (HTTP ${a.status})`;
}

/** Every reservation the suite did not mean to keep is released at once: no test money stays held. */
function release(ctx: ObserveContext, a: ReserveAnswer, role: string): Exchange | undefined {
  if (a.code !== '0000') return undefined;
  const ack = ctx.client.outcome(`release after ${a.exchange.step}`, a, ctx.plan.cancel.responseCode, role);
  return ack.status === 200 ? undefined : ack.exchange;
}

function reserveAs(ctx: ObserveContext, role: AccountRole, what: string, amount: number, authCode?: string): ReserveAnswer | undefined {
  if (!account(ctx, role)) return undefined;
  step(ctx, SUITE, what);
  return ctx.client.reserve(what, requestFor(ctx, role, amount, authCode ?? authCodeOf(ctx, role)), role);
}

function skip(ctx: ObserveContext, id: CheckId, expected: string, reason: string): void {
  observe(ctx, { id, status: 'skip', expected, observed: 'not run', reason });
}

/** No HTTP answer at all says nothing about the rule: the check could not see it. */
const NO_ANSWER = 'the bank gave no HTTP answer (transport error or timeout), so the rule could not be observed';

/** An answer and what it means for one refusal rule: its code passes; `tolerated` codes warn (documented elsewhere); others fail. */
function judgeCode(
  ctx: ObserveContext,
  id: CheckId,
  code: string,
  answer: ReserveAnswer,
  releaseProblem: Exchange | undefined,
  tolerated: Readonly<Record<string, string>> = {},
): void {
  const expected = `responseCode ${code}`;
  const evidence = { evidence: [answer.exchange, ...(releaseProblem ? [releaseProblem] : [])] };
  if (answer.status === 0) {
    observe(ctx, { id, status: 'inconclusive', expected, observed: describeAnswer(answer), reason: NO_ANSWER, ...evidence });
    return;
  }
  const why = answer.code === undefined ? undefined : tolerated[answer.code];
  const status = answer.code === code ? 'pass' : why !== undefined ? 'warn' : 'fail';
  observe(ctx, {
    id,
    status,
    expected,
    observed: describeAnswer(answer),
    ...(why === undefined ? {} : { reason: why }),
    ...(status === 'pass' ? {} : evidence),
  });
}

/** One refusal rule: a fixture that breaks exactly that rule must get exactly its code. */
function expectCode(
  ctx: ObserveContext,
  id: CheckId,
  code: string,
  role: AccountRole,
  what: string,
  amount: number,
  authCode?: string,
  tolerated: Readonly<Record<string, string>> = {},
): void {
  // A missing fixture sends nothing: the verdict skips the check from its `needs`.
  const answer = reserveAs(ctx, role, what, amount, authCode);
  if (!answer) return;
  judgeCode(ctx, id, code, answer, release(ctx, answer, role), tolerated);
}

/** RF-0000 and TR-ACK: valid reservations, finished with both outcomes. */
function successAndAcks(ctx: ObserveContext): void {
  const { minimumAmount } = ctx.plan.limits;
  if (!account(ctx, 'funded')) return;
  const typical = ctx.plan.product.typicalAmount;
  // Limits are inclusive on both sides: the minimum and the maximum are valid amounts. Two typical
  // reservations give one per outcome for TR-ACK.
  const planned: [string, number][] = [
    ['the minimum amount', Math.max(minimumAmount, 1)],
    ['exactly the maximum amount', ctx.plan.limits.maximumAmount],
    ['a typical amount', typical],
    ['a typical amount, second reservation', typical],
  ];
  const amounts = planned.map(([, amount]) => amount);
  const reservations = planned
    .map(([what, amount]) => reserveAs(ctx, 'funded', `reserveFunds on funded for ${what} (${amount})`, amount))
    .filter((a): a is ReserveAnswer => a !== undefined);
  const unanswered = reservations.filter((a) => a.status === 0);
  const refused = reservations.filter((a) => a.status !== 0 && (a.code !== '0000' || a.reserveFundsTxnRef === undefined));
  observe(ctx, {
    id: 'RF-0000',
    status: refused.length > 0 ? 'fail' : unanswered.length > 0 ? 'inconclusive' : 'pass',
    expected: `responseCode 0000 with a reserveFundsTxnRef for amounts ${amounts.join(', ')}`,
    observed: reservations.map(describeAnswer).join('; '),
    ...(refused.length === 0 && unanswered.length > 0 ? { reason: NO_ANSWER } : {}),
    ...(refused.length + unanswered.length === 0 ? {} : { evidence: [...refused, ...unanswered].map((a) => a.exchange) }),
  });

  // One reservation per outcome: the typical one is debited (dispensed), the others released.
  const acks: { outcome: string; status: number; exchange: Exchange }[] = [];
  const held = reservations.filter((a) => a.code === '0000');
  const toDebit = held.find((a) => a.request.reserveAmount === typical) ?? held[0];
  for (const a of held) {
    const dispensed = a === toDebit;
    const code = dispensed ? DISPENSED : ctx.plan.cancel.responseCode;
    step(ctx, SUITE, `transactResult ${dispensed ? 'dispensed (0)' : `not dispensed (${code})`}`);
    const ack = ctx.client.outcome(`transactResult ${code} for ${a.exchange.step}`, a, code, 'funded');
    acks.push({ outcome: dispensed ? 'dispensed' : 'failed', status: ack.status, exchange: ack.exchange });
  }
  const outcomes = new Set(acks.filter((a) => a.status !== 0).map((a) => a.outcome));
  // An HTTP answer other than 200 is the bank's; no answer at all, or a missing outcome, is not seen.
  const bad = acks.filter((a) => a.status !== 200 && a.status !== 0);
  const seenBoth = outcomes.has('dispensed') && outcomes.has('failed');
  observe(ctx, {
    id: 'TR-ACK',
    status: bad.length > 0 ? 'fail' : seenBoth ? 'pass' : 'inconclusive',
    expected: 'HTTP 200 for a dispensed and a failed outcome',
    observed: acks.map((a) => `${a.outcome}: ${a.status === 0 ? 'no answer' : `HTTP ${a.status}`}`).join('; ') || 'no reservation to finish',
    ...(bad.length > 0 || seenBoth ? {} : { reason: acks.length < 2 ? 'reserveFunds did not grant two reservations to finish (see RF-0000)' : NO_ANSWER }),
    ...(bad.length > 0 ? { evidence: bad.map((a) => a.exchange) } : {}),
  });
}

function unknownReservation(ctx: ObserveContext): void {
  step(ctx, SUITE, 'transactResult for an unknown reservation');
  const refs = ctx.nextRefs();
  const fakeReservation = reserveRequest(ctx.plan, {
    refs,
    sourceIdentifier: ctx.plan.accounts.funded?.sourceIdentifier ?? 'bankcert-unknown',
    reserveAmount: ctx.plan.product.typicalAmount,
    timestamp: ctx.now(),
  });
  // A reference no bank can know: derived from the run's own unique refs.
  const ack = ctx.client.transactResult(
    'transactResult for an unknown reserveFundsTxnRef',
    fakeReservation,
    `unknown-${refs.raasTxnRef}`,
    ctx.plan.cancel.responseCode,
    'none',
  );
  observe(ctx, {
    id: 'TR-404',
    status: ack.status === 404 ? 'pass' : ack.status === 0 ? 'inconclusive' : 'fail',
    expected: 'HTTP 404',
    observed: ack.status === 0 ? `no answer (${ack.exchange.error ?? 'transport error'})` : `HTTP ${ack.status}`,
    ...(ack.status === 0 ? { reason: NO_ANSWER } : {}),
    ...(ack.status === 404 ? {} : { evidence: [ack.exchange] }),
  });
}

/** Run-wide: every reserveFunds answer seen so far is checked against the response schema and for HTTP 200. */
function answersWellFormed(ctx: ObserveContext): void {
  // A request that got no HTTP answer says nothing about the answers' shape.
  const answers = ctx.client.answers.filter((a) => a.status !== 0);
  const malformed = answers.filter((a) => a.schemaProblem !== undefined);
  const numeric = answers.filter((a) => a.numericCode && a.schemaProblem === undefined);
  observe(ctx, {
    id: 'RF-SCHEMA',
    status: malformed.length > 0 ? 'fail' : answers.length === 0 ? 'inconclusive' : numeric.length > 0 ? 'warn' : 'pass',
    ...(answers.length === 0 ? { reason: 'no reserveFunds got an HTTP answer' } : {}),
    expected: 'JSON with a documented 4-digit string responseCode; 0000 with a reserveFundsTxnRef of at most 64 characters',
    observed:
      malformed.length > 0
        ? `${malformed.length} of ${answers.length} answers malformed, first: ${malformed[0]?.schemaProblem ?? ''}`
        : `${answers.length} answers well-formed`,
    ...(numeric.length > 0 && malformed.length === 0 ? { reason: `${numeric.length} answers carry responseCode as a number instead of a string` } : {}),
    counts: { answers: answers.length, malformed: malformed.length, numericCode: numeric.length },
    ...(malformed.length > 0 ? { evidence: malformed.slice(0, 3).map((a) => a.exchange) } : {}),
  });

  const business = answers.filter((a) => a.code !== undefined);
  const not200 = business.filter((a) => a.status !== 200);
  observe(ctx, {
    id: 'RF-HTTP-200',
    status: not200.length > 0 ? 'warn' : business.length === 0 ? 'inconclusive' : 'pass',
    ...(business.length === 0 ? { reason: 'no reserveFunds answer carried a responseCode' } : {}),
    expected: 'HTTP 200 for every documented responseCode',
    observed:
      not200.length === 0
        ? `${business.length} answers with HTTP 200`
        : `${not200.length} of ${business.length} answers used another status, e.g. ${describeAnswer(not200[0] as ReserveAnswer)}`,
    counts: { answers: business.length, notHttp200: not200.length },
    ...(not200.length === 0 ? {} : { reason: 'only HTTP 200 is documented for business outcomes', evidence: not200.slice(0, 3).map((a) => a.exchange) }),
  });
}

/**
 * RF-2010 on both sides of the boundary: exactly the available balance is a valid reservation (released
 * at once), one more is insufficient funds.
 */
function insufficientFunds(ctx: ObserveContext): void {
  const low = account(ctx, 'lowBalance');
  if (!low || low.balance === undefined) return;
  const over = reserveAs(ctx, 'lowBalance', `reserveFunds on lowBalance for its balance + 1 (${low.balance + 1})`, low.balance + 1);
  if (!over) return;
  judgeCode(ctx, 'RF-2010', '2010', over, release(ctx, over, 'lowBalance'));
  const exact = reserveAs(ctx, 'lowBalance', `reserveFunds on lowBalance for exactly its balance (${low.balance})`, low.balance);
  if (!exact) return;
  const releaseProblem = release(ctx, exact, 'lowBalance');
  const expected = `responseCode 0000 for exactly the balance (${low.balance}), 2010 for one more`;
  if (exact.status === 0) {
    observe(ctx, { id: 'RF-2010', status: 'inconclusive', expected, observed: describeAnswer(exact), reason: NO_ANSWER, evidence: [exact.exchange] });
    return;
  }
  const ok = exact.code === '0000' && exact.reserveFundsTxnRef !== undefined;
  observe(ctx, {
    id: 'RF-2010',
    status: ok ? 'pass' : 'fail',
    expected,
    observed: `exactly the balance: ${describeAnswer(exact)}`,
    ...(ok
      ? {}
      : {
          reason: 'a reservation of exactly the available balance is valid (check accounts.lowBalance.balance if it changed)',
          evidence: [exact.exchange, ...(releaseProblem ? [releaseProblem] : [])],
        }),
  });
}

/**
 * The conformance suite: each documented outcome provoked by a fixture that breaks exactly one rule.
 * RF-SCHEMA and RF-HTTP-200 have no traffic of their own: they judge every reserveFunds answer of the
 * suite, so choosing either (`certify --check`) sends every reserveFunds of the suite.
 */
export function runConformance(ctx: ObserveContext): void {
  const { minimumAmount, maximumAmount } = ctx.plan.limits;
  const typical = ctx.plan.product.typicalAmount;
  const everyAnswer = wants(ctx, 'RF-SCHEMA', 'RF-HTTP-200');
  const runs = (id: CheckId) => everyAnswer || wants(ctx, id);
  if (everyAnswer || wants(ctx, 'RF-0000', 'TR-ACK')) successAndAcks(ctx);

  if (runs('RF-2040')) expectCode(ctx, 'RF-2040', '2040', 'funded', `reserveFunds on funded for maximumAmount + 1 (${maximumAmount + 1})`, maximumAmount + 1);
  if (runs('RF-2050')) {
    if (minimumAmount < 1) skip(ctx, 'RF-2050', 'responseCode 2050', 'limits.minimumAmount is 0: no amount is below it');
    else expectCode(ctx, 'RF-2050', '2050', 'funded', `reserveFunds on funded for minimumAmount − 1 (${minimumAmount - 1})`, minimumAmount - 1);
  }

  // Two documents answer this case: the walkthrough's "Consumer Account not mapped" (2030) and the
  // public errors table's 2020 "invalid authentication code or unknown sourceIdentifier".
  if (runs('RF-2030')) {
    expectCode(ctx, 'RF-2030', '2030', 'unmapped', 'reserveFunds for the unmapped identifier', typical, undefined, {
      '2020':
        'the Transact errors table documents 2020 for an unknown sourceIdentifier, the Bank Interfaces getting started guide 2030 ("Consumer Account not mapped"); 2030 tells the platform the account is not mapped',
    });
  }

  const fundedCode = authCodeOf(ctx, 'funded');
  if (runs('RF-2020') && fundedCode !== undefined)
    expectCode(ctx, 'RF-2020', '2020', 'funded', 'reserveFunds on funded with a wrong authCode', typical, wrongAuthCode(fundedCode));

  if (runs('RF-2070')) expectCode(ctx, 'RF-2070', '2070', 'blacklisted', 'reserveFunds on the blacklisted account', typical);
  if (runs('RF-2080')) expectCode(ctx, 'RF-2080', '2080', 'inactive', 'reserveFunds on the inactive account', typical);

  if (runs('RF-2010')) insufficientFunds(ctx);

  if (wants(ctx, 'TR-404')) unknownReservation(ctx);
  if (everyAnswer) answersWellFormed(ctx);
}
