import type { AckAnswer, ReserveAnswer } from '../client.ts';
import { DISPENSED, FAILURE_OUTCOMES } from '../codes.ts';
import type { Exchange, Observation } from '../events.ts';
import { cancelReference } from '../requests.ts';
import { observe, requestFor, step, wants, type FundedRole, type ObserveContext } from './context.ts';
import { FundsProbe, type Funds } from './funds-probe.ts';

const SUITE = 'safety';
type Role = FundedRole;

/** A non-zero outcome no table documents: "not dispensed" is any non-zero code, not a list the bank knows. */
export const UNDOCUMENTED_FAILURE = 9001;
const EVERY_FAILURE_CODE: readonly number[] = [...Object.keys(FAILURE_OUTCOMES).map(Number), UNDOCUMENTED_FAILURE];

/** What the probe account's funds are known to be, and why not when they are not. */
interface Measured {
  probe: FundsProbe;
  /** The available funds the harness expects now (its own holds included). */
  expected: number;
  /** Measures and, when known, moves `expected` to what was found. */
  measure(why: string, want: number): Funds;
}

/**
 * Money safety, observed black-box: the probe account's available funds are measured before and after
 * each effect, so a double debit, a missing release or a double hold shows as a number that is off.
 * A check that could not see its effect (no answer, a probe that could not measure) is inconclusive;
 * only a missing fixture skips.
 */
export function runSafety(ctx: ObserveContext): void {
  const probe = new FundsProbe(ctx, 'safety');
  const n = ctx.plan.safety.deliveries;
  const amount = ctx.plan.product.typicalAmount;
  // The funds measurements are shared by every check judged by funds: taken when any of them is observed.
  const measuresFunds = wants(ctx, 'SF-RELEASE', 'SF-DEBIT-ONCE', 'SF-TIMEOUT-CANCEL', 'SF-LATE-OUTCOME', 'RF-DUPLICATE');

  // First: the reservation whose outcome arrives after the platform's cut-off (SF-LATE-OUTCOME). The rest
  // of the suite runs while it is held, so the wait costs only what the suite does not already take.
  // Only when that check is observed: it makes the suite last at least safety.lateOutcomeS.
  const late = wants(ctx, 'SF-LATE-OUTCOME') ? startLateReservation(ctx, probe) : undefined;

  // Baseline twice: if funds differ although every probe reservation was released, releases leak and
  // no later measurement can be trusted.
  const declared = ctx.plan.accounts.probe?.balance;
  const hint = declared === undefined ? undefined : declared - (late?.granted ? late.amount : 0);
  const base: Funds = measuresFunds
    ? probe.measure('baseline', hint)
    : { known: false, reason: 'not measured: no observed check is judged by funds', requests: 0 };
  const again = base.known ? probe.measure('baseline, repeated', base.available) : base;
  const reliable = base.known && again.known && again.available === base.available;
  const leaked = base.known && again.known && again.available !== base.available;
  const unmeasured = !ctx.plan.accounts.probe
    ? undefined
    : !base.known
      ? base.reason
      : !again.known
        ? again.reason
        : leaked
          ? 'available funds cannot be measured: released reservations do not restore funds (see SF-RELEASE)'
          : undefined;
  // Funds effects are tested on the probe account when it can be measured; retries still run on funded otherwise.
  const role: Role = reliable || !ctx.plan.accounts.funded ? 'probe' : 'funded';
  const funds: Measured | undefined =
    reliable && base.known
      ? {
          probe,
          expected: base.available,
          measure(why, want) {
            const f = probe.measure(why, want);
            this.expected = f.known ? f.available : want;
            return f;
          },
        }
      : undefined;
  // Without a probe fixture the SF checks are skipped by the verdict (their `needs`); with one that could
  // not be measured they saw nothing.
  const notMeasured = (): Pick<Observation, 'status' | 'reason'> => ({
    status: 'inconclusive',
    reason: unmeasured ?? 'the probe account could not be measured',
  });
  const deliveries: AckAnswer[] = [];

  // --- SF-RELEASE and the failure half of TR-RETRY
  if (wants(ctx, 'SF-RELEASE', 'TR-RETRY')) {
    const releaseSeq = finishTimes(ctx, role, amount, ctx.plan.cancel.responseCode, n, false, deliveries);
    // Measured whenever funds are, even without SF-RELEASE: a later check's expectation must start from what the bank holds.
    const r1 = funds?.measure('after a failure outcome delivered in sequence', funds.expected);
    const releaseCon = finishTimes(ctx, role, amount, ctx.plan.cancel.responseCode, n, true, deliveries);
    const r2 = funds?.measure('after a failure outcome delivered concurrently', funds.expected);
    const everyCode = funds && wants(ctx, 'SF-RELEASE') ? releaseEveryCode(ctx, funds, amount) : undefined;
    if (leaked && base.known && again.known) {
      observe(ctx, {
        id: 'SF-RELEASE',
        status: 'fail',
        expected: 'available funds unchanged after a released reservation',
        observed: `available funds fell from ${base.available} to ${again.available} although every probe reservation was released`,
        reason: 'each funds probe reserves and at once releases; the release did not restore the funds',
        counts: { probeReservations: probe.total },
      });
    } else if (!funds || !base.known) {
      if (ctx.plan.accounts.probe)
        observe(ctx, {
          id: 'SF-RELEASE',
          ...notMeasured(),
          expected: 'available funds unchanged after a released reservation',
          observed: 'not measured',
          counts: { probeReservations: probe.total },
        });
    } else {
      observe(ctx, judgeRelease(base.available, amount, [r1, r2], [releaseSeq, releaseCon], everyCode, probe.total, n));
    }
  }

  // --- SF-DEBIT-ONCE and the dispensed half of TR-RETRY
  if (wants(ctx, 'SF-DEBIT-ONCE', 'TR-RETRY')) {
    const beforeDebit = funds?.expected ?? 0;
    const debitSeq = finishTimes(ctx, role, amount, DISPENSED, n, false, deliveries);
    const d1 = funds?.measure('after a dispensed outcome delivered in sequence', beforeDebit - amount);
    const beforeConcurrent = funds?.expected ?? 0;
    const debitCon = finishTimes(ctx, role, amount, DISPENSED, n, true, deliveries);
    const d2 = funds?.measure('after a dispensed outcome delivered concurrently', beforeConcurrent - amount);
    if (!funds) {
      if (ctx.plan.accounts.probe)
        observe(ctx, { id: 'SF-DEBIT-ONCE', ...notMeasured(), expected: 'available funds fall by exactly reserveAmount', observed: 'not measured' });
    } else {
      const falls = [d1?.known ? beforeDebit - d1.available : undefined, d2?.known ? beforeConcurrent - d2.available : undefined];
      const seen = debitSeq.reserved && debitCon.reserved && falls.every((f) => f !== undefined);
      const ok = falls.every((f) => f === amount);
      const wrong = falls.some((f) => f !== undefined && f !== amount);
      const unseen = [d1, d2].find((f): f is Extract<Funds, { known: false }> => f !== undefined && !f.known);
      observe(ctx, {
        id: 'SF-DEBIT-ONCE',
        status: wrong ? 'fail' : seen && ok ? 'pass' : 'inconclusive',
        expected: `available funds fall by exactly ${amount} per dispensed reservation, however often it is delivered`,
        observed: `fell by ${falls[0] ?? 'unknown'} after ${n} sequential deliveries, by ${falls[1] ?? 'unknown'} after ${n} concurrent deliveries`,
        ...(wrong || (seen && ok)
          ? {}
          : { reason: !debitSeq.reserved || !debitCon.reserved ? 'a reservation to debit was not granted' : (unseen?.reason ?? 'funds not measured') }),
        counts: { deliveries: 2 * n, probeReservations: probe.total },
        ...(seen && ok ? {} : { evidence: [...debitSeq.evidence, ...debitCon.evidence].slice(0, 3) }),
      });
    }
  }

  if (wants(ctx, 'TR-RETRY')) observe(ctx, judgeRetries(deliveries, n));
  if (wants(ctx, 'RF-DUPLICATE')) duplicateReserve(ctx, role, amount, funds);
  if (wants(ctx, 'SF-TIMEOUT-CANCEL')) timeoutCancel(ctx, amount, funds, notMeasured);
  if (wants(ctx, 'RF-REF-UNIQUE')) concurrentReservations(ctx);
  if (late) finishLateReservation(ctx, late, funds, notMeasured);
  if (wants(ctx, 'SF-CLEANUP')) leaveOneForCleanup(ctx);
}

/** Reserves `amount` on `role` and delivers one outcome `times` times; the reservation's refusal is evidence too. */
function finishTimes(ctx: ObserveContext, role: Role, amount: number, code: number, times: number, concurrent: boolean, sink: AckAnswer[]) {
  const what = `${code === DISPENSED ? 'dispensed' : `failed (${code})`} outcome ×${times} ${concurrent ? 'concurrently' : 'in sequence'}`;
  step(ctx, SUITE, what);
  const reservation = reserveOn(ctx, role, amount, `reserveFunds ${amount} on ${role} for a ${what}`);
  if (reservation.code !== '0000' || reservation.reserveFundsTxnRef === undefined) {
    return { reserved: false, evidence: [reservation.exchange] as Exchange[] };
  }
  const acks = ctx.client.transactResultTimes(`transactResult ${what}`, reservation.request, reservation.reserveFundsTxnRef, code, role, times, concurrent);
  sink.push(...acks);
  return { reserved: true, evidence: acks.map((a) => a.exchange) };
}

type Finished = ReturnType<typeof finishTimes>;

/** Every failure code the platform documents, and one it does not, each must release (docs/checks.md, SF-RELEASE). */
interface EveryCode {
  /** Funds fell by this much after one reservation per code, each finished with its code. */
  shortfall: number | undefined;
  /** Codes whose reservation was granted and finished. */
  finished: number[];
  /** When the total was off: the codes that did not release, found one by one. */
  notReleased: number[];
  reason?: string;
  evidence: Exchange[];
}

function releaseEveryCode(ctx: ObserveContext, funds: Measured, amount: number): EveryCode {
  step(ctx, SUITE, `a reservation released by each failure code (${EVERY_FAILURE_CODE.join(', ')})`);
  const finishWith = (code: number): { ack?: AckAnswer; refused?: ReserveAnswer } => {
    const r = reserveOn(ctx, 'probe', amount, `reserveFunds ${amount} on probe, to be released with failure code ${code}`);
    if (r.code !== '0000' || r.reserveFundsTxnRef === undefined) return { refused: r };
    return { ack: ctx.client.outcome(`transactResult ${code} (not dispensed)`, r, code, 'probe') };
  };
  const before = funds.expected;
  const results = EVERY_FAILURE_CODE.map((code) => ({ code, ...finishWith(code) }));
  const finished = results.filter((r) => r.ack).map((r) => r.code);
  const refused = results.filter((r) => r.refused);
  const after = funds.measure('after one reservation per failure code', before);
  if (!after.known) return { shortfall: undefined, finished, notReleased: [], reason: after.reason, evidence: [] };
  const shortfall = before - after.available;
  if (shortfall === 0) {
    return {
      shortfall,
      finished,
      notReleased: [],
      evidence: [],
      ...(refused.length > 0 ? { reason: `${refused.length} reservation(s) were not granted` } : {}),
    };
  }
  // The total is off: find out which codes, one reservation and one measurement each.
  const notReleased: number[] = [];
  const evidence: Exchange[] = [];
  for (const code of finished) {
    const start = funds.expected;
    const { ack } = finishWith(code);
    const f = funds.measure(`after failure code ${code} alone`, start);
    if (f.known && f.available !== start) {
      notReleased.push(code);
      if (ack) evidence.push(ack.exchange);
    }
  }
  return { shortfall, finished, notReleased, evidence };
}

function judgeRelease(
  want: number,
  amount: number,
  measured: (Funds | undefined)[],
  runs: Finished[],
  everyCode: EveryCode | undefined,
  probeReservations: number,
  n: number,
): Observation {
  const got = measured.map((f) => (f?.known ? f.available : undefined));
  const codes = EVERY_FAILURE_CODE.map((c) => (c === UNDOCUMENTED_FAILURE ? `${c} (undocumented)` : String(c))).join(', ');
  const expected = `available funds back to ${want} after each released reservation of ${amount}, with retries and with every failure code (${codes})`;
  const retriesWrong = got.some((g) => g !== undefined && g !== want);
  const codesWrong = everyCode !== undefined && everyCode.shortfall !== undefined && everyCode.shortfall !== 0;
  const observed = [
    `${got.map((g) => g ?? 'unknown').join(' (sequential retries), ')} (concurrent retries)`,
    everyCode === undefined || everyCode.shortfall === undefined
      ? 'every-code check not measured'
      : everyCode.shortfall === 0
        ? `every failure code released (${everyCode.finished.length} of ${EVERY_FAILURE_CODE.length} granted)`
        : `funds fell by ${everyCode.shortfall} after ${everyCode.finished.length} failure outcomes${everyCode.notReleased.length > 0 ? `; not released by ${everyCode.notReleased.join(', ')}` : ''}`,
  ].join('; ');
  const counts = { deliveries: 2 * n, failureCodes: everyCode?.finished.length ?? 0, probeReservations };
  if (retriesWrong || codesWrong) {
    return {
      id: 'SF-RELEASE',
      status: 'fail',
      expected,
      observed,
      ...(codesWrong && (everyCode?.notReleased.length ?? 0) > 0 ? { reason: 'a bank must release on every non-zero outcome, documented or not' } : {}),
      counts,
      evidence: [...(everyCode?.evidence ?? []), ...runs.flatMap((r) => r.evidence)].slice(0, 4),
    };
  }
  const unseen = [
    ...measured.filter((f): f is Extract<Funds, { known: false }> => f !== undefined && !f.known).map((f) => f.reason),
    ...(runs.every((r) => r.reserved) ? [] : ['a reservation to release was not granted']),
    ...(everyCode === undefined || everyCode.shortfall === undefined ? [everyCode?.reason ?? 'the every-code check was not measured'] : []),
    ...(everyCode?.reason && everyCode.shortfall !== undefined ? [everyCode.reason] : []),
  ];
  return {
    id: 'SF-RELEASE',
    status: unseen.length === 0 ? 'pass' : 'inconclusive',
    expected,
    observed,
    ...(unseen.length === 0 ? {} : { reason: unseen.join('; '), evidence: runs.flatMap((r) => r.evidence).slice(0, 3) }),
    counts,
  };
}

/** TR-RETRY: every delivery an HTTP answer of 200; a delivery that got no answer at all was not seen. */
function judgeRetries(deliveries: readonly AckAnswer[], n: number): Observation {
  const bad = deliveries.filter((d) => d.status !== 200 && d.status !== 0);
  const unanswered = deliveries.filter((d) => d.status === 0);
  const expected = `HTTP 200 for every one of ${n} sequential and ${n} concurrent deliveries, dispensed and failed`;
  const counts = { deliveries: deliveries.length, notHttp200: bad.length, unanswered: unanswered.length };
  if (bad.length > 0) {
    return {
      id: 'TR-RETRY',
      status: 'fail',
      expected,
      observed: `${bad.length} of ${deliveries.length} deliveries answered ${[...new Set(bad.map((b) => `HTTP ${b.status}`))].join(', ')}`,
      counts,
      evidence: bad.slice(0, 3).map((b) => b.exchange),
    };
  }
  if (deliveries.length === 0 || unanswered.length > 0) {
    return {
      id: 'TR-RETRY',
      status: 'inconclusive',
      expected,
      observed: `${deliveries.length - unanswered.length} of ${deliveries.length} deliveries answered, all HTTP 200`,
      reason: deliveries.length === 0 ? 'no reservation was granted to deliver outcomes for' : `${unanswered.length} deliveries got no HTTP answer`,
      counts,
      ...(unanswered.length > 0 ? { evidence: unanswered.slice(0, 3).map((u) => u.exchange) } : {}),
    };
  }
  return { id: 'TR-RETRY', status: 'pass', expected, observed: `${deliveries.length} deliveries, all HTTP 200`, counts };
}

function reserveOn(ctx: ObserveContext, role: Role, amount: number, what: string): ReserveAnswer {
  return ctx.client.reserve(what, requestFor(ctx, role, amount), role);
}

/** Releases every distinct reservation among the answers (a bank that held twice has two). */
function releaseAll(ctx: ObserveContext, answers: readonly ReserveAnswer[], role: Role): void {
  const seen = new Set<string>();
  for (const a of answers) {
    if (a.code !== '0000' || a.reserveFundsTxnRef === undefined || seen.has(a.reserveFundsTxnRef)) continue;
    seen.add(a.reserveFundsTxnRef);
    ctx.client.outcome(`release ${a.exchange.step}`, a, ctx.plan.cancel.responseCode, role);
  }
}

/**
 * RF-DUPLICATE: the same reserveFunds twice, in sequence and concurrently. Two different references
 * are two holds; with a measurable probe account the held funds are checked as well. A mode in which
 * no copy was granted, or a copy got no answer, compared nothing: it is inconclusive.
 */
function duplicateReserve(ctx: ObserveContext, role: Role, amount: number, funds: Measured | undefined): void {
  const findings: string[] = [];
  const evidence: Exchange[] = [];
  const unseen: string[] = [];
  let failed = false;
  for (const concurrent of [false, true]) {
    const mode = concurrent ? 'concurrently' : 'in sequence';
    step(ctx, SUITE, `the same reserveFunds twice ${mode}`);
    const request = requestFor(ctx, role, amount);
    const what = `reserveFunds ${amount} on ${role}, sent twice ${mode}`;
    const answers = concurrent
      ? ctx.client.reserveBatch(what, [request, request], role)
      : [ctx.client.reserve(what, request, role), ctx.client.reserve(`${what} (repeat)`, request, role)];
    const refs = new Set(answers.filter((a) => a.code === '0000').map((a) => a.reserveFundsTxnRef));
    let held: number | undefined;
    if (funds && refs.size > 0) {
      const before = funds.expected;
      const f = funds.probe.measure(`while a repeated reserveFunds is held (${mode})`, before - amount);
      if (f.known) held = before - f.available;
    }
    releaseAll(ctx, answers, role);
    if (funds) funds.measure(`after releasing the repeated reserveFunds (${mode})`, funds.expected);
    const twice = refs.size > 1 || (held !== undefined && held > amount);
    if (twice) {
      failed = true;
      evidence.push(...answers.map((a) => a.exchange));
    } else if (answers.some((a) => a.status === 0)) {
      unseen.push(`${mode}: a copy got no HTTP answer`);
      evidence.push(...answers.map((a) => a.exchange));
    } else if (refs.size === 0) {
      unseen.push(`${mode}: no copy was granted, so there was no reservation to repeat`);
      evidence.push(...answers.map((a) => a.exchange));
    }
    findings.push(`${mode}: ${refs.size} distinct reservation(s)${held === undefined ? '' : `, ${held} held`}`);
  }
  observe(ctx, {
    id: 'RF-DUPLICATE',
    status: failed ? 'fail' : unseen.length > 0 ? 'inconclusive' : 'pass',
    expected: `a repeated reserveFunds (same raasTxnRef) holds ${amount} once, or is refused`,
    observed: findings.join('; '),
    ...(failed
      ? {}
      : unseen.length > 0
        ? { reason: unseen.join('; ') }
        : funds
          ? {}
          : { reason: 'judged by references only: the probe account could not be measured' }),
    ...(failed || unseen.length > 0 ? { evidence: evidence.slice(0, 4) } : {}),
  });
}

/**
 * SF-TIMEOUT-CANCEL (docs/checks.md): the platform never saw the answer, so its cancel carries no
 * bank reference. The harness does get the answer, and uses it only to clean up if the cancel fails.
 */
function timeoutCancel(ctx: ObserveContext, amount: number, funds: Measured | undefined, notMeasured: () => Pick<Observation, 'status' | 'reason'>): void {
  const expected = 'the cancel is acknowledged (HTTP 200) and the funds are released';
  if (!funds) {
    if (ctx.plan.accounts.probe) observe(ctx, { id: 'SF-TIMEOUT-CANCEL', ...notMeasured(), expected, observed: 'not run' });
    return;
  }
  step(ctx, SUITE, 'a reservation the platform abandoned, then its cancel');
  const before = funds.expected;
  const abandoned = reserveOn(ctx, 'probe', amount, `reserveFunds ${amount} on probe whose answer the platform abandons`);
  if (abandoned.code !== '0000') {
    observe(ctx, {
      id: 'SF-TIMEOUT-CANCEL',
      status: 'inconclusive',
      expected,
      observed: `reserveFunds answered ${abandoned.code ?? `HTTP ${abandoned.status}`}`,
      reason: 'the reservation to abandon was not granted',
      evidence: [abandoned.exchange],
    });
    return;
  }
  const cancelRef = cancelReference(ctx.plan, abandoned.request.raasTxnRef);
  const cancel = ctx.client.transactResult(
    `cancel after the 5 s cut-off (reserveFundsTxnRef ${cancelRef === '' ? 'empty' : '= raasTxnRef'}, code ${ctx.plan.cancel.responseCode})`,
    abandoned.request,
    cancelRef,
    ctx.plan.cancel.responseCode,
    'probe',
  );
  const f = funds.measure('after the cancel', before);
  const released = f.known && f.available === before;
  if (!released) {
    ctx.client.outcome('release the abandoned reservation by its reference (the cancel did not)', abandoned, ctx.plan.cancel.responseCode, 'probe');
    funds.measure('after releasing the abandoned reservation by its reference', before);
  }
  const ok = cancel.status === 200 && released;
  const unseen = cancel.status === 0 ? 'the cancel got no HTTP answer' : !f.known ? f.reason : undefined;
  observe(ctx, {
    id: 'SF-TIMEOUT-CANCEL',
    status: ok ? 'pass' : unseen !== undefined ? 'inconclusive' : 'warn',
    expected,
    observed: `cancel answered ${cancel.status === 0 ? 'nothing' : `HTTP ${cancel.status}`}; available funds ${f.known ? `${f.available} (before: ${before})` : 'unknown'}`,
    ...(ok ? {} : { reason: unseen ?? "the buyer's money stays held until the 7-day exception report", evidence: [cancel.exchange] }),
  });
}

/** Reservations at once, for RF-REF-UNIQUE (judged over the whole run's ledger by the CLI). */
function concurrentReservations(ctx: ObserveContext): void {
  if (!ctx.plan.accounts.funded) return;
  const k = ctx.plan.safety.concurrentReservations;
  step(ctx, SUITE, `${k} reservations at once`);
  const requests = Array.from({ length: k }, () => requestFor(ctx, 'funded', ctx.plan.product.typicalAmount));
  const answers = ctx.client.reserveBatch(`reserveFunds on funded, ${k} at once`, requests, 'funded');
  releaseAll(ctx, answers, 'funded');
}

/** SF-LATE-OUTCOME's reservation, made before anything else in the suite. */
interface LateReservation {
  granted: boolean;
  amount: number;
  answer?: ReserveAnswer;
  /** When the answer came back (ms, from the suite's clock): the outcome waits safety.lateOutcomeS from here. */
  at: number;
}

/** The suite's clock in milliseconds: never Date.now(), so verify replays the wait and the elapsed time. */
function clockMs(ctx: ObserveContext): number {
  return Date.parse(ctx.now());
}

function startLateReservation(ctx: ObserveContext, probe: FundsProbe): LateReservation {
  const lowest = Math.max(ctx.plan.limits.minimumAmount, 1);
  // An amount no other safety step uses, so funds coming back by exactly this much can only be this hold.
  const amount = Math.min(lowest + 1, ctx.plan.limits.maximumAmount);
  if (!ctx.plan.accounts.probe) return { granted: false, amount, at: clockMs(ctx) };
  step(ctx, SUITE, `a reservation whose dispensed outcome comes ${ctx.plan.safety.lateOutcomeS} s later`);
  const answer = reserveOn(ctx, 'probe', amount, `reserveFunds ${amount} on probe, to be finished after the 5 s cut-off`);
  const granted = answer.code === '0000' && answer.reserveFundsTxnRef !== undefined;
  if (granted) probe.holdAside(amount);
  return { granted, amount, answer, at: clockMs(ctx) };
}

/**
 * SF-LATE-OUTCOME: the dispensed outcome of the first reservation, at least safety.lateOutcomeS after it
 * (an outcome can arrive well after the 5 s cut-off: docs/checks.md). Acknowledged with 200 and debited once: a
 * debit leaves available funds where the hold had them; a release would bring them back, a double debit
 * take them down again, and a bank whose hold vanished meanwhile gave the funds back before any outcome.
 */
function finishLateReservation(
  ctx: ObserveContext,
  late: LateReservation,
  funds: Measured | undefined,
  notMeasured: () => Pick<Observation, 'status' | 'reason'>,
): void {
  const seconds = ctx.plan.safety.lateOutcomeS;
  const expected = `a dispensed outcome ${seconds} s after the reservation is acknowledged with HTTP 200 and debits ${late.amount} once`;
  if (!ctx.plan.accounts.probe) return;
  const answer = late.answer;
  if (!late.granted || !answer) {
    observe(ctx, {
      id: 'SF-LATE-OUTCOME',
      status: 'inconclusive',
      expected,
      observed: `the reservation answered ${answer?.code ?? `HTTP ${answer?.status ?? 0}`}`,
      reason: 'the reservation to finish late was not granted',
      ...(answer ? { evidence: [answer.exchange] } : {}),
    });
    return;
  }
  const waitS = seconds - (clockMs(ctx) - late.at) / 1000;
  step(ctx, SUITE, `waiting ${Math.max(0, waitS).toFixed(1)} s more for the late outcome (${seconds} s after the reservation)`);
  if (waitS > 0) ctx.sleep(waitS);
  const elapsedS = (clockMs(ctx) - late.at) / 1000;
  funds?.probe.endHoldAside();
  const ack = ctx.client.outcome(`transactResult 0 (dispensed), ${elapsedS.toFixed(1)} s after the reservation`, answer, DISPENSED, 'probe');
  const before = funds?.expected;
  const after = funds && before !== undefined ? funds.measure('after the late dispensed outcome', before) : undefined;
  const vanished = funds?.probe.vanished;
  const moved = after?.known && before !== undefined ? after.available - before : undefined;
  const problems = [
    ack.status !== 200 && ack.status !== 0 ? `the outcome was answered HTTP ${ack.status}` : '',
    vanished
      ? `the bank gave the ${vanished.amount} back before any outcome (noticed ${vanished.noticed}): the hold expired, so the dispensed product would never be paid for`
      : '',
    moved !== undefined && moved > 0 ? `available funds rose by ${moved}: the outcome released instead of debiting` : '',
    moved !== undefined && moved < 0 ? `available funds fell by ${-moved} more: debited twice` : '',
  ].filter(Boolean);
  const unseen =
    ack.status === 0 ? 'the outcome got no HTTP answer' : !funds ? (notMeasured().reason ?? 'not measured') : after && !after.known ? after.reason : undefined;
  observe(ctx, {
    id: 'SF-LATE-OUTCOME',
    status: problems.length > 0 ? 'fail' : unseen !== undefined ? 'inconclusive' : 'pass',
    expected,
    observed: `outcome ${elapsedS.toFixed(1)} s after the reservation answered ${ack.status === 0 ? 'nothing' : `HTTP ${ack.status}`}; available funds ${moved === undefined ? 'not measured' : moved === 0 ? 'unchanged (debited once)' : `moved by ${moved}`}`,
    ...(problems.length > 0
      ? { reason: problems.join('; '), evidence: [answer.exchange, ack.exchange] }
      : unseen !== undefined
        ? { reason: unseen, evidence: [ack.exchange] }
        : {}),
  });
}

/**
 * One reservation is left open on purpose: the CLI's cleanup must finish it after k6 ends, so the
 * path that protects buyers after an aborted run is exercised on every run (SF-CLEANUP).
 */
function leaveOneForCleanup(ctx: ObserveContext): void {
  if (!ctx.plan.accounts.funded) return;
  step(ctx, SUITE, 'a reservation left open for the post-run cleanup');
  reserveOn(ctx, 'funded', ctx.plan.product.typicalAmount, 'reserveFunds on funded, left open for the post-run cleanup');
}
