import { randomUUID } from 'node:crypto';
import type { ResponseCode } from '../checks/codes.ts';
import type { ReserveFundsRequest } from '../checks/protocol.ts';
import { HOLD_EXPIRY_MS, type FaultName } from './faults.ts';
import type { FixtureAccount } from './fixtures.ts';
import { REFERENCE_LIMITS, referenceAccounts } from './fixtures.ts';
import type { Account, LedgerDump, LedgerState, Reservation } from './ledger.ts';
import { Ledger } from './ledger.ts';
import type { Personality } from './minimal.ts';
import { constantTimeEquals } from './signature.ts';
import type { TransactInput, TransactOutcome } from './transact-logic.ts';
import { createTransactResult } from './transact-logic.ts';

export type { TransactInput, TransactOutcome } from './transact-logic.ts';

export interface ReserveAnswer {
  readonly responseCode: ResponseCode;
  readonly reserveFundsTxnRef?: string;
}

/**
 * What the decision reads; reserve-missing-field lets a request through with little more than this.
 * authCode is `unknown` because the minimal bank reads it only where the account has a PIN.
 */
export type ReserveInput = Pick<ReserveFundsRequest, 'raasTxnRef' | 'sourceIdentifier' | 'reserveAmount'> & { authCode?: unknown };

/** Everything a restarted bank needs to continue: the ledger and the first answer per raasTxnRef. */
export interface BankDump {
  ledger: LedgerDump;
  answers: Array<[raasTxnRef: string, answer: ReserveAnswer]>;
}

export interface BankLogicOptions {
  faults?: ReadonlySet<FaultName>;
  accounts?: readonly FixtureAccount[];
  limits?: { minimumAmount: number; maximumAmount: number };
  /** Injected in tests; the default is a UUID, 80 characters under long-reference, a cycle of 4 under repeating-references. */
  newReference?: () => string;
  /**
   * Answer 2020 instead of 2030 for an unknown sourceIdentifier. Not a fault: the public errors table
   * documents 2020 as "invalid authentication code or unknown sourceIdentifier" (RF-2030 warns).
   */
  unknownAs2020?: boolean;
  /** Test seam: milliseconds now (expiring-holds ages its holds by it). */
  clock?: () => number;
  /** Default strict. The minimal bank refuses a repeated raasTxnRef with 2090 and never matches a timeout cancel. */
  personality?: Personality;
  /** A state saved by a bank that stopped; the accounts are the fixtures', with these balances and reservations. */
  restore?: BankDump;
  /** Called synchronously after every change of state, before the caller answers (a state file writes here). */
  onChange?: () => void;
}

export interface BankLogic {
  reserveFunds(request: ReserveInput): ReserveAnswer;
  transactResult(request: TransactInput): Promise<TransactOutcome>;
  state(): LedgerState;
  dump(): BankDump;
}

export const LONG_REFERENCE_LENGTH = 80;

function longReference(): string {
  return `${randomUUID()}-${randomUUID()}`.padEnd(LONG_REFERENCE_LENGTH, '0');
}

export const REPEATING_REFERENCE_CYCLE = 4;

/** expiring-holds: holds older than HOLD_EXPIRY_MS are dropped whenever the bank next looks at its ledger. */
function holdExpiry(ledger: Ledger, clock: () => number) {
  const pending: { reservation: Reservation; at: number }[] = [];
  return {
    track(reservation: Reservation) {
      pending.push({ reservation, at: clock() });
    },
    sweep() {
      const now = clock();
      while (pending.length > 0 && now - (pending[0]?.at ?? now) >= HOLD_EXPIRY_MS)
        ledger.expire((pending.shift() as { reservation: Reservation }).reservation);
    },
  };
}

function repeatingReferences(): () => string {
  let next = 0;
  return () => `ref-${next++ % REPEATING_REFERENCE_CYCLE}`;
}

function defaultReferences(faults: ReadonlySet<FaultName>): () => string {
  if (faults.has('repeating-references')) return repeatingReferences();
  return faults.has('long-reference') ? longReference : randomUUID;
}

/**
 * The bank's decisions without HTTP. Faults are consulted at the single point each one changes, so
 * a fault cannot alter anything else by accident.
 */
export function createBankLogic(options: BankLogicOptions = {}): BankLogic {
  const faults: ReadonlySet<FaultName> = options.faults ?? new Set();
  const limits = options.limits ?? REFERENCE_LIMITS;
  const minimal = options.personality === 'minimal';
  const ledger = new Ledger(options.accounts ?? referenceAccounts());
  const newReference = options.newReference ?? defaultReferences(faults);
  // The first answer per raasTxnRef: a platform retry must neither hold twice nor get a different reference.
  const answers = new Map<string, ReserveAnswer>();
  const expiry = faults.has('expiring-holds') ? holdExpiry(ledger, options.clock ?? Date.now) : undefined;
  if (options.restore) {
    ledger.restore(options.restore.ledger);
    for (const [raasTxnRef, answer] of options.restore.answers) answers.set(raasTxnRef, answer);
  }
  const changed = options.onChange ?? ((): void => {});
  const transactResult = createTransactResult(ledger, faults, { matchCancel: !minimal, beforeLookup: () => expiry?.sweep() });

  // Walkthrough order (Bank Interfaces getting started §1.2): amount limits, account lookup, auth code, status, funds.
  function refusalOrAccount(request: ReserveInput): ResponseCode | Readonly<Account> {
    const amount = request.reserveAmount;
    if (!faults.has('no-minimum')) {
      if (amount < limits.minimumAmount) return '2050';
      if (faults.has('exclusive-minimum') && amount === limits.minimumAmount) return '2050';
    }
    if (!faults.has('no-maximum')) {
      if (amount > limits.maximumAmount) return '2040';
      if (faults.has('limit-exclusive') && amount === limits.maximumAmount) return '2040';
    }

    const account = ledger.account(request.sourceIdentifier);
    if (!account) return faults.has('unmapped-as-2090') ? '2090' : options.unknownAs2020 ? '2020' : '2030';

    if (!faults.has('ignore-auth-code') && account.authCode !== undefined) {
      if (typeof request.authCode !== 'string' || !constantTimeEquals(request.authCode, account.authCode)) return '2020';
    }

    if (account.status === 'blacklisted') return faults.has('blacklisted-as-inactive') ? '2080' : '2070';
    if (account.status === 'inactive' && !faults.has('inactive-allowed')) return '2080';

    if (!faults.has('ignore-funds')) {
      if (ledger.available(account) < amount) return '2010';
      if (faults.has('balance-exclusive') && ledger.available(account) === amount) return '2010';
    }
    return account;
  }

  function uniqueReference(): string {
    // repeating-references trusts its generator and never looks for an earlier use.
    if (faults.has('repeating-references')) return newReference();
    for (let attempt = 0; attempt < 5; attempt++) {
      const ref = newReference();
      if (!ledger.hasReference(ref)) return ref;
    }
    throw new Error('could not generate an unused reserveFundsTxnRef');
  }

  return {
    reserveFunds(request) {
      expiry?.sweep();
      // duplicate-reserve-holds-twice forgets every earlier answer, so a platform retry reserves again.
      const earlier = faults.has('duplicate-reserve-holds-twice') ? undefined : answers.get(request.raasTxnRef);
      // The documents leave a repeated raasTxnRef open: refusing it is allowed, and is what a bank without an answer store does.
      if (earlier) return minimal ? { responseCode: '2090' } : earlier;
      const decision = refusalOrAccount(request);
      let answer: ReserveAnswer;
      if (typeof decision === 'string') {
        answer = { responseCode: decision };
      } else {
        const reservation = ledger.hold(decision.sourceIdentifier, request.raasTxnRef, request.reserveAmount, uniqueReference());
        expiry?.track(reservation);
        answer = { responseCode: '0000', reserveFundsTxnRef: reservation.reserveFundsTxnRef };
      }
      answers.set(request.raasTxnRef, answer);
      changed();
      return answer;
    },

    async transactResult(request) {
      const outcome = await transactResult(request);
      if (outcome === 'debited' || outcome === 'released') changed();
      return outcome;
    },

    state: () => {
      expiry?.sweep();
      return ledger.snapshot();
    },

    dump: () => ({ ledger: ledger.dump(), answers: [...answers] }),
  };
}
