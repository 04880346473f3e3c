import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { LoadRecordsEvent, RecordRow } from '../../checks/load-records.ts';
import { buildPlan } from '../config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { openReservations, summariseLedger, type LedgerRow } from '../../checks/ledger.ts';
import { cleanupComplete, referencesUnique } from '../../checks/judge/ledger.ts';
import { LedgerFile, ledgerCsv, ledgerPath, parseLedgerNdjson, writeLedgerCsv } from '../ledger/ledger.ts';
import { EventLedger } from './event-ledger.ts';
import { ledgerRow } from '../../checks/__fixtures__/ledger-row.ts';

const plan = buildPlan(ConfigSchema.parse(parse(starterConfigText()) as ConfigInput), { suites: ['load'], runId: 'r1', env: {} }).plan;
const T = '2026-11-25T10:00:00.000Z';
const BASE = Date.parse(T);

/** A granted reservation, released (2239) and acknowledged: the usual record. */
const granted = (over: Partial<Record<'status' | 'code' | 'ref' | 'outcome' | 'outcomeStatus' | 'account', unknown>> = {}): RecordRow => {
  const r = { account: 0, status: 200, code: '0000', ref: 'bank-x', outcome: '2239', outcomeStatus: 200, ...over };
  const head: [number, number, number | null, number, string, string, number, number] = [
    r.account as number,
    0,
    null,
    r.status as number,
    r.code as string,
    r.ref as string,
    5,
    6,
  ];
  return r.outcome === '' ? head : [...head, r.outcome as string, r.outcomeStatus as number, 1, 8];
};

function batch(prefix: string, from: number, rows: RecordRow[], window = 1): LoadRecordsEvent {
  return { t: 'recs', prefix, from, upto: from + rows.length - 1 + window, base: BASE, r: rows };
}

function ledger() {
  const rows: LedgerRow[] = [];
  const load = new EventLedger(
    plan,
    (...r) => rows.push(...r),
    () => T,
  );
  const open = () => openReservations(rows).map((r) => [r.reserve.raasTxnRef, r.unanswered ?? false]);
  return { rows, load, open };
}

describe('EventLedger', () => {
  it('keeps a sent row for every reference a VU may send before its next line, and retracts them when every started iteration reported', () => {
    const { rows, load, open } = ledger();
    load.take({ t: 'refs', prefix: 'a-', upto: 1 });
    // Before any answer, reference 1 is on record: a lost answer would be cancelled.
    expect(open()).toEqual([['a-1-r', true]]);
    expect(load.take(batch('a-', 1, [granted()]))).toHaveLength(1);
    load.take(batch('a-', 2, [granted()]));
    expect(rows.map((r) => `${r.kind} ${r.raasTxnRef}`)).toEqual([
      'sent a-1-r',
      'reserve a-1-r',
      'outcome a-1-r',
      'sent a-2-r',
      'reserve a-2-r',
      'outcome a-2-r',
      'sent a-3-r',
    ]);
    expect(open()).toEqual([['a-3-r', true]]);
    expect(load.finish(2)).toBe(1);
    expect(rows.at(-1)).toMatchObject({ kind: 'unsent', raasTxnRef: 'a-3-r' });
    expect(open()).toEqual([]);
    expect(summariseLedger(rows)).toMatchObject({ reservations: 2, released: 2, open: 0 });
  });

  it('batches: every reference up to the announced horizon is on record; the unused ones are retracted at a whole end', () => {
    const { rows, load, open } = ledger();
    load.take({ t: 'refs', prefix: 'a-', upto: 4 });
    expect(open().map(([r]) => r)).toEqual(['a-1-r', 'a-2-r', 'a-3-r', 'a-4-r']);
    load.take(batch('a-', 1, [granted(), granted(), granted()], 4));
    // 1-3 reported, 4-7 may be in flight.
    expect(open().map(([r]) => r)).toEqual(['a-4-r', 'a-5-r', 'a-6-r', 'a-7-r']);
    expect(rows.filter((r) => r.kind === 'sent')).toHaveLength(7);
    expect(load.finish(3)).toBe(4);
    expect(open()).toEqual([]);
    expect(summariseLedger(rows)).toMatchObject({ reservations: 3, open: 0 });
  });

  it('records lost with k6 (started > reported): every reference past the last record stays, to be cancelled', () => {
    const { load, open } = ledger();
    load.take({ t: 'refs', prefix: 'a-', upto: 3 });
    load.take({ t: 'refs', prefix: 'b-', upto: 3 });
    load.take(batch('a-', 1, [granted(), granted()], 3));
    expect(load.finish(7)).toBe(0);
    expect(
      open()
        .map(([r]) => r)
        .sort(),
    ).toEqual(['a-3-r', 'a-4-r', 'a-5-r', 'b-1-r', 'b-2-r', 'b-3-r']);
    expect(ledger().load.finish(undefined)).toBe(0);
  });

  it("a reference skipped between reported records stays open; the VU's next ones are retracted when the counts agree", () => {
    const { load, open } = ledger();
    load.take({ t: 'refs', prefix: 'a-', upto: 1 });
    load.take(batch('a-', 1, [granted()]));
    load.take(batch('a-', 3, [granted()]));
    expect(load.finish(3)).toBe(1);
    expect(open()).toEqual([['a-2-r', true]]);
  });

  it('a lost answer, or a granted reservation whose outcome was not acknowledged, stays open', () => {
    const { load, open } = ledger();
    load.take({ t: 'refs', prefix: 'a-', upto: 1 });
    load.take(
      batch('a-', 1, [
        granted({ status: 0, code: '', ref: '', outcome: '' }),
        granted({ outcomeStatus: 500 }),
        granted({ code: '2010', ref: '', outcome: '' }),
      ]),
    );
    load.finish(3);
    expect(open().sort()).toEqual([
      ['a-1-r', true],
      ['a-2-r', false],
    ]);
  });

  it('a prefix it never saw announced still gets sent rows for all its references', () => {
    const { rows, load } = ledger();
    load.take(batch('z-', 2, [granted()]));
    expect(rows.filter((r) => r.kind === 'sent').map((r) => r.raasTxnRef)).toEqual(['z-1-r', 'z-2-r', 'z-3-r']);
  });

  it("writes the plan's amounts, the record's account, and the record's times", () => {
    const { rows, load } = ledger();
    load.take(batch('a-', 1, [granted({ account: 4 })]));
    expect(rows.find((r) => r.kind === 'reserve')).toMatchObject({
      account: 'load:4',
      reserveAmount: plan.product.typicalAmount,
      clientTxnRef: 'a-1-c',
      reserveFundsTxnRef: 'bank-x',
      by: 'scenario',
      at: new Date(BASE + 6).toISOString(),
    });
    expect(rows.find((r) => r.kind === 'outcome')).toMatchObject({ code: '2239', httpStatus: 200, at: new Date(BASE + 6).toISOString() });
  });

  it('writes each row to a ledger file as exactly JSON.stringify of it, whatever the bank and the prefix hold', () => {
    const rows: LedgerRow[] = [];
    let text = '';
    const file = {
      add: (...r: LedgerRow[]) => rows.push(...r),
      addSerialized: (r: readonly LedgerRow[], ndjson: string) => {
        rows.push(...r);
        text += ndjson;
      },
    };
    const load = new EventLedger(plan, file, () => T);
    for (const [k, odd] of ['plain', 'q"uote', 'back\\slash', 'new\nline', '\u0000', '\ud800', '😀', 'Zoë', '\u2028'].entries()) {
      const prefix = `${odd}-${k}-`;
      load.take({ t: 'refs', prefix, upto: 2 });
      load.take(batch(prefix, 1, [granted({ ref: odd, code: k % 2 === 0 ? '0000' : odd }), granted({ status: 0, code: '', ref: '', outcome: '' })], 2));
    }
    load.finish(18);
    expect(rows.length).toBeGreaterThan(40);
    expect(text).toBe(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  });

  it("passes the functional suites' rows through and ignores other events", () => {
    const { rows, load } = ledger();
    expect(load.take({ t: 'step', suite: 'load', step: 'x' })).toBeUndefined();
    expect(load.take({ t: 'end', started: 1, dropped: 0 })).toBeUndefined();
    const entry = {
      kind: 'sent',
      at: T,
      clientTxnRef: 'c',
      raasTxnRef: 'r',
      reserveFundsTxnRef: '',
      account: 'funded',
      reserveAmount: 1,
      code: '',
      httpStatus: 0,
      feeAmount: 0,
      clientShareAmount: 0,
      settlementAmount: 1,
    } as const;
    expect(load.take({ t: 'ledger', entry })).toEqual([]);
    expect(rows).toEqual([{ ...entry, by: 'scenario' }]);
  });
});

describe('EventLedger into a LedgerFile: settled load iterations are counted, not held', () => {
  const statuses: [number, string, string, number][] = [
    // reserveFunds status, code, outcome, outcome status
    [200, '0000', '0', 200],
    [200, '0000', '2239', 200],
    [200, '0000', '0', 500],
    [200, '0000', '', 0],
    [200, '2010', '', 0],
    [0, '', '', 0],
    [200, '', '', 0],
    [500, '9001', '', 0],
    [200, '0000', '2239', 404],
  ];

  it('gives the judges what every row would, in a run with every kind of answer, gaps, a reused bank reference and a cleanup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bankcert-ledger-'));
    try {
      const all: LedgerRow[] = [];
      const file = new LedgerFile(ledgerPath(dir));
      const whole = new EventLedger(
        plan,
        (...r) => all.push(...r),
        () => T,
      );
      const folding = new EventLedger(plan, file, () => T);
      const take = (e: Parameters<EventLedger['take']>[0]) => {
        whole.take(e);
        folding.take(e);
      };
      // A functional suite's row, through both.
      const functional = ledgerRow({ at: T, raasTxnRef: 'f-1-r', reserveFundsTxnRef: 'bank-dup' });
      all.push(functional);
      file.add(functional);
      let n = 0;
      for (const prefix of ['a-', 'b-', 'c-']) {
        take({ t: 'refs', prefix, upto: 3 });
        let from = 1;
        for (let b = 0; b < 6; b += 1) {
          const rows = Array.from({ length: 4 }, () => {
            const [status, code, outcome, outcomeStatus] = statuses[n % statuses.length] ?? [200, '0000', '0', 200];
            n += 1;
            // Bank references handed out twice: to a settled iteration and the functional reservation above, to a held and a settled one.
            const ref = n === 10 ? 'bank-dup' : n === 12 || n === 19 ? 'bank-dup2' : `bank-${n}`;
            return granted({ status, code, ref: code === '0000' ? ref : '', outcome, outcomeStatus });
          });
          // A gap: iterations started and never reported stay 'sent'.
          if (b === 3) from += 2;
          take(batch(prefix, from, rows, 3));
          from += rows.length;
        }
      }
      whole.finish(undefined);
      folding.finish(undefined);
      // The cleanup's outcomes, for what is still open, through both.
      for (const open of openReservations(all).slice(0, 5)) {
        const row: LedgerRow = { ...open.reserve, kind: 'outcome', code: '2226', httpStatus: 200, by: 'cleanup' };
        all.push(row);
        file.add(row);
      }
      await file.close();

      // Three of the nine kinds settle (granted and acknowledged twice, refused once): their rows are not held.
      const settled = file.settled.debited + file.settled.released + file.settled.refused;
      expect(settled).toBeGreaterThan(20);
      expect(file.rows.length).toBeLessThan(all.length - 2 * settled);
      expect(summariseLedger(file.rows, file.settled)).toEqual(summariseLedger(all));
      const key = (r: { reserve: LedgerRow }) => `${r.reserve.raasTxnRef} ${r.reserve.reserveFundsTxnRef}`;
      expect(openReservations(file.rows).map(key).sort()).toEqual(openReservations(all).map(key).sort());
      expect(referencesUnique(file.rows, file.settled)).toEqual(referencesUnique(all));
      expect(referencesUnique(all).status).toBe('fail');
      expect(cleanupComplete(file.rows, 'DIR', file.settled)).toEqual(cleanupComplete(all, 'DIR'));
      // The file holds every row, as the whole ledger wrote it; the CSV is made from it.
      expect(parseLedgerNdjson(readFileSync(ledgerPath(dir), 'utf8'))).toEqual(all);
      await writeLedgerCsv(ledgerPath(dir), join(dir, 'ledger.csv'));
      expect(readFileSync(join(dir, 'ledger.csv'), 'utf8')).toBe(ledgerCsv(all));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LedgerFile without RF-REF-UNIQUE to judge (no safety suite)', () => {
  it('counts settled iterations the same and keeps none of their references', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bankcert-ledger-'));
    try {
      const keep = new LedgerFile(join(dir, 'a.ndjson'));
      const drop = new LedgerFile(join(dir, 'b.ndjson'), [], false);
      for (const file of [keep, drop]) {
        const load = new EventLedger(plan, file, () => T);
        load.take({ t: 'refs', prefix: 'a-', upto: 2 });
        load.take(batch('a-', 1, [granted({ ref: 'r1' }), granted({ ref: 'r2', outcome: '0' }), granted({ code: '2010', ref: '', outcome: '' })]));
        await file.close();
      }
      expect(keep.settled.refs.size).toBe(2);
      expect(drop.settled.refs.size).toBe(0);
      expect(summariseLedger(drop.rows, drop.settled)).toEqual(summariseLedger(keep.rows, keep.settled));
      expect(summariseLedger(drop.rows, drop.settled)).toMatchObject({ reservations: 3, debited: 1, released: 1, refused: 1, open: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
