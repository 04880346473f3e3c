// Helpers for the reference bank's own tests: real HTTP against a bank on a free port.
import { randomUUID } from 'node:crypto';
import type { ReserveFundsRequest, TransactResultRequest } from '../checks/protocol.ts';
import { REFERENCE_ACCOUNTS, REFERENCE_LIMITS, REFERENCE_PRODUCT } from './fixtures.ts';
import type { FaultName } from './faults.ts';
import type { Wait } from './load-faults.ts';
import type { ReferenceBankOptions, RunningBank } from './server.ts';
import { startReferenceBank } from './server.ts';
import { signRawBody } from './signature.ts';

export const FUNDED = REFERENCE_ACCOUNTS.funded;
export const MIN = REFERENCE_LIMITS.minimumAmount;
export const MAX = REFERENCE_LIMITS.maximumAmount;

export function newRaasRef(): string {
  return `raas-${randomUUID()}`;
}

/** A valid reserveFunds request for the funded account with its authCode; override what the test is about. */
export function reserveRequest(overrides: Partial<ReserveFundsRequest> = {}): ReserveFundsRequest {
  const reserveAmount = overrides.reserveAmount ?? 1_000;
  return {
    clientTxnRef: `client-${randomUUID()}`,
    raasTxnRef: newRaasRef(),
    productId: REFERENCE_PRODUCT.productId,
    productType: REFERENCE_PRODUCT.productType,
    purchaseAmount: reserveAmount,
    reserveAmount,
    feeAmount: 0,
    clientShareAmount: 0,
    settlementAmount: reserveAmount,
    sourceIdentifier: FUNDED.sourceIdentifier,
    targetIdentifier: '27830000001',
    channelId: REFERENCE_PRODUCT.channelId,
    channelName: REFERENCE_PRODUCT.channelName,
    authCode: FUNDED.authCode,
    timestamp: new Date().toISOString(),
    ...overrides,
  };
}

export function transactRequest(
  reserve: Pick<ReserveFundsRequest, 'clientTxnRef' | 'raasTxnRef' | 'reserveAmount'>,
  reserveFundsTxnRef: string,
  responseCode: number,
): TransactResultRequest {
  return {
    clientTxnRef: reserve.clientTxnRef,
    raasTxnRef: reserve.raasTxnRef,
    reserveFundsTxnRef,
    responseCode,
    reserveAmount: reserve.reserveAmount,
    feeAmount: 0,
    clientShareAmount: 0,
    settlementAmount: reserve.reserveAmount,
    timestamp: new Date().toISOString(),
  };
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** POSTs a body (objects are compacted to JSON); with `secret` the Signature header covers the exact bytes sent. */
export async function post(bank: RunningBank, path: string, body: string | object, opts: { secret?: string; signature?: string } = {}): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.signature !== undefined) headers['Signature'] = opts.signature;
  else if (opts.secret !== undefined) headers['Signature'] = signRawBody(Buffer.from(text, 'utf8'), opts.secret);
  const res = await fetch(`${bank.url}${path}`, { method: 'POST', headers, body: text });
  return toAnswer(res);
}

export async function get(bank: RunningBank, path: string): Promise<Answer> {
  return toAnswer(await fetch(`${bank.url}${path}`));
}

async function toAnswer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

/** Reserves and returns the request with the bank's reference (throws unless 0000, to keep tests short). */
export async function reserveOk(
  bank: RunningBank,
  overrides: Partial<ReserveFundsRequest> = {},
  secret?: string,
): Promise<{ request: ReserveFundsRequest; ref: string }> {
  const request = reserveRequest(overrides);
  const answer = await post(bank, '/reserveFunds', request, secret === undefined ? {} : { secret });
  const ref = answer.json?.['reserveFundsTxnRef'];
  if (answer.status !== 200 || answer.json?.['responseCode'] !== '0000' || typeof ref !== 'string') {
    throw new Error(`expected 0000, got HTTP ${answer.status} ${answer.text}`);
  }
  return { request, ref };
}

export function available(bank: RunningBank, sourceIdentifier: string): number {
  const account = bank.state().accounts[sourceIdentifier];
  if (!account) throw new Error(`no account ${sourceIdentifier} in state`);
  return account.available;
}

/** Runs the body against a fresh bank with these faults (and options) and always closes it. */
export async function withBank<T>(
  faults: readonly FaultName[],
  body: (bank: RunningBank) => Promise<T>,
  options: Omit<ReferenceBankOptions, 'faults'> = {},
): Promise<T> {
  const bank = await startReferenceBank({ ...options, faults });
  try {
    return await body(bank);
  } finally {
    await bank.close();
  }
}

/** The same scenario against the compliant bank and against one with the fault, each on a fresh bank. */
export async function compliantAndFaulty<T>(fault: FaultName, scenario: (bank: RunningBank) => Promise<T>): Promise<{ compliant: T; faulty: T }> {
  const [compliant, faulty] = await Promise.all([withBank([], scenario), withBank([fault], scenario)]);
  return { compliant, faulty };
}

export function balance(bank: RunningBank, sourceIdentifier: string): number {
  const account = bank.state().accounts[sourceIdentifier];
  if (!account) throw new Error(`no account ${sourceIdentifier} in state`);
  return account.balance;
}

/** The account's total held amount (what a forgotten hold leaves behind, even once no reservation is listed as held). */
export function held(bank: RunningBank, sourceIdentifier: string): number {
  const account = bank.state().accounts[sourceIdentifier];
  if (!account) throw new Error(`no account ${sourceIdentifier} in state`);
  return account.held;
}

export function isHeld(bank: RunningBank, reserveFundsTxnRef: string, raasTxnRef: string): boolean {
  return bank.state().held.some((h) => h.reserveFundsTxnRef === reserveFundsTxnRef && h.raasTxnRef === raasTxnRef);
}

/**
 * A bank's `wait` that records what was asked and spends almost none of it, so a 5 s fault costs a
 * test nothing. Each wait still lasts until a later timer turn: waits started side by side overlap,
 * while a queue that runs them one at a time never has more than one pending.
 */
export class WaitLog {
  asked: number[] = [];
  pending = 0;
  maxPending = 0;
  /** A clock the test moves by hand (expiring-holds ages its holds by the bank's clock). */
  private offsetMs = 0;

  readonly clock = (): number => Date.now() + this.offsetMs;

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  readonly wait: Wait = (ms) => {
    this.asked.push(ms);
    this.pending += 1;
    this.maxPending = Math.max(this.maxPending, this.pending);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        this.pending -= 1;
        resolve();
      }, 0),
    );
  };

  reset(): void {
    this.asked = [];
    this.maxPending = this.pending;
  }
}
