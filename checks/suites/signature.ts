import type { AckAnswer } from '../client.ts';
import { DISPENSED } from '../codes.ts';
import type { Exchange, Observation } from '../events.ts';
import type { ReserveFundsRequest } from '../protocol.ts';
import { transactResultRequest } from '../requests.ts';
import { SIGNATURE_HEADER, sign } from '../signer.ts';
import { observe, step, type ObserveContext } from './context.ts';
import { answerOf, releaseIfGranted, SECURITY_SUITE, validRequest, type FundsCheck, type ProbeFunds, type Target } from './security-accounts.ts';

const EXPECTED =
  'no tampered or wrongly signed reserveFunds is granted (refused with 401/403 or a non-0000 code) while a correctly signed one is; ' +
  'no forged transactResult debits or releases (refused with 401/403)';

/** Findings by how much they weigh; the worst non-empty list decides the status. */
interface Findings {
  fail: string[];
  inconclusive: string[];
  warn: string[];
  evidence: Exchange[];
}

type Signers = { good(body: string): string; wrong(body: string): string };
type Forgery = { name: string; make(body: string, otherOutcomeBody: string, s: Signers): { body: string; signature?: string } };

/**
 * SEC-SIGNATURE (signing on): tampered reserveFunds must not reserve, and forged transactResults for
 * real reservations must neither debit nor release. Both endpoints verify the Signature, or anyone who
 * can reach the bank can move a buyer's money.
 */
export function runSignature(ctx: ObserveContext, to: Target, funds: ProbeFunds): void {
  step(ctx, SECURITY_SUITE, 'correctly signed control request');
  const control = ctx.client.reserve('reserveFunds, correctly signed (control)', validRequest(ctx, to), to.role);
  releaseIfGranted(ctx, control, to.role);
  if (control.code !== '0000') {
    // Refusals of tampered requests prove nothing while a correct one is refused as well.
    const why = control.status === 401 || control.status === 403 ? ': check that signing.secretEnv holds the secret the bank verifies with' : '';
    observe(ctx, {
      id: 'SEC-SIGNATURE',
      status: 'inconclusive',
      expected: EXPECTED,
      observed: `control: ${answerOf(control)}`,
      reason: `the correctly signed control request on ${to.role} was not granted (${answerOf(control)})${why}, so refusals would prove nothing`,
      evidence: [control.exchange],
    });
    return;
  }
  const findings: Findings = { fail: [], inconclusive: [], warn: [], evidence: [] };
  const reserveRows = tamperedReserves(ctx, to, findings);
  const outcomeRows = forgedOutcomes(ctx, to, funds, findings);
  const status: Observation['status'] =
    findings.fail.length > 0 ? 'fail' : findings.inconclusive.length > 0 ? 'inconclusive' : findings.warn.length > 0 ? 'warn' : 'pass';
  const reason = [...findings.fail, ...findings.inconclusive, ...findings.warn].join('; ');
  observe(ctx, {
    id: 'SEC-SIGNATURE',
    status,
    expected: EXPECTED,
    observed: `reserveFunds: ${reserveRows.join('; ')}; control: ${answerOf(control)}. transactResult: ${outcomeRows.join('; ')}`,
    ...(reason ? { reason } : {}),
    counts: { reserveCases: TAMPERS.length, transactResultCases: FORGERIES.length * 2 },
    ...(findings.evidence.length > 0 ? { evidence: findings.evidence.slice(0, 5) } : {}),
  });
}

type Tamper = { name: string; make(r: ReserveFundsRequest, s: Signers): { body: string; signature?: string } };

const TAMPERS: Tamper[] = [
  { name: 'signed with a wrong secret', make: (r, s) => ({ body: JSON.stringify(r), signature: s.wrong(JSON.stringify(r)) }) },
  {
    name: 'one body byte changed after signing',
    make: (r, s) => {
      const body = JSON.stringify(r);
      return { body: body.replace(`"${r.clientTxnRef}"`, `"${r.clientTxnRef.slice(0, -1)}X"`), signature: s.good(body) };
    },
  },
  {
    name: 'same JSON re-serialised (pretty-printed) after signing',
    make: (r, s) => ({ body: JSON.stringify(r, null, 2), signature: s.good(JSON.stringify(r)) }),
  },
  { name: 'Signature header missing', make: (r) => ({ body: JSON.stringify(r) }) },
  { name: 'Signature header empty', make: (r) => ({ body: JSON.stringify(r), signature: '' }) },
  {
    name: 'Signature header duplicated',
    make: (r, s) => ({ body: JSON.stringify(r), signature: `${s.good(JSON.stringify(r))}, ${s.good(JSON.stringify(r))}` }),
  },
  {
    name: 'base64url instead of base64',
    make: (r, s) => ({ body: JSON.stringify(r), signature: s.good(JSON.stringify(r)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }),
  },
];

function signers(ctx: ObserveContext): Signers {
  const secret = ctx.secrets.signingSecret ?? '';
  return { good: (body: string) => sign(body, secret, ctx.hmac), wrong: (body: string) => sign(body, `${secret}-wrong`, ctx.hmac) };
}

function headers(signature: string | undefined): Record<string, string> {
  const h: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (signature !== undefined) h[SIGNATURE_HEADER] = signature;
  return h;
}

/** The reserveFunds tamper matrix; a granted one is released at once and fails the check. */
function tamperedReserves(ctx: ObserveContext, to: Target, findings: Findings): string[] {
  const s = signers(ctx);
  const rows: string[] = [];
  const granted: string[] = [];
  for (const t of TAMPERS) {
    step(ctx, SECURITY_SUITE, `tampered signature: ${t.name}`);
    const request = validRequest(ctx, to);
    const { body, signature } = t.make(request, s);
    const answer = ctx.client.reserveRaw(`reserveFunds, ${t.name}`, request, to.role, body, headers(signature));
    if (releaseIfGranted(ctx, answer, to.role)) {
      granted.push(t.name);
      findings.evidence.push(answer.exchange);
    }
    rows.push(`${t.name}: ${answerOf(answer)}`);
  }
  if (granted.length > 0) findings.fail.push(`${granted.length} of ${TAMPERS.length} tampered reserveFunds were granted (${granted.join(', ')})`);
  return rows;
}

const FORGERIES: Forgery[] = [
  { name: 'signed with a wrong secret', make: (body, _other, s) => ({ body, signature: s.wrong(body) }) },
  { name: "changed after signing (the other outcome's signature)", make: (body, other, s) => ({ body, signature: s.good(other) }) },
  { name: 'Signature header missing', make: (body) => ({ body }) },
  { name: 'Signature header empty', make: (body) => ({ body, signature: '' }) },
];

type AckKind = 'refused' | 'acknowledged' | 'no answer';

function ackKind(a: AckAnswer): AckKind {
  if (a.status === 0) return 'no answer';
  return a.status >= 400 ? 'refused' : 'acknowledged';
}

/**
 * Forged transactResults for two real reservations of `to`: one gets forged "dispensed" outcomes, the
 * other forged failures. A debit and a hold look the same in available funds, so funds are measured
 * while both are still held (a forged failure that released shows as funds up), then both are released
 * properly and funds measured again (a forged dispensed that debited shows as funds not coming back).
 * The same measurements show a tampered reserveFunds that held money without admitting it.
 */
function forgedOutcomes(ctx: ObserveContext, to: Target, funds: ProbeFunds, findings: Findings): string[] {
  const amount = Math.max(ctx.plan.limits.minimumAmount, 1);
  const start = funds.expected;
  const outcomes = [
    { label: 'forged dispensed', code: DISPENSED },
    { label: `forged failure (${ctx.plan.cancel.responseCode})`, code: ctx.plan.cancel.responseCode },
  ];
  step(ctx, SECURITY_SUITE, 'reservations to send forged transactResults for');
  const reservations = outcomes.map((o) => ({
    ...o,
    answer: ctx.client.reserve(`reserveFunds ${amount} on ${to.role} for a ${o.label} transactResult`, validRequest(ctx, to, amount), to.role),
  }));
  const refused = reservations.find((r) => r.answer.code !== '0000' || r.answer.reserveFundsTxnRef === undefined);
  if (refused) {
    for (const r of reservations) releaseIfGranted(ctx, r.answer, to.role);
    findings.inconclusive.push(`transactResult not attacked: the reservation for a ${refused.label} outcome was not granted (${answerOf(refused.answer)})`);
    findings.evidence.push(refused.answer.exchange);
    const f = funds.check('after the tampered requests');
    if (f.kind === 'unmeasured') findings.inconclusive.push(f.reason);
    judgeFunds(findings, f, 'over the tampered reserveFunds');
    return ['not run'];
  }

  const s = signers(ctx);
  const rows: string[] = [];
  const acknowledged: string[] = [];
  const unanswered: string[] = [];
  for (const r of reservations) {
    const request = transactResultRequest({
      refs: r.answer.request,
      reserveFundsTxnRef: r.answer.reserveFundsTxnRef ?? '',
      responseCode: r.code,
      amounts: r.answer.request,
      timestamp: ctx.now(),
    });
    // The same bytes but for the outcome: what a forger who saw one signed outcome would try.
    const other = JSON.stringify({ ...request, responseCode: r.code === DISPENSED ? ctx.plan.cancel.responseCode : DISPENSED });
    const seen: string[] = [];
    for (const f of FORGERIES) {
      const what = `${r.label} transactResult, ${f.name}`;
      step(ctx, SECURITY_SUITE, what);
      const { body, signature } = f.make(JSON.stringify(request), other, s);
      const ack = ctx.client.transactResultRaw(what, request, body, headers(signature));
      const kind = ackKind(ack);
      if (kind === 'acknowledged') {
        acknowledged.push(`${r.label}, ${f.name} (HTTP ${ack.status})`);
        findings.evidence.push(ack.exchange);
      } else if (kind === 'no answer') {
        unanswered.push(what);
      }
      seen.push(`${f.name}: ${ack.status === 0 ? 'no answer' : `HTTP ${ack.status}`}`);
    }
    rows.push(`${r.label}: ${seen.join(', ')}`);
  }

  // Two held reservations and the probe's own smallest reservation must fit, or the held measurement cannot be made.
  const canMeasureHeld = start !== undefined && start >= 3 * amount;
  const held = canMeasureHeld ? funds.check('while the forged-outcome reservations are held', start - 2 * amount) : undefined;
  step(ctx, SECURITY_SUITE, 'finish the forged-outcome reservations properly');
  for (const r of reservations) ctx.client.outcome(`release the reservation of the ${r.label} transactResult`, r.answer, ctx.plan.cancel.responseCode, to.role);
  const hiddenHold = held?.kind === 'measured' ? Math.min(held.drift, 0) : 0;
  // A hidden hold from a tampered reserveFunds stays held: the final expectation allows for it.
  const after = funds.check('after the forged-outcome reservations were released', start === undefined ? undefined : start + hiddenHold);

  let moneyMoved: boolean;
  if (held?.kind === 'measured') {
    if (held.drift > 0)
      findings.fail.push(`a forged failure outcome released a reservation: available funds rose by ${held.drift} while both reservations were still held`);
    if (held.drift < 0)
      findings.fail.push(`available funds fell by ${-held.drift} more than the two reservations held, although no tampered reserveFunds was granted`);
    if (after.kind === 'measured' && after.drift < 0)
      findings.fail.push(`a forged dispensed outcome debited: after both reservations were released properly, available funds stayed ${-after.drift} lower`);
    moneyMoved = held.drift !== 0 || (after.kind === 'measured' && after.drift < 0);
    if (after.kind === 'measured') rows.push(`probe funds ${held.available} while both were held, ${after.available} after their release`);
  } else {
    moneyMoved = judgeFunds(findings, after, 'over the tampered reserveFunds and forged transactResults');
  }

  if (unanswered.length > 0) findings.inconclusive.push(`forged transactResults got no answer: ${unanswered.join('; ')}`);
  const unmeasured =
    funds.configured && !canMeasureHeld && start !== undefined
      ? `the probe account's available funds (${start}) cannot hold two reservations of ${amount} and still be measured`
      : held?.kind === 'unmeasured'
        ? held.reason
        : after.kind === 'unmeasured'
          ? after.reason
          : undefined;
  if (moneyMoved) return rows;
  if (acknowledged.length > 0) {
    if (unmeasured !== undefined || after.kind === 'no probe') {
      const why = unmeasured ?? 'there is no accounts.probe fixture to measure funds with';
      findings.inconclusive.push(`forged transactResults were acknowledged (${acknowledged.join('; ')}); whether they moved money could not be seen: ${why}`);
    } else {
      findings.warn.push(
        `should refuse a forged transactResult (401/403): ${acknowledged.length} were acknowledged, though none moved money (${acknowledged.join('; ')})`,
      );
    }
  } else if (unmeasured !== undefined) {
    findings.inconclusive.push(`every forged transactResult was refused, but whether one moved money could not be measured: ${unmeasured}`);
  } else if (after.kind === 'no probe') {
    rows.push('judged by the answers only: no accounts.probe fixture to measure funds with');
  }
  return rows;
}

/** A plain before/after funds comparison: any drift is money that moved. True when it did. */
function judgeFunds(findings: Findings, f: FundsCheck, over: string): boolean {
  if (f.kind !== 'measured' || f.drift === 0) return false;
  findings.fail.push(`available funds ${f.drift < 0 ? 'fell' : 'rose'} by ${Math.abs(f.drift)} ${over}, although none was accepted`);
  return true;
}
