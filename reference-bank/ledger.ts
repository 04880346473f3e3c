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

/** The ledger as a state file keeps it: balances and holds per account, every reservation with its state. */
export interface LedgerDump {
  accounts: Array<{ sourceIdentifier: string; balance: number; held: number }>;
  reservations: Array<{ reserveFundsTxnRef: string; raasTxnRef: string; sourceIdentifier: string; amount: number; state: ReservationState }>;
}

/**
 * Accounts and reservations in memory. Every method is synchronous on purpose: Node runs one at a
 * time, so a check followed by its action can never interleave with another request.
 */
export class Ledger {
  readonly #accounts = new Map<string, Account>();
  readonly #reservations: Reservation[] = [];
  // Lists, not single entries: a faulty bank may repeat a reference or hold twice for one raasTxnRef.
  readonly #byRef = new Map<string, Reservation[]>();
  readonly #byRaas = new Map<string, Reservation[]>();
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

  /**
   * The ledger only insists that (reserveFundsTxnRef, raasTxnRef) is unique, because that pair is what
   * every lookup can rely on; unique references are the bank's promise, kept by its reference generator.
   */
  hold(sourceIdentifier: string, raasTxnRef: string, amount: number, reserveFundsTxnRef: string): Reservation {
    const account = this.#accounts.get(sourceIdentifier);
    if (!account) throw new Error(`no account ${sourceIdentifier}`);
    if (this.findByPair(reserveFundsTxnRef, raasTxnRef)) {
      throw new Error(`reserveFundsTxnRef ${reserveFundsTxnRef} already used for this raasTxnRef`);
    }
    const reservation: Reservation = { reserveFundsTxnRef, raasTxnRef, sourceIdentifier, amount, state: 'held' };
    account.held += amount;
    this.#reservations.push(reservation);
    append(this.#byRef, reserveFundsTxnRef, reservation);
    append(this.#byRaas, raasTxnRef, reservation);
    this.#counts.held += 1;
    return reservation;
  }

  /** Undefined when the reference is unknown or ambiguous: guessing between two reservations could debit the wrong buyer. */
  findByReference(reserveFundsTxnRef: string): Reservation | undefined {
    const found = this.#byRef.get(reserveFundsTxnRef);
    return found?.length === 1 ? found[0] : undefined;
  }

  findByPair(reserveFundsTxnRef: string, raasTxnRef: string): Reservation | undefined {
    return this.#byRef.get(reserveFundsTxnRef)?.find((r) => r.raasTxnRef === raasTxnRef);
  }

  /** The latest reservation for the raasTxnRef: only a faulty bank ever makes more than one. */
  findByRaasTxnRef(raasTxnRef: string): Reservation | undefined {
    return this.#byRaas.get(raasTxnRef)?.at(-1);
  }

  /** held → debited | released; false (and no effect) when the reservation already has its outcome. */
  finish(reservation: Reservation, outcome: 'debited' | 'released'): boolean {
    if (reservation.state !== 'held') return false;
    const account = this.#accountOf(reservation);
    account.held -= reservation.amount;
    if (outcome === 'debited') account.balance -= reservation.amount;
    this.#moveTo(reservation, outcome);
    return true;
  }

  /**
   * A debit that is not conditional on the reservation's state (faults only): the balance falls on
   * every call, while the hold, like a row deleted by key, can only go once.
   */
  debitUnguarded(reservation: Reservation): void {
    const account = this.#accountOf(reservation);
    if (reservation.state === 'held') account.held -= reservation.amount;
    account.balance -= reservation.amount;
    this.#moveTo(reservation, 'debited');
  }

  /**
   * expiring-holds only: the hold is dropped (funds available again) and the reservation forgotten,
   * as a core system whose authorisation holds time out would; a later outcome finds nothing (404).
   */
  expire(reservation: Reservation): void {
    if (reservation.state !== 'held') return;
    this.finish(reservation, 'released');
    remove(this.#byRef, reservation.reserveFundsTxnRef, reservation);
    remove(this.#byRaas, reservation.raasTxnRef, reservation);
  }

  /** held → released while the amount stays held (faults only): the release that forgets its hold. */
  releaseKeepingHold(reservation: Reservation): boolean {
    if (reservation.state !== 'held') return false;
    this.#moveTo(reservation, 'released');
    return true;
  }

  dump(): LedgerDump {
    return {
      accounts: [...this.#accounts.values()].map((a) => ({ sourceIdentifier: a.sourceIdentifier, balance: a.balance, held: a.held })),
      reservations: this.#reservations.map((r) => ({ ...r })),
    };
  }

  /**
   * Takes over a dump's balances and reservations (a restarted bank). Account status and auth codes stay
   * the fixtures': a state file holds money, never a PIN. An account the fixtures do not know is refused.
   */
  restore(dump: LedgerDump): void {
    if (this.#reservations.length > 0) throw new Error('restore needs a fresh ledger');
    for (const saved of dump.accounts) {
      const account = this.#accounts.get(saved.sourceIdentifier);
      if (!account) throw new Error(`the saved state names account ${saved.sourceIdentifier}, which this bank does not have`);
      account.balance = saved.balance;
      account.held = saved.held;
    }
    for (const saved of dump.reservations) {
      if (!this.#accounts.has(saved.sourceIdentifier))
        throw new Error(`a saved reservation names account ${saved.sourceIdentifier}, which this bank does not have`);
      const reservation: Reservation = { ...saved };
      this.#reservations.push(reservation);
      append(this.#byRef, reservation.reserveFundsTxnRef, reservation);
      append(this.#byRaas, reservation.raasTxnRef, reservation);
      this.#counts[reservation.state] += 1;
    }
  }

  snapshot(): LedgerState {
    const accounts: LedgerState['accounts'] = {};
    for (const a of this.#accounts.values()) {
      accounts[a.sourceIdentifier] = { status: a.status, balance: a.balance, held: a.held, available: this.available(a) };
    }
    const held: LedgerState['held'] = [];
    for (const r of this.#reservations) {
      if (r.state === 'held') {
        held.push({ raasTxnRef: r.raasTxnRef, reserveFundsTxnRef: r.reserveFundsTxnRef, sourceIdentifier: r.sourceIdentifier, amount: r.amount });
      }
    }
    return { accounts, reservations: { ...this.#counts }, held };
  }

  #accountOf(reservation: Reservation): Account {
    const account = this.#accounts.get(reservation.sourceIdentifier);
    if (!account) throw new Error(`reservation ${reservation.reserveFundsTxnRef} names no account`);
    return account;
  }

  #moveTo(reservation: Reservation, state: ReservationState): void {
    if (reservation.state === state) return;
    this.#counts[reservation.state] -= 1;
    this.#counts[state] += 1;
    reservation.state = state;
  }
}

function remove<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const rest = (index.get(key) ?? []).filter((v) => v !== value);
  if (rest.length > 0) index.set(key, rest);
  else index.delete(key);
}

function append<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}
