import { z } from 'zod';

// Field limits follow the spec's request tables: "integer ≤ N digits" is a non-negative
// integer below 10^N; strings carry their documented maximum length.
const digits = (n: number) =>
  z
    .number()
    .int()
    .nonnegative()
    .max(10 ** n - 1);
const text = (max: number) => z.string().max(max);
const isoTimestamp = z.iso.datetime({ offset: true }).max(32);

export const ReserveFundsRequestSchema = z.object({
  clientTxnRef: text(64).min(1),
  raasTxnRef: text(64).min(1),
  productId: digits(5),
  productType: z.number().int().nonnegative().optional(),
  purchaseAmount: digits(12),
  reserveAmount: digits(12),
  feeAmount: digits(12),
  clientShareAmount: digits(12),
  settlementAmount: digits(12),
  sourceIdentifier: text(32).min(1),
  targetIdentifier: text(32).min(1),
  channelId: digits(2),
  channelName: text(64).min(1),
  channelSessionId: text(64).optional(),
  authCode: text(64).optional(),
  timestamp: isoTimestamp,
  accountIdentifier: text(64).optional(),
});
export type ReserveFundsRequest = z.infer<typeof ReserveFundsRequestSchema>;

export const TransactResultRequestSchema = z.object({
  clientTxnRef: text(64).min(1),
  raasTxnRef: text(64).min(1),
  // Empty is legal on the wire: the timeout-cancel case has no bank reference (docs/checks.md, SF-TIMEOUT-CANCEL).
  reserveFundsTxnRef: text(64),
  responseCode: digits(4),
  reserveAmount: digits(12),
  feeAmount: digits(12),
  clientShareAmount: digits(12),
  settlementAmount: digits(12),
  timestamp: isoTimestamp,
  token: text(60).optional(),
});
export type TransactResultRequest = z.infer<typeof TransactResultRequestSchema>;

/**
 * The reserveFunds answer as the spec documents it. responseCode is a string of 4 digits;
 * a number is tolerated here and flagged by RF-SCHEMA as a warning.
 */
export const ReserveFundsResponseSchema = z.object({
  responseCode: z.union([z.string().regex(/^\d{4}$/), z.number().int().nonnegative().max(9999)]),
  reserveFundsTxnRef: z.string().min(1).max(64).optional(),
});

/** First problem of a zod error as "path: message", for evidence and bank error bodies. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(body)';
  return `${path}: ${issue.message}`;
}

/** The bank's two endpoints, in the order the platform calls them. */
export const ENDPOINTS = ['reserveFunds', 'transactResult'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];
