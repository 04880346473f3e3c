import type { Exchange } from '../events.ts';
import type { Suite } from '../ids.ts';
import { requestFor, step, type ObserveContext } from './context.ts';

/** What the probe learned about the probe account's available funds. */
export type Funds = { known: true; available: number; requests: number } | { known: false; reason: string; requests: number; evidence?: Exchange[] };

/** Upper bound on probe reservations per measurement: bisection over 12-digit amounts needs 40. */
const MAX_PROBE_RESERVES = 48;

/**
 * Measures what the probe account can still hold using only the two endpoints (the API has no
 * balance query): a reservation of x succeeds iff available ≥ x; each successful probe is released at
 * once with a failure outcome. With a hint (the value the harness expects) two reservations confirm
 * it exactly (hint fits, hint + 1 does not); otherwise, or when the hint is wrong, it bisects.
 */
export class FundsProbe {
  /** Reservations sent by the probe over the whole run (reported, and bounded per measurement). */
  total = 0;
  /** A reservation the harness keeps held on the probe account across measurements (SF-LATE-OUTCOME's). */
  private longHold: { amount: number } | undefined;
  /** Set once the long hold's funds came back without an outcome: the bank dropped the hold on its own. */
  vanished: { amount: number; noticed: string } | undefined;

  /** `suite`: whose progress lines the probe's steps appear under. */
  constructor(
    private readonly ctx: ObserveContext,
    private readonly suite: Suite,
  ) {}

  /**
   * Declares a reservation that stays held while other checks measure. If a later measurement finds
   * exactly its amount back, the bank let the hold go without an outcome: that is recorded, and every
   * measurement from then on is given as if it were still held, so the other checks judge only their own effects.
   */
  holdAside(amount: number): void {
    this.longHold = { amount };
  }

  /** The long hold gets its outcome now: from here on its funds moving is that outcome's effect. */
  endHoldAside(): void {
    this.longHold = undefined;
  }

  measure(why: string, hint?: number): Funds {
    const offset = this.vanished?.amount ?? 0;
    const raw = this.measureRaw(why, hint === undefined ? undefined : hint + offset);
    if (!raw.known) return raw;
    if (this.longHold && !this.vanished && hint !== undefined && raw.available === hint + this.longHold.amount) {
      this.vanished = { amount: this.longHold.amount, noticed: why };
      return { ...raw, available: hint };
    }
    return { ...raw, available: raw.available - offset };
  }

  private measureRaw(why: string, hint: number | undefined): Funds {
    const acct = this.ctx.plan.accounts.probe;
    if (!acct) return { known: false, reason: 'no accounts.probe fixture in the configuration', requests: 0 };
    const { minimumAmount, maximumAmount } = this.ctx.plan.limits;
    const lowest = Math.max(minimumAmount, 1);
    let requests = 0;
    let failure: { reason: string; evidence?: Exchange[] } | undefined;
    step(this.ctx, this.suite, `probe available funds (${why})`);

    const fits = (amount: number): boolean | undefined => {
      requests += 1;
      this.total += 1;
      const answer = this.ctx.client.reserve(`funds probe: reserveFunds ${amount} on probe (${why})`, requestFor(this.ctx, 'probe', amount), 'probe');
      if (answer.code === '2010') return false;
      if (answer.code === '0000' && answer.reserveFundsTxnRef !== undefined) {
        const ack = this.ctx.client.outcome(`funds probe: release ${amount}`, answer, this.ctx.plan.cancel.responseCode, 'probe');
        if (ack.status !== 200) failure = { reason: `the probe's release answered HTTP ${ack.status}`, evidence: [ack.exchange] };
        return failure ? undefined : true;
      }
      failure = {
        reason: `probe reserveFunds for ${amount} answered ${answer.code ?? `HTTP ${answer.status}`} (expected 0000 or 2010)`,
        evidence: [answer.exchange],
      };
      return undefined;
    };
    const unknown = (reason: string): Funds => ({ known: false, reason, requests, ...(failure?.evidence ? { evidence: failure.evidence } : {}) });

    if (hint !== undefined && hint >= lowest && hint < maximumAmount) {
      const atHint = fits(hint);
      if (atHint === undefined) return unknown(failure?.reason ?? 'probe failed');
      if (atHint) {
        const above = fits(hint + 1);
        if (above === undefined) return unknown(failure?.reason ?? 'probe failed');
        if (!above) return { known: true, available: hint, requests };
      }
    }
    // Invariant: available ≥ lo (lo fits) and available < hi (hi does not).
    const atLowest = fits(lowest);
    if (atLowest === undefined) return unknown(failure?.reason ?? 'probe failed');
    if (!atLowest) return unknown(`the probe account cannot hold limits.minimumAmount (${lowest}): fund it`);
    const atMax = fits(maximumAmount);
    if (atMax === undefined) return unknown(failure?.reason ?? 'probe failed');
    if (atMax)
      return unknown(
        `the probe account can hold limits.maximumAmount (${maximumAmount}), so its available funds cannot be measured: use an account with a balance below the maximum`,
      );
    let lo = lowest;
    let hi = maximumAmount;
    while (hi - lo > 1) {
      if (requests >= MAX_PROBE_RESERVES) return unknown(`the probe did not converge within ${MAX_PROBE_RESERVES} reservations`);
      const mid = lo + Math.floor((hi - lo) / 2);
      const r = fits(mid);
      if (r === undefined) return unknown(failure?.reason ?? 'probe failed');
      if (r) lo = mid;
      else hi = mid;
    }
    return { known: true, available: lo, requests };
  }
}
