import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import type { LoadIterationEvent } from '../../checks/events.ts';
import { buildPlan } from '../config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { openReservations, summariseLedger, type LedgerRow } from '../../checks/ledger.ts';
import { LoadLedger } from './event-ledger.ts';

const plan = buildPlan(ConfigSchema.parse(parse(starterConfigText()) as ConfigInput), { suites: ['load'], runId: 'r1', env: {} }).plan;
const T = '2026-11-25T10:00:00.000Z';

function it_(prefix: string, seq: number, over: Partial<LoadIterationEvent> = {}): LoadIterationEvent {
  return {
    t: 'it', prefix, seq, account: 'load:0', sentAt: T, status: 200, code: '0000', ref: `bank-${prefix}${seq}`,
    answeredAt: T, outcome: '2239', outcomeStatus: 200, outcomeAt: T, ...over,
  };
}

function ledger() {
  const rows: LedgerRow[] = [];
  const load = new LoadLedger(plan, (...r) => rows.push(...r), () => T);
  const open = () => openReservations(rows).map((r) => [r.reserve.raasTxnRef, r.unanswered ?? false]);
  return { rows, load, open };
}

describe('LoadLedger', () => {
  it('keeps a sent row for the next reference of every VU, and retracts them when every started iteration reported', () => {
    const { rows, load, open } = ledger();
    load.refs({ t: 'refs', prefix: 'a-' });
    // Before any answer, reference 1 is on record: a lost answer would be cancelled.
    expect(open()).toEqual([['a-1-r', true]]);
    load.iteration(it_('a-', 1));
    load.iteration(it_('a-', 2));
    expect(rows.map((r) => `${r.kind} ${r.raasTxnRef}`)).toEqual([
      'sent a-1-r', 'reserve a-1-r', 'outcome a-1-r', 'sent a-2-r', 'reserve a-2-r', 'outcome a-2-r', 'sent a-3-r',
    ]);
    expect(open()).toEqual([['a-3-r', true]]);
    expect(load.finish(2)).toBe(1);
    expect(rows.at(-1)).toMatchObject({ kind: 'unsent', raasTxnRef: 'a-3-r' });
    expect(open()).toEqual([]);
    expect(summariseLedger(rows)).toMatchObject({ reservations: 2, released: 2, open: 0 });
  });

  it('an iteration cut short (started > reported) leaves every next reference to be cancelled', () => {
    const { load, open } = ledger();
    load.refs({ t: 'refs', prefix: 'a-' });
    load.refs({ t: 'refs', prefix: 'b-' });
    load.iteration(it_('a-', 1));
    expect(load.finish(3)).toBe(0);
    expect(open()).toEqual([['b-1-r', true], ['a-2-r', true]]);
    expect(ledger().load.finish(undefined)).toBe(0);
  });

  it('a reference skipped between reported iterations stays open; the VU\'s next one is retracted when the counts agree', () => {
    const { load, open } = ledger();
    load.refs({ t: 'refs', prefix: 'a-' });
    load.iteration(it_('a-', 1));
    load.iteration(it_('a-', 3));
    expect(load.finish(3)).toBe(1);
    expect(open()).toEqual([['a-2-r', true]]);
  });

  it('a lost answer, or a granted reservation whose outcome was not acknowledged, stays open', () => {
    const { load, open } = ledger();
    load.refs({ t: 'refs', prefix: 'a-' });
    load.iteration(it_('a-', 1, { status: 0, code: '', ref: '', answeredAt: '', outcome: '', outcomeStatus: 0, outcomeAt: '' }));
    load.iteration(it_('a-', 2, { outcomeStatus: 500 }));
    load.iteration(it_('a-', 3, { code: '2010', ref: '', outcome: '', outcomeStatus: 0 }));
    load.finish(3);
    expect(open().sort()).toEqual([['a-1-r', true], ['a-2-r', false]]);
  });

  it('a prefix it never saw announced still gets sent rows for all its references', () => {
    const { rows, load } = ledger();
    load.iteration(it_('z-', 2));
    expect(rows.filter((r) => r.kind === 'sent').map((r) => r.raasTxnRef)).toEqual(['z-1-r', 'z-2-r', 'z-3-r']);
  });

  it('writes the plan\'s amounts and the iteration\'s account', () => {
    const { rows, load } = ledger();
    load.iteration(it_('a-', 1, { account: 'load:4' }));
    expect(rows.find((r) => r.kind === 'reserve')).toMatchObject({
      account: 'load:4', reserveAmount: plan.product.typicalAmount, clientTxnRef: 'a-1-c', reserveFundsTxnRef: 'bank-a-1', by: 'scenario',
    });
  });
});
