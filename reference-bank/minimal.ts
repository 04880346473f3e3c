import { z } from 'zod';

/**
 * The reference bank's two compliant personalities. `strict` validates every field of the request
 * tables (and is the one faults break); `minimal` validates only what the bank acts on (the spec's
 * "Which fields the bank acts on"): a compliant bank that a harness must certify although it never
 * looks at productId, timestamps or the other informational fields.
 */
export type Personality = 'strict' | 'minimal';

// Amounts are integers of at most 12 digits; the sign is left to the limits (a negative amount is below the minimum: 2050).
const TWELVE_DIGITS = 10 ** 12 - 1;
const reference = z.string().min(1).max(64);

/**
 * What the minimal bank reads from reserveFunds. Any other key is dropped unread, whatever its type;
 * authCode is `unknown` because only an account with a PIN looks at it (a non-string is then a wrong PIN).
 */
export const MinimalReserveSchema = z.object({
  clientTxnRef: reference,
  raasTxnRef: reference,
  reserveAmount: z.number().int().min(-TWELVE_DIGITS).max(TWELVE_DIGITS),
  sourceIdentifier: z.string(),
  authCode: z.unknown().optional(),
});

/** What the minimal bank reads from transactResult: its own reference and the outcome, nothing else. */
export const MinimalTransactSchema = z.object({
  reserveFundsTxnRef: z.string(),
  responseCode: z.number().int(),
});
