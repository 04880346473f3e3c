// The reserveFunds response codes of the Bank Interfaces API (Transact errors table; docs/checks.md).
export const RESPONSE_CODES = {
  '0000': 'Success, funds reserved',
  '2010': 'Insufficient funds',
  '2020': 'Invalid authentication code or unknown sourceIdentifier',
  '2030': 'Consumer account not mapped',
  '2040': 'Maximum amount exceeded',
  '2050': 'Below minimum amount',
  '2060': 'Internal time-out',
  '2070': 'Blacklisted consumer account',
  '2080': 'Consumer account inactive',
  '2090': 'Unknown error',
} as const;

export type ResponseCode = keyof typeof RESPONSE_CODES;

/**
 * The spec makes responseCode a 4-digit string, but banks sometimes send a number.
 * Normalise for comparison and say whether it was numeric (RF-SCHEMA warns on that).
 */
export function normaliseCode(raw: unknown): { code: string; numeric: boolean } | undefined {
  if (typeof raw === 'string') return { code: raw, numeric: false };
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) {
    return { code: String(raw).padStart(4, '0'), numeric: true };
  }
  return undefined;
}

/** Non-zero transactResult outcomes the platform really sends (its error table). */
export const FAILURE_OUTCOMES = {
  2201: 'Supplier unable to complete',
  2210: 'Invalid data format',
  2213: 'Invalid MSISDN',
  2214: 'Invalid recharge',
  2225: 'System volumes exceeded',
  2226: 'Problem processing',
  2239: 'Timeout connecting to supplier',
  2242: 'Maximum transactions per time period',
} as const;

export const DISPENSED = 0;

/**
 * The outcome bankcert sends when it finishes a reservation after the run (cleanup, reconcile):
 * "problem processing", distinct from the configured cancel code so the bank's logs tell them apart.
 */
export const CLEANUP_OUTCOME = 2226;
