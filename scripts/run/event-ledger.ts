import { decodeRecords, jsonString, loadAccountRoles, type IterationRecord, type LoadRecordsEvent } from '../../checks/load-records.ts';
import type { ScenarioEvent } from '../../checks/events.ts';
import type { Plan } from '../../checks/plan.ts';
import { amountsFor } from '../../checks/requests.ts';
import { settles, type LedgerRow } from '../../checks/ledger.ts';
import type { LoadRows } from '../ledger/ledger.ts';

/**
 * The ledger rows of a load run, from the load suite's records (checks/load-records.ts).
 *
 * A VU writes its records in batches, after the iterations. So that a reserveFunds is still on record
 * before it leaves, this keeps a 'sent' row for every reference a VU may send before its next line:
 * each line (the prefix's announcement, then every batch) says the highest number the VU may reach
 * before the next one (`upto`), and every number up to it gets its 'sent' row as soon as the line is
 * read. The invariant: for every VU, the references without a record are either ones no request was
 * built for yet, or numbers in (last reported, upto], all of which are on record as 'sent'. A request
 * whose answer is lost, or an iteration cut short, leaves its 'sent' row unanswered and cleanup cancels
 * it by raasTxnRef (a bank that never saw it answers 404, which settles it).
 *
 * At the end, `finish` compares the iterations k6 started with the records it got: when every started
 * iteration is accounted for, the references set aside past each VU's last record are marked 'unsent'
 * (nothing to cancel); otherwise they stay and cleanup cancels them.
 */
/** Where the rows go: a LedgerFile (which can take them already serialized), or any function. */
export type RowSink =
  | ((...rows: LedgerRow[]) => void)
  | { add(...rows: LedgerRow[]): void; addSerialized?(rows: readonly LedgerRow[], ndjson: string): void; addLoad?(batch: LoadRows): void };

export class EventLedger {
  /** Per VU prefix: the highest reference number with a 'sent' row, and the highest reported. */
  private readonly vus = new Map<string, { announced: number; reported: number }>();
  private reported = 0;
  /** References skipped between reported iterations: started, never reported. */
  private gaps = 0;
  private readonly amounts;
  private readonly pool: string;
  private readonly roles: string[];
  private readonly out: RowSink;
  /** The amounts' part of every row's JSON, after `"account":…`: the same for every load row. */
  private readonly amountsJson: { reserve: string; rest: string };

  constructor(
    plan: Plan,
    out: RowSink,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {
    this.out = out;
    this.amounts = amountsFor(plan, plan.product.typicalAmount);
    this.pool = plan.accounts.load.length > 0 ? 'load' : 'funded';
    this.roles = loadAccountRoles(plan);
    this.amountsJson = {
      reserve: `,"reserveAmount":${this.amounts.reserveAmount}`,
      rest: `,"feeAmount":${this.amounts.feeAmount},"clientShareAmount":${this.amounts.clientShareAmount},"settlementAmount":${this.amounts.settlementAmount},"by":"scenario"}`,
    };
  }

  /**
   * The rows, and to a LedgerFile their ndjson lines written by template: exactly JSON.stringify of each
   * row (event-ledger.test.ts), at a fraction of its cost.
   */
  private add(...rows: LedgerRow[]): void {
    if (typeof this.out === 'function') {
      this.out(...rows);
      return;
    }
    if (!this.out.addSerialized) {
      this.out.add(...rows);
      return;
    }
    this.out.addSerialized(rows, this.serialize(rows));
  }

  private serialize(rows: readonly LedgerRow[]): string {
    let text = '';
    for (const r of rows) {
      text += `{"kind":"${r.kind}","at":${jsonString(r.at)},"clientTxnRef":${jsonString(r.clientTxnRef)},"raasTxnRef":${jsonString(r.raasTxnRef)},"reserveFundsTxnRef":${jsonString(r.reserveFundsTxnRef)},"account":${jsonString(r.account)}${this.amountsJson.reserve},"code":${jsonString(r.code)},"httpStatus":${r.httpStatus}${this.amountsJson.rest}\n`;
    }
    return text;
  }

  /**
   * To a LedgerFile that settles load iterations (LedgerFile.addLoad): every row to the file, the 'sent'
   * rows held by reference, and each reported iteration either kept as rows or, settled, only counted.
   */
  private addLoad(rows: readonly LedgerRow[], sent: readonly LedgerRow[], iterations: readonly { reserve: LedgerRow; outcome?: LedgerRow }[]): boolean {
    if (typeof this.out === 'function' || !this.out.addLoad) return false;
    const kept: LedgerRow[] = [];
    const settled: LoadRows['settled'][number][] = [];
    for (const { reserve, outcome } of iterations) {
      if (settles(reserve, outcome)) settled.push({ raasTxnRef: reserve.raasTxnRef, answer: reserve, ...(outcome ? { outcomeCode: outcome.code } : {}) });
      else kept.push(reserve, ...(outcome ? [outcome] : []));
    }
    this.out.addLoad({ ndjson: this.serialize(rows), sent, kept, settled });
    return true;
  }

  /** Records reported so far. */
  get records(): number {
    return this.reported;
  }

  /**
   * The ledger part of any scenario event: the functional suites' rows as they are, the load suite's
   * announcements and batches. Returns the batch's records (decoded once, for the figures too), [] for
   * other ledger events, undefined when the event is not about the ledger.
   */
  take(event: ScenarioEvent): IterationRecord[] | undefined {
    // The functional suites' rows as they come (their keys in their own order): serialized by the file.
    if (event.t === 'ledger') (typeof this.out === 'function' ? this.out : this.out.add.bind(this.out))({ ...event.entry, by: 'scenario' });
    else if (event.t === 'refs') this.announce(event.prefix, event.upto ?? 1);
    else if (event.t === 'recs') return this.batch(event);
    else return undefined;
    return [];
  }

  /** A batch of one VU's records: its rows, then 'sent' rows up to the VU's new horizon. */
  batch(e: LoadRecordsEvent): IterationRecord[] {
    const records = decodeRecords(e, this.roles);
    const vu = this.vus.get(e.prefix) ?? { announced: 0, reported: 0 };
    this.vus.set(e.prefix, vu);
    const rows: LedgerRow[] = [];
    // Records out of order (or a prefix never announced) still get their 'sent' rows, and every reference
    // between stays on record: those iterations started and never reported.
    const first = e.from;
    const last = e.from + records.length - 1;
    for (let seq = vu.announced + 1; seq <= last; seq += 1)
      rows.push(this.row('sent', e.prefix, seq, { at: new Date(records[Math.max(0, seq - first)]?.startMs ?? Date.now()).toISOString(), account: this.pool }));
    const sent = rows.slice();
    if (records.length > 0 && first > vu.reported + 1) this.gaps += first - (vu.reported + 1);
    const iterations: { reserve: LedgerRow; outcome?: LedgerRow }[] = [];
    for (const r of records) {
      // The answer's time is also the outcome's timestamp (checks/load-records.ts).
      const at = new Date(r.endMs).toISOString();
      const reserve = this.row('reserve', e.prefix, r.seq, { at, account: r.account, reserveFundsTxnRef: r.ref, code: r.code, httpStatus: r.status });
      const outcome =
        r.outcome !== ''
          ? this.row('outcome', e.prefix, r.seq, { at, account: r.account, reserveFundsTxnRef: r.ref, code: r.outcome, httpStatus: r.outcomeStatus })
          : undefined;
      rows.push(reserve, ...(outcome ? [outcome] : []));
      iterations.push(outcome ? { reserve, outcome } : { reserve });
    }
    this.reported += records.length;
    if (last > vu.reported) vu.reported = last;
    vu.announced = Math.max(vu.announced, last);
    if (!this.addLoad(rows, sent, iterations)) this.add(...rows);
    this.announce(e.prefix, e.upto);
    return records;
  }

  /** Every reference of `prefix` up to `upto` gets its 'sent' row (once). */
  private announce(prefix: string, upto: number): void {
    const vu = this.vus.get(prefix) ?? { announced: 0, reported: 0 };
    this.vus.set(prefix, vu);
    if (upto <= vu.announced) return;
    const at = this.now();
    const rows: LedgerRow[] = [];
    for (let seq = vu.announced + 1; seq <= upto; seq += 1) rows.push(this.row('sent', prefix, seq, { at, account: this.pool }));
    vu.announced = upto;
    if (!this.addLoad(rows, rows, [])) this.add(...rows);
  }

  /**
   * `started`: iterations k6 began (its bankcert_started counter), undefined when unknown (k6 killed).
   * Returns how many references set aside were never used.
   */
  finish(started: number | undefined): number {
    if (started === undefined || started !== this.reported + this.gaps) return 0;
    const at = this.now();
    const rows: LedgerRow[] = [];
    for (const [prefix, vu] of this.vus)
      for (let seq = vu.reported + 1; seq <= vu.announced; seq += 1) rows.push(this.row('unsent', prefix, seq, { at, account: this.pool }));
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
