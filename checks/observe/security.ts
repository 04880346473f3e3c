import { badInputCases, type BadInputCase } from '../bad-input.ts';
import type { ReserveAnswer } from '../client.ts';
import type { Exchange } from '../observation.ts';
import type { ReserveFundsRequest } from '../protocol.ts';
import { reserveRequest } from '../requests.ts';
import { SIGNATURE_HEADER, sign } from '../signer.ts';
import { authCodeOf, observe, step, type ObserveContext } from './context.ts';
import { FundsProbe } from './funds.ts';

const SUITE = 'security';
type Role = 'probe' | 'funded';

/** Share of hostile requests that may get a 5xx before SEC-BAD-INPUT fails: a stray one is noise, a pattern is not. */
export const BAD_INPUT_5XX_BUDGET = 0.05;

export function runSecurity(ctx: ObserveContext): void {
  const probe = new FundsProbe(ctx);
  // The probe account shows a reservation the bank made but did not admit to; otherwise answers are judged.
  const before = ctx.plan.accounts.probe ? probe.measure('before the hostile requests', ctx.plan.accounts.probe.balance) : undefined;
  const role: Role = before?.known ? 'probe' : 'funded';
  let expected = before?.known ? before.available : undefined;
  const fundsUnchanged = (why: string): string | undefined => {
    if (expected === undefined) return undefined;
    const after = probe.measure(why, expected);
    if (!after.known) return `funds could not be measured afterwards: ${after.reason}`;
    const moved = expected - after.available;
    expected = after.available;
    return moved === 0 ? undefined : `available funds fell by ${moved} although no request was granted`;
  };

  if (ctx.plan.signing.enabled) signatureMatrix(ctx, role, fundsUnchanged);
  badInput(ctx, role, fundsUnchanged);
}

function baseRequest(ctx: ObserveContext, role: Role): ReserveFundsRequest {
  const acct = ctx.plan.accounts[role];
  const code = authCodeOf(ctx, role);
  return reserveRequest(ctx.plan, {
    refs: ctx.nextRefs(),
    sourceIdentifier: acct?.sourceIdentifier ?? 'bankcert-none',
    reserveAmount: ctx.plan.product.typicalAmount,
    ...(code === undefined ? {} : { authCode: code }),
    timestamp: ctx.now(),
  });
}

/** A granted reservation is a finding, and must not stay held: release it properly signed. */
function releaseIfGranted(ctx: ObserveContext, a: ReserveAnswer, role: Role): boolean {
  if (a.code !== '0000') return false;
  if (a.reserveFundsTxnRef !== undefined) ctx.client.outcome(`release ${a.exchange.step}`, a, ctx.plan.cancel.responseCode, role);
  return true;
}

function answerOf(a: ReserveAnswer): string {
  if (a.status === 0) return 'no answer';
  return a.code === undefined ? `HTTP ${a.status}` : `HTTP ${a.status}, ${a.code}`;
}

/** SEC-SIGNATURE: the tamper matrix of ../shared/spec (issue: hostile input). */
function signatureMatrix(ctx: ObserveContext, role: Role, fundsUnchanged: (why: string) => string | undefined): void {
  const secret = ctx.secrets.signingSecret ?? '';
  const good = (body: string) => sign(body, secret, ctx.hmac);
  const tampers: { name: string; make(request: ReserveFundsRequest): { body: string; signature?: string } }[] = [
    { name: 'signed with a wrong secret', make: (r) => ({ body: JSON.stringify(r), signature: sign(JSON.stringify(r), `${secret}-wrong`, ctx.hmac) }) },
    {
      name: 'one body byte changed after signing',
      make: (r) => {
        const body = JSON.stringify(r);
        return { body: body.replace(`"${r.clientTxnRef}"`, `"${r.clientTxnRef.slice(0, -1)}X"`), signature: good(body) };
      },
    },
    { name: 'same JSON re-serialised (pretty-printed) after signing', make: (r) => ({ body: JSON.stringify(r, null, 2), signature: good(JSON.stringify(r)) }) },
    { name: 'Signature header missing', make: (r) => ({ body: JSON.stringify(r) }) },
    { name: 'Signature header empty', make: (r) => ({ body: JSON.stringify(r), signature: '' }) },
    { name: 'Signature header duplicated', make: (r) => ({ body: JSON.stringify(r), signature: `${good(JSON.stringify(r))}, ${good(JSON.stringify(r))}` }) },
    { name: 'base64url instead of base64', make: (r) => ({ body: JSON.stringify(r), signature: good(JSON.stringify(r)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }) },
  ];
  const rows: string[] = [];
  const evidence: Exchange[] = [];
  let granted = 0;
  for (const t of tampers) {
    step(ctx, SUITE, `tampered signature: ${t.name}`);
    const request = baseRequest(ctx, role);
    const { body, signature } = t.make(request);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (signature !== undefined) headers[SIGNATURE_HEADER] = signature;
    const answer = ctx.client.reserveRaw(`reserveFunds, ${t.name}`, request, role, body, headers);
    if (releaseIfGranted(ctx, answer, role)) {
      granted += 1;
      evidence.push(answer.exchange);
    }
    rows.push(`${t.name}: ${answerOf(answer)}`);
  }
  // Control: the same request correctly signed must work, or the refusals above prove nothing.
  step(ctx, SUITE, 'correctly signed control request');
  const control = ctx.client.reserve('reserveFunds, correctly signed (control)', baseRequest(ctx, role), role);
  releaseIfGranted(ctx, control, role);
  const moved = fundsUnchanged('after the tampered requests');
  const controlOk = control.code === '0000';
  const ok = granted === 0 && controlOk && moved === undefined;
  observe(ctx, {
    id: 'SEC-SIGNATURE',
    status: ok ? 'pass' : 'fail',
    expected: 'no tampered or wrongly signed request is granted (refused with 401/403 or a non-0000 code); a correctly signed one is',
    observed: `${rows.join('; ')}; control: ${answerOf(control)}`,
    ...(ok ? {} : { reason: granted > 0 ? `${granted} of ${tampers.length} tampered requests were granted` : !controlOk ? 'the correctly signed control request was not granted, so the refusals prove nothing' : (moved ?? '') }),
    counts: { cases: tampers.length, granted },
    ...(evidence.length > 0 ? { evidence } : !controlOk ? { evidence: [control.exchange] } : {}),
  });
}

/** SEC-BAD-INPUT: hostile requests generated from the request schema, then a health check. */
function badInput(ctx: ObserveContext, role: Role, fundsUnchanged: (why: string) => string | undefined): void {
  const placeholder = baseRequest(ctx, role);
  const cases = badInputCases(placeholder);
  const perCategory: Record<string, number> = {};
  const granted: { c: BadInputCase; a: ReserveAnswer }[] = [];
  const serverErrors: { c: BadInputCase; a: ReserveAnswer }[] = [];
  step(ctx, SUITE, `${cases.length} hostile reserveFunds requests`);
  for (const c of cases) {
    // Fresh references per case: a bank remembers answers per raasTxnRef, and each case must be judged on its own.
    const refs = ctx.nextRefs();
    const body = c.body.split(placeholder.raasTxnRef).join(refs.raasTxnRef).split(placeholder.clientTxnRef).join(refs.clientTxnRef);
    const request = { ...placeholder, ...refs };
    const headers = { ...ctx.client.headersFor(body), 'Content-Type': c.contentType };
    const answer = ctx.client.reserveRaw(`hostile reserveFunds: ${c.name}`, request, role, body, headers);
    perCategory[c.category] = (perCategory[c.category] ?? 0) + 1;
    if (releaseIfGranted(ctx, answer, role)) granted.push({ c, a: answer });
    else if (answer.status >= 500 || answer.status === 0) serverErrors.push({ c, a: answer });
  }
  step(ctx, SUITE, 'a valid request after the barrage');
  const after = ctx.client.reserve('reserveFunds, valid, after the hostile requests', baseRequest(ctx, role), role);
  releaseIfGranted(ctx, after, role);
  const moved = fundsUnchanged('after the hostile requests');
  const healthy = after.code === '0000';
  const tooMany5xx = serverErrors.length > Math.floor(cases.length * BAD_INPUT_5XX_BUDGET);
  const ok = granted.length === 0 && !tooMany5xx && healthy && moved === undefined;
  const reasons = [
    granted.length > 0 ? `${granted.length} hostile requests were granted (0000), e.g. ${granted.slice(0, 3).map((g) => g.c.name).join(', ')}` : '',
    tooMany5xx ? `${serverErrors.length} answers were 5xx or no answer (budget ${Math.floor(cases.length * BAD_INPUT_5XX_BUDGET)})` : '',
    !healthy ? `a valid request afterwards got ${answerOf(after)}` : '',
    moved ?? '',
  ].filter(Boolean);
  observe(ctx, {
    id: 'SEC-BAD-INPUT',
    status: ok ? 'pass' : 'fail',
    expected: 'every hostile request refused (never 0000, 5xx within budget) and the bank healthy afterwards',
    observed: `${cases.length} cases (${Object.entries(perCategory).map(([k, v]) => `${k} ${v}`).join(', ')}): ${granted.length} granted, ${serverErrors.length} 5xx or no answer; valid request afterwards: ${answerOf(after)}`,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    counts: { cases: cases.length, granted: granted.length, serverErrors: serverErrors.length, ...Object.fromEntries(Object.entries(perCategory).map(([k, v]) => [`category ${k}`, v])) },
    ...(ok ? {} : { evidence: [...granted, ...serverErrors].slice(0, 5).map((g) => g.a.exchange).concat(healthy ? [] : [after.exchange]) }),
  });
}
