import { execFileSync } from 'node:child_process';
import type { BankProcess } from './cli.ts';

export interface BankState {
  held: unknown[];
  reservations: { held: number; debited: number; released: number };
}

/** What the reference bank holds right now (its test-only state endpoint). */
export async function bankState(bank: Pick<BankProcess, 'url'>): Promise<BankState> {
  return (await (await fetch(`${bank.url}/__reference/state`)).json()) as BankState;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls (bounded) until the bank holds a reservation that stays held: with `--stall-after N`, the
 * stalled one, whose answer k6 is waiting for. Reservations before the stall are held for about a
 * millisecond only.
 */
export async function untilHeld(bank: Pick<BankProcess, 'url'>): Promise<void> {
  const key = (s: BankState) => JSON.stringify(s.held);
  for (let i = 0; i < 400; i += 1) {
    const first = await bankState(bank);
    if (first.held.length > 0) {
      await pause(150);
      if (key(await bankState(bank)) === key(first)) return;
    }
    await pause(25);
  }
  throw new Error('the bank never held a reservation');
}

/** The `k6 run` child of the CLI (optionally: the one running that suite's bundle); bounded polling. */
export async function k6ChildOf(pid: number, suite?: string): Promise<number> {
  const wanted = suite ? new RegExp(`k6 run\\b.*/scenarios/${suite}\\.js`) : /k6 run\b/;
  for (let i = 0; i < 400; i += 1) {
    let out = '';
    try {
      out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
    } catch {
      // ps exits 1 while the CLI has no child yet
    }
    // `k6 version` runs first (discovery); the one to kill is `k6 run`.
    const line = out.split('\n').find((l) => wanted.test(l));
    if (line) return Number(line.trim().split(/\s+/)[0]);
    await pause(50);
  }
  throw new Error(`no k6 child process${suite ? ` for the ${suite} suite` : ''}`);
}
