/**
 * The reference bank's accounts and limits. `bankcert init` writes a starter config from these same
 * values, so a fresh config certifies the reference bank unchanged.
 */
export type AccountStatus = 'active' | 'inactive' | 'blacklisted';

export interface FixtureAccount {
  sourceIdentifier: string;
  status: AccountStatus;
  /** Balance in minor units at start-up. */
  balance: number;
  authCode?: string;
}

export const REFERENCE_LIMITS = { minimumAmount: 500, maximumAmount: 500_000 } as const;

export const REFERENCE_PRODUCT = {
  productId: 110,
  productType: 3,
  feeAmount: 0,
  channelId: 7,
  channelName: 'USSD',
} as const;

export const REFERENCE_ACCOUNTS = {
  funded: { sourceIdentifier: '27820000001', status: 'active', balance: 1_000_000_000, authCode: '1234' },
  lowBalance: { sourceIdentifier: '27820000002', status: 'active', balance: 5_000 },
  inactive: { sourceIdentifier: '27820000003', status: 'inactive', balance: 1_000_000_000 },
  blacklisted: { sourceIdentifier: '27820000004', status: 'blacklisted', balance: 1_000_000_000 },
  probe: { sourceIdentifier: '27820000005', status: 'active', balance: 200_000 },
} as const satisfies Record<string, FixtureAccount>;

/** Never mapped to an account. */
export const REFERENCE_UNMAPPED = '27829999999';

/** Pool for load tests: many accounts so one hot row does not measure the bank's lock. */
export const REFERENCE_LOAD_ACCOUNTS: readonly FixtureAccount[] = Array.from({ length: 50 }, (_, i) => ({
  sourceIdentifier: `2782100${String(i).padStart(4, '0')}`,
  status: 'active' as const,
  balance: 1_000_000_000,
}));

export function referenceAccounts(): FixtureAccount[] {
  return [...Object.values(REFERENCE_ACCOUNTS), ...REFERENCE_LOAD_ACCOUNTS].map((a) => ({ ...a }));
}
