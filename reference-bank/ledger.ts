import type { AccountStatus, FixtureAccount } from './fixtures.ts';

export type ReservationState = 'held' | 'debited' | 'released';

export interface Reservation {
  readonly reserveFundsTxnRef: string;
  readonly raasTxnRef: string;
  readonly sourceIdentifier: string;
  readonly amount: number;
  state: ReservationState;
}

export interface Account {
  readonly sourceIdentifier: string;
  readonly status: AccountStatus;
  readonly authCode: string | undefined;
  balance: number;
  /** Sum of the amounts of this account's reservations that are still held. */
  held: number;
}

export interface LedgerState {
  accounts: Record<string, { status: AccountStatus; balance: number; held: number; available: number }>;
  reservations: Record<ReservationState, number>;
  held: Array<{ raasTxnRef: string; reserveFundsTxnRef: string; sourceIdentifier: string; amount: number }>;
}

/**
 * Accounts and reservations in memory. Every method is synchronous on purpose: Node runs one at a
 * time, so a check followed by its action can never interleave with another request.
 */
export class Ledger {
  readonly #accounts = new Map<string, Account>();
  readonly #byRef = new Map<string, Reservation>();
  readonly #byRaas = new Map<string, Reservation>();
  readonly #counts: Record<ReservationState, number> = { held: 0, debited: 0, released: 0 };

  constructor(accounts: readonly FixtureAccount[]) {
    for (const a of accounts) {
      this.#accounts.set(a.sourceIdentifier, {
        sourceIdentifier: a.sourceIdentifier,
        status: a.status,
        authCode: a.authCode,
        balance: a.balance,
        held: 0,
      });
    }
  }

  account(sourceIdentifier: string): Readonly<Account> | undefined {
    return this.#accounts.get(sourceIdentifier);
  }

  available(account: Readonly<Account>): number {
    return account.balance - account.held;
  }

  hasReference(reserveFundsTxnRef: string): boolean {
    return this.#byRef.has(reserveFundsTxnRef);
  }

  hold(sourceIdentifier: string, raasTxnRef: string, amount: number, reserveFundsTxnRef: string): Reservation {
    const account = this.#accounts.get(sourceIdentifier);
    if (!account) throw new Error(`no account ${sourceIdentifier}`);
    if (this.#byRef.has(reserveFundsTxnRef)) throw new Error(`reserveFundsTxnRef ${reserveFundsTxnRef} already used`);
    const reservation: Reservation = { reserveFundsTxnRef, raasTxnRef, sourceIdentifier, amount, state: 'held' };
    account.held += amount;
    this.#byRef.set(reserveFundsTxnRef, reservation);
    this.#byRaas.set(raasTxnRef, reservation);
    this.#counts.held += 1;
    return reservation;
  }

  findByReference(reserveFundsTxnRef: string): Reservation | undefined {
    return this.#byRef.get(reserveFundsTxnRef);
  }

  findByRaasTxnRef(raasTxnRef: string): Reservation | undefined {
    return this.#byRaas.get(raasTxnRef);
  }

  /** held → debited | released; false (and no effect) when the reservation already has its outcome. */
  finish(reservation: Reservation, outcome: 'debited' | 'released'): boolean {
    if (reservation.state !== 'held') return false;
    const account = this.#accounts.get(reservation.sourceIdentifier);
    if (!account) throw new Error(`reservation ${reservation.reserveFundsTxnRef} names no account`);
    account.held -= reservation.amount;
    if (outcome === 'debited') account.balance -= reservation.amount;
    reservation.state = outcome;
    this.#counts.held -= 1;
    this.#counts[outcome] += 1;
    return true;
  }

  snapshot(): LedgerState {
    const accounts: LedgerState['accounts'] = {};
    for (const a of this.#accounts.values()) {
      accounts[a.sourceIdentifier] = { status: a.status, balance: a.balance, held: a.held, available: this.available(a) };
    }
    const held: LedgerState['held'] = [];
    for (const r of this.#byRef.values()) {
      if (r.state === 'held') {
        held.push({ raasTxnRef: r.raasTxnRef, reserveFundsTxnRef: r.reserveFundsTxnRef, sourceIdentifier: r.sourceIdentifier, amount: r.amount });
      }
    }
    return { accounts, reservations: { ...this.#counts }, held };
  }
}
