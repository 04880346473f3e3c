import { ReserveFundsResponseSchema, firstIssue } from './protocol.ts';

/** Why a parsed reserveFunds answer breaks the response schema, or undefined when it does not. */
export type ResponseValidator = (parsed: unknown) => string | undefined;

/**
 * The zod response check, injected into BankClient by the functional suites only: the load bundle never
 * imports zod, which would cost every VU ~7 MiB and ~90 ms to parse (bench/RESULTS.md).
 */
export const validateReserveResponse: ResponseValidator = (parsed) => {
  const checked = ReserveFundsResponseSchema.safeParse(parsed);
  return checked.success ? undefined : firstIssue(checked.error);
};
