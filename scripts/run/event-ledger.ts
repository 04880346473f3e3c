import type { LoadIterationEvent, LoadRefsEvent, ScenarioEvent } from '../../checks/events.ts';
import type { Plan } from '../../checks/plan.ts';
import { amountsFor } from '../../checks/requests.ts';
import type { LedgerRow } from '../../checks/ledger.ts';

/**
 * The ledger rows of a load run, from the load suite's compact events (checks/load-driver.ts).
 *
 * A VU writes one line per iteration, after it. So that a reserveFunds is still on record before it
 * leaves, this keeps a 'sent' row for the next reference of every VU: for reference 1 when the VU
 * announces its prefix, for n + 1 as soon as iteration n is reported. A request whose answer is lost,
 * or an iteration cut short, leaves its 'sent' row unanswered and cleanup cancels it by raasTxnRef.
 *
 * At the end, `finish` compares the iterations k6 started with the lines it got: when every started
 * iteration is accounted for, the references set aside for iterations that never began are marked
 * 'unsent' (nothing to cancel); otherwise they stay and cleanup cancels them (a bank that never saw
 * one answers 404, which settles it).
 */
export class LoadLedger {
  /** Per VU prefix: the next reference number, whose 'sent' row is already written. */
  private readonly next = new Map<string, number>();
  private lines = 0;
  /** References skipped between reported iterations: started, never reported. */
  private gaps = 0;
  private readonly amounts;
  private readonly pool: string;

  constructor(
    plan: Plan,
    private readonly add: (...rows: LedgerRow[]) => void,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.amounts = amountsFor(plan, plan.product.typicalAmount);
    this.pool = plan.accounts.load.length > 0 ? 'load' : 'funded';
  }

  /**
   * The ledger part of any scenario event: the functional suites' rows as they are, the load suite's
   * events through refs/iteration. False when the event is not about the ledger.
   */
  take(event: ScenarioEvent): boolean {
    if (event.t === 'ledger') this.add({ ...event.entry, by: 'scenario' });
    else if (event.t === 'refs') this.refs(event);
    else if (event.t === 'it') this.iteration(event);
    else return false;
    return true;
  }

  refs(e: LoadRefsEvent): void {
    if (this.next.has(e.prefix)) return;
    this.next.set(e.prefix, 1);
    this.add(this.row('sent', e.prefix, 1, { at: this.now(), account: this.pool }));
  }

  iteration(e: LoadIterationEvent): void {
    this.lines += 1;
    const expected = this.next.get(e.prefix) ?? 1;
    const rows: LedgerRow[] = [];
    // A line out of order (or a prefix never announced) still gets its 'sent' row, and every reference
    // between stays on record: those iterations started and never reported.
    for (let seq = expected + (this.next.has(e.prefix) ? 1 : 0); seq <= e.seq; seq += 1) rows.push(this.row('sent', e.prefix, seq, { at: e.sentAt, account: e.account }));
    if (e.seq > expected) this.gaps += e.seq - expected;
    rows.push(this.row('reserve', e.prefix, e.seq, { at: e.answeredAt || e.sentAt, account: e.account, reserveFundsTxnRef: e.ref, code: e.code, httpStatus: e.status }));
    if (e.outcome !== '') {
      rows.push(this.row('outcome', e.prefix, e.seq, { at: e.outcomeAt, account: e.account, reserveFundsTxnRef: e.ref, code: e.outcome, httpStatus: e.outcomeStatus }));
    }
    if (e.seq + 1 > expected) {
      this.next.set(e.prefix, e.seq + 1);
      rows.push(this.row('sent', e.prefix, e.seq + 1, { at: this.now(), account: this.pool }));
    }
    this.add(...rows);
  }

  /**
   * `started`: iterations k6 began (its bankcert_started counter), undefined when unknown (k6 killed).
   * Returns how many references set aside were never used.
   */
  finish(started: number | undefined): number {
    if (started === undefined || started !== this.lines + this.gaps) return 0;
    const rows = [...this.next].map(([prefix, seq]) => this.row('unsent', prefix, seq, { at: this.now(), account: this.pool }));
    this.add(...rows);
    return rows.length;
  }

  private row(
    kind: LedgerRow['kind'],
    prefix: string,
    seq: number,
    r: { at: string; account: string; reserveFundsTxnRef?: string; code?: string; httpStatus?: number },
  ): LedgerRow {
    return {
      kind,
      at: r.at,
      clientTxnRef: `${prefix}${seq}-c`,
      raasTxnRef: `${prefix}${seq}-r`,
      reserveFundsTxnRef: r.reserveFundsTxnRef ?? '',
      account: r.account,
      reserveAmount: this.amounts.reserveAmount,
      code: r.code ?? '',
      httpStatus: r.httpStatus ?? 0,
      feeAmount: this.amounts.feeAmount,
      clientShareAmount: this.amounts.clientShareAmount,
      settlementAmount: this.amounts.settlementAmount,
      by: 'scenario',
    };
  }
}
