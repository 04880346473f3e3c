import type { HttpAnswer, PostItem, Transport } from '../../checks/client.ts';
import type { Endpoint } from '../../checks/protocol.ts';
import { DISPENSED } from '../../checks/codes.ts';
import type { BankcertSecrets, Plan } from '../../checks/plan.ts';
import { ReserveFundsRequestSchema, TransactResultRequestSchema } from '../../checks/protocol.ts';
import { SIGNATURE_HEADER, signatureMatches } from '../../checks/signer.ts';
import { nodeHmac } from '../util/digest.ts';

/**
 * A compliant bank in memory, built from the plan: the accounts of the config with the balances and
 * statuses the config declares, the limits, the auth codes and the signing secret. `certify --dry-run`
 * runs the real observers against it, synchronously and without a network, to count what a run will
 * send, hold and debit: the figures come from the checks' own code, so they cannot drift from it. Its
 * decisions follow the walkthrough order (amount limits, account, auth code, status, funds) and the
 * safe answers the checks expect: a repeated raasTxnRef gets its first answer, a cancel without the
 * bank's reference is matched by raasTxnRef, a finished reservation acknowledges again without moving money.
 */

type Status = 'active' | 'inactive' | 'blacklisted';

interface Account {
  role: string;
  status: Status;
  authCode: string | undefined;
  balance: number;
  held: number;
}

interface Reservation {
  ref: string;
  raasTxnRef: string;
  account: Account;
  amount: number;
  state: 'held' | 'debited' | 'released';
}

/** What one account saw, for the money plan. */
export interface AccountTally {
  /** reserveFunds requests naming the account. */
  reserveFunds: number;
  /** Reservations granted (0000 for a new raasTxnRef). */
  reservations: number;
  /** The most held on the account at one time. */
  largestHeld: number;
  /** Debited in all. */
  debited: number;
  /** Still held when the simulation ended (left for the post-run cleanup). */
  heldAtEnd: number;
}

/** What one suite sent. */
export interface SuiteTally {
  reserveFunds: number;
  transactResult: number;
}

/** Without a declared balance the probe account is assumed to hold just under the maximum (the bisection's worst case). */
export function assumedProbeBalance(plan: Plan): number {
  return Math.max(plan.limits.minimumAmount, plan.limits.maximumAmount - 1);
}

/** A balance the checks can never exhaust, for the accounts whose balance the config does not state. */
const AMPLE = Number.MAX_SAFE_INTEGER / 4;

export class SimulatedBank implements Transport {
  private readonly accounts = new Map<string, Account>();
  private readonly byRef = new Map<string, Reservation>();
  private readonly byRaas = new Map<string, Reservation>();
  private readonly answers = new Map<string, string>();
  private readonly tallies = new Map<string, AccountTally>();
  private readonly suites = new Map<string, SuiteTally>();
  private suite = '';
  private refs = 0;

  constructor(
    private readonly plan: Plan,
    private readonly secrets: BankcertSecrets,
  ) {
    const { accounts } = plan;
    const add = (role: string, identifier: string | undefined, status: Status, balance: number) => {
      if (identifier === undefined || this.accounts.has(identifier)) return;
      this.accounts.set(identifier, { role, status, authCode: secrets.authCodes[role], balance, held: 0 });
    };
    add('funded', accounts.funded?.sourceIdentifier, 'active', accounts.funded?.balance ?? AMPLE);
    add('lowBalance', accounts.lowBalance?.sourceIdentifier, 'active', accounts.lowBalance?.balance ?? AMPLE);
    add('probe', accounts.probe?.sourceIdentifier, 'active', accounts.probe?.balance ?? assumedProbeBalance(plan));
    add('inactive', accounts.inactive?.sourceIdentifier, 'inactive', AMPLE);
    add('blacklisted', accounts.blacklisted?.sourceIdentifier, 'blacklisted', AMPLE);
    accounts.load.forEach((a, i) => add(`load:${i}`, a.sourceIdentifier, 'active', a.balance ?? AMPLE));
    // No account behind it (RF-2030): its requests are still counted under its role.
    if (accounts.unmapped) this.unmapped = accounts.unmapped.sourceIdentifier;
  }

  private readonly unmapped: string | undefined;

  /** Requests from here on count for `suite`. */
  startSuite(suite: string): void {
    this.suite = suite;
    if (!this.suites.has(suite)) this.suites.set(suite, { reserveFunds: 0, transactResult: 0 });
  }

  suiteTally(suite: string): SuiteTally {
    return this.suites.get(suite) ?? { reserveFunds: 0, transactResult: 0 };
  }

  /** Per account role, the roles the run touched. */
  accountTallies(): Map<string, AccountTally> {
    for (const account of this.accounts.values()) {
      const t = this.tallies.get(account.role);
      if (t) t.heldAtEnd = account.held;
    }
    return this.tallies;
  }

  post(_url: string, body: string, headers: Record<string, string>, endpoint: Endpoint): HttpAnswer {
    const tally = this.suites.get(this.suite);
    if (tally) tally[endpoint] += 1;
    return endpoint === 'reserveFunds' ? this.reserveFunds(body, headers) : this.transactResult(body, headers);
  }

  postBatch(items: readonly PostItem[]): HttpAnswer[] {
    return items.map((i) => this.post(i.url, i.body, i.headers, i.endpoint));
  }

  private tally(role: string): AccountTally {
    let t = this.tallies.get(role);
    if (!t) {
      t = { reserveFunds: 0, reservations: 0, largestHeld: 0, debited: 0, heldAtEnd: 0 };
      this.tallies.set(role, t);
    }
    return t;
  }

  private signed(body: string, headers: Record<string, string>): boolean {
    if (!this.plan.signing.enabled) return true;
    return signatureMatches(body, this.secrets.signingSecret ?? '', headers[SIGNATURE_HEADER], nodeHmac);
  }

  private reserveFunds(body: string, headers: Record<string, string>): HttpAnswer {
    if (!this.signed(body, headers)) return reply(401, { responseCode: '2090' });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return reply(400, { responseCode: '2090' });
    }
    const parsed = ReserveFundsRequestSchema.safeParse(json);
    if (!parsed.success) return reply(400, { responseCode: '2090' });
    const request = parsed.data;
    const account = this.accounts.get(request.sourceIdentifier);
    if (account) this.tally(account.role).reserveFunds += 1;
    else if (request.sourceIdentifier === this.unmapped) this.tally('unmapped').reserveFunds += 1;
    const earlier = this.answers.get(request.raasTxnRef);
    if (earlier !== undefined) return { status: 200, headers: {}, body: earlier, durationMs: 1 };
    const answer = JSON.stringify(this.decide(request.reserveAmount, request.authCode, request.raasTxnRef, account));
    this.answers.set(request.raasTxnRef, answer);
    return { status: 200, headers: {}, body: answer, durationMs: 1 };
  }

  private decide(amount: number, authCode: string | undefined, raasTxnRef: string, account: Account | undefined): Record<string, string> {
    const { minimumAmount, maximumAmount } = this.plan.limits;
    if (amount < minimumAmount) return { responseCode: '2050' };
    if (amount > maximumAmount) return { responseCode: '2040' };
    if (!account) return { responseCode: '2030' };
    if (account.authCode !== undefined && authCode !== account.authCode) return { responseCode: '2020' };
    if (account.status === 'blacklisted') return { responseCode: '2070' };
    if (account.status === 'inactive') return { responseCode: '2080' };
    if (account.balance - account.held < amount) return { responseCode: '2010' };
    this.refs += 1;
    const reservation: Reservation = { ref: `simulated-${this.refs}`, raasTxnRef, account, amount, state: 'held' };
    this.byRef.set(reservation.ref, reservation);
    this.byRaas.set(raasTxnRef, reservation);
    account.held += amount;
    const t = this.tally(account.role);
    t.reservations += 1;
    t.largestHeld = Math.max(t.largestHeld, account.held);
    return { responseCode: '0000', reserveFundsTxnRef: reservation.ref };
  }

  private transactResult(body: string, headers: Record<string, string>): HttpAnswer {
    if (!this.signed(body, headers)) return reply(401);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return reply(400);
    }
    const parsed = TransactResultRequestSchema.safeParse(json);
    if (!parsed.success) return reply(400);
    const { reserveFundsTxnRef: ref, raasTxnRef, responseCode } = parsed.data;
    const isCancel = ref === '' || ref === raasTxnRef;
    const found = this.byRef.get(ref) ?? (isCancel ? this.byRaas.get(raasTxnRef) : undefined);
    if (!found) return reply(404);
    if (found.state === 'held') {
      found.account.held -= found.amount;
      if (responseCode === DISPENSED) {
        found.state = 'debited';
        found.account.balance -= found.amount;
        this.tally(found.account.role).debited += found.amount;
      } else {
        found.state = 'released';
      }
    }
    return reply(200);
  }
}

function reply(status: number, body?: Record<string, string>): HttpAnswer {
  return { status, headers: {}, body: body === undefined ? '' : JSON.stringify(body), durationMs: 1 };
}
