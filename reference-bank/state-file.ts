import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { RESPONSE_CODES } from '../checks/codes.ts';
import type { ResponseCode } from '../checks/codes.ts';
import type { BankDump } from './bank-logic.ts';

const STATE_VERSION = 1;

const amount = z.number().int();
const StateFileSchema = z.object({
  version: z.literal(STATE_VERSION),
  ledger: z.object({
    accounts: z.array(z.object({ sourceIdentifier: z.string(), balance: amount, held: amount })),
    reservations: z.array(
      z.object({
        reserveFundsTxnRef: z.string(),
        raasTxnRef: z.string(),
        sourceIdentifier: z.string(),
        amount,
        state: z.enum(['held', 'debited', 'released']),
      }),
    ),
  }),
  answers: z.array(
    z.tuple([
      z.string(),
      z.object({
        responseCode: z.enum(Object.keys(RESPONSE_CODES) as [ResponseCode, ...ResponseCode[]]),
        reserveFundsTxnRef: z.string().optional(),
      }),
    ]),
  ),
});

/**
 * The saved state, or undefined when the file does not exist yet (a first start). A file that exists
 * but cannot be read or is not a state file is an error: starting empty would silently forget held money.
 */
export function readStateFile(path: string): BankDump | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') return undefined;
    throw new Error(`--state ${path}: cannot read the file (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`--state ${path}: not a reference-bank state file (invalid JSON); delete it to start from the fixtures`, { cause });
  }
  const parsed = StateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(file)';
    throw new Error(`--state ${path}: not a reference-bank state file (${where}: ${issue?.message ?? 'invalid'}); delete it to start from the fixtures`, {
      cause: parsed.error,
    });
  }
  const { ledger, answers } = parsed.data;
  return { ledger, answers };
}

/**
 * Replaces the file in one step (write a temporary file beside it, then rename), so a bank killed at any
 * moment leaves either the previous state or the new one, never half of one. Synchronous on purpose: it
 * runs before the answer is sent, so nothing the bank acknowledged can be lost with the process. (No
 * fsync: the file outlives a killed process, which is what this is for, not a power cut.)
 */
export function writeStateFile(path: string, dump: BankDump): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: STATE_VERSION, ...dump }));
  renameSync(temporary, path);
}
