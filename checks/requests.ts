import type { Plan } from './plan.ts';
import type { ReserveFundsRequest, TransactResultRequest } from './protocol.ts';

export interface Refs {
  clientTxnRef: string;
  raasTxnRef: string;
}

/**
 * Amounts are always consistent (docs/checks.md): reserveAmount = purchaseAmount + feeAmount and
 * settlementAmount = reserveAmount − clientShareAmount. When reserveAmount is below the fee (a
 * below-minimum probe with a fee configured) the fee is dropped so no amount goes negative.
 */
export function amountsFor(plan: Plan, reserveAmount: number) {
  const feeAmount = reserveAmount >= plan.product.feeAmount ? plan.product.feeAmount : 0;
  const clientShareAmount = Math.floor((reserveAmount * plan.product.clientSharePerMille) / 1000);
  return {
    purchaseAmount: reserveAmount - feeAmount,
    reserveAmount,
    feeAmount,
    clientShareAmount,
    settlementAmount: reserveAmount - clientShareAmount,
  };
}

export function reserveRequest(
  plan: Plan,
  args: { refs: Refs; sourceIdentifier: string; reserveAmount: number; authCode?: string; timestamp: string },
): ReserveFundsRequest {
  const { product } = plan;
  const a = amountsFor(plan, args.reserveAmount);
  // The body is JSON.stringify(request): key order is wire order, so productType (when configured) sits
  // between productId and purchaseAmount. Built once per VU on the load path (checks/load-driver.ts).
  const request: ReserveFundsRequest = {
    clientTxnRef: args.refs.clientTxnRef,
    raasTxnRef: args.refs.raasTxnRef,
    productId: product.productId,
    ...(product.productType === undefined ? {} : { productType: product.productType }),
    purchaseAmount: a.purchaseAmount,
    reserveAmount: a.reserveAmount,
    feeAmount: a.feeAmount,
    clientShareAmount: a.clientShareAmount,
    settlementAmount: a.settlementAmount,
    sourceIdentifier: args.sourceIdentifier,
    targetIdentifier: args.sourceIdentifier,
    channelId: product.channelId,
    channelName: product.channelName,
    timestamp: args.timestamp,
  };
  // authCode is sent as a string, never a number (the API reference types it as a string).
  if (args.authCode !== undefined) request.authCode = args.authCode;
  return request;
}

export function transactResultRequest(args: {
  refs: Refs;
  reserveFundsTxnRef: string;
  responseCode: number;
  amounts: Pick<TransactResultRequest, 'reserveAmount' | 'feeAmount' | 'clientShareAmount' | 'settlementAmount'>;
  timestamp: string;
}): TransactResultRequest {
  return {
    clientTxnRef: args.refs.clientTxnRef,
    raasTxnRef: args.refs.raasTxnRef,
    reserveFundsTxnRef: args.reserveFundsTxnRef,
    responseCode: args.responseCode,
    reserveAmount: args.amounts.reserveAmount,
    feeAmount: args.amounts.feeAmount,
    clientShareAmount: args.amounts.clientShareAmount,
    settlementAmount: args.amounts.settlementAmount,
    timestamp: args.timestamp,
    // Listed as required by the API reference; only meaningful for token products.
    token: '',
  };
}

/**
 * The reserveFundsTxnRef of a cancel after the platform's 5 s cut-off, when it never saw the bank's
 * reference (docs/checks.md, SF-TIMEOUT-CANCEL): empty, or the raasTxnRef, as cancel.reserveFundsTxnRef says.
 */
export function cancelReference(plan: Pick<Plan, 'cancel'>, raasTxnRef: string): string {
  return plan.cancel.reserveFundsTxnRef === 'empty' ? '' : raasTxnRef;
}

/** A different code of the same shape, so only its value is wrong (not its length or alphabet). */
export function wrongAuthCode(code: string): string {
  const flipped = code.replace(/[0-9]/g, (d) => String((Number(d) + 5) % 10));
  return flipped !== code ? flipped : `${code}x`;
}
