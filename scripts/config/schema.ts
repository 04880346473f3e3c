import { z } from 'zod';
import { PROFILES } from '../../checks/load-profile.ts';

/**
 * The configuration a bank writes to certify its Bank Interfaces implementation.
 * Every object is strict: a misspelt key is an error, never silently ignored, because an ignored
 * `authcode` or `maximumAmmount` would certify against values the bank did not mean.
 * Cross-field rules carry their own fix in `params.fix`; issues.ts turns them into sentences.
 */

/** The spec caps amounts at 12 digits (minor units). */
export const MAX_AMOUNT = 999_999_999_999;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** k6 duration syntax, e.g. "30s", "5m", "1h30m", "500ms". */
const DURATION = /^(?:\d+(?:ms|s|m|h))+$/;

const amount = () => z.int().min(0).max(MAX_AMOUNT);

/** A refinement that reports `message` with a `fix` when `ok` is false. */
function rule<T>(ok: (value: T) => boolean, message: string, fix: string) {
  return [ok, { error: message, params: { fix } }] as const;
}

const baseUrl = z
  .string()
  .superRefine((text, ctx) => {
    const problem = baseUrlProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
  })
  .describe('Base URL of the bank, e.g. "https://bank.example.com/api"; target.paths are appended to it.');

function baseUrlProblem(text: string): { message: string; fix: string } | undefined {
  const example = 'e.g. "https://bank.example.com/api"';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { message: 'is not an absolute URL', fix: `use an http:// or https:// URL, ${example}` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: 'is not a valid URL', fix: `use an http:// or https:// URL, ${example}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { message: `uses the unsupported scheme "${url.protocol.slice(0, -1)}"`, fix: `use http:// or https://, ${example}` };
  }
  if (url.username || url.password) {
    return {
      message: 'contains credentials',
      fix: 'remove user:password@ from the URL: credentials never go in the config (use target.tls client certificates or signing)',
    };
  }
  if (url.search || url.hash) {
    return { message: 'has a query string or fragment', fix: 'keep only scheme, host, port and base path in baseUrl; endpoint paths go in target.paths' };
  }
  return undefined;
}

const endpointPath = (fallback: string) =>
  z
    .string()
    .refine(...rule<string>((p) => p.startsWith('/'), 'must start with "/"', `write it as an absolute path, e.g. "${fallback}"`))
    .refine(...rule<string>((p) => !/\s/.test(p), 'must not contain spaces', 'remove the whitespace'))
    .default(fallback);

const tls = z
  .strictObject({
    caFile: z.string().min(1).optional().describe("PEM file of the CA that signed the bank's certificate (relative paths: against this file's directory)."),
    certFile: z.string().min(1).optional().describe('PEM client certificate for mutual TLS; needs keyFile.'),
    keyFile: z.string().min(1).optional().describe('PEM private key of certFile; needs certFile.'),
    insecureSkipVerify: z.boolean().default(false).describe('Skip server certificate verification. For test environments only.'),
  })
  .superRefine((t, ctx) => {
    const fix = 'give both certFile and keyFile (mutual TLS needs the certificate and its key), or neither';
    if (t.certFile !== undefined && t.keyFile === undefined)
      ctx.addIssue({ code: 'custom', path: ['keyFile'], message: 'is missing while certFile is set', params: { fix } });
    if (t.keyFile !== undefined && t.certFile === undefined)
      ctx.addIssue({ code: 'custom', path: ['certFile'], message: 'is missing while keyFile is set', params: { fix } });
  });

const target = z
  .strictObject({
    baseUrl,
    paths: z
      .strictObject({
        reserveFunds: endpointPath('/reserveFunds').describe('Path of the reserveFunds endpoint, appended to baseUrl.'),
        transactResult: endpointPath('/transactResult').describe('Path of the transactResult endpoint, appended to baseUrl.'),
      })
      .prefault({}),
    timeoutMs: z.int().min(100).max(60_000).default(5_000).describe('Per-request timeout in ms; the platform gives up after 5000.'),
    tls: tls.optional().describe('TLS settings; only with an https:// baseUrl.'),
  })
  .superRefine((t, ctx) => {
    if (t.tls !== undefined && t.baseUrl.toLowerCase().startsWith('http://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'is set but target.baseUrl uses http://',
        params: { fix: 'use an https:// baseUrl, or remove target.tls' },
      });
    }
  });

const signing = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Send the Signature header (HMAC-SHA256 of the body) on every request.'),
    secretEnv: z
      .string()
      .refine(
        ...rule<string>(
          (s) => ENV_NAME.test(s),
          'is not a valid environment variable name',
          'use letters, digits and "_", not starting with a digit, e.g. "BANKCERT_SIGNING_SECRET"',
        ),
      )
      .default('BANKCERT_SIGNING_SECRET')
      .describe('Name of the environment variable holding the shared secret. The secret itself never goes in this file.'),
  })
  .prefault({});

const limits = z
  .strictObject({
    minimumAmount: amount().describe('Smallest reserveAmount the bank accepts, in minor units (inclusive).'),
    maximumAmount: amount().min(1).describe('Largest reserveAmount the bank accepts, in minor units (inclusive).'),
  })
  .superRefine((l, ctx) => {
    if (l.minimumAmount >= l.maximumAmount) {
      ctx.addIssue({
        code: 'custom',
        path: ['minimumAmount'],
        message: `must be below limits.maximumAmount (${l.maximumAmount})`,
        params: { fix: 'set minimumAmount < maximumAmount; both are inclusive limits in minor units' },
      });
    }
  });

const product = z.strictObject({
  productId: z.int().min(0).max(99_999).describe('productId sent in reserveFunds (≤ 5 digits).'),
  productType: z.int().min(0).optional().describe('productType sent in reserveFunds, when the bank uses it.'),
  feeAmount: amount().default(0).describe('feeAmount of an ordinary purchase, in minor units.'),
  channelId: z.int().min(0).max(99).describe('channelId sent in reserveFunds (≤ 2 digits).'),
  channelName: z.string().min(1).max(64).describe('channelName sent in reserveFunds, e.g. "USSD".'),
  typicalAmount: amount().optional().describe('reserveAmount of an ordinary purchase; default: 2 × minimumAmount, clamped into the limits.'),
  clientSharePerMille: z.int().min(0).max(1000).default(50).describe('Client share of reserveAmount in per mille, to derive clientShareAmount.'),
});

const sourceIdentifier = z.string().min(1).max(32).describe('Identifier the bank maps to the account (usually an MSISDN).');
const authCode = z.string().min(1).max(64).describe("The buyer's PIN for this account, as a string (quoted, to keep leading zeros).");
const balance = amount();

const accounts = z
  .strictObject({
    funded: z.strictObject({ sourceIdentifier, authCode: authCode.optional() }).optional().describe('Active account with ample funds.'),
    lowBalance: z
      .strictObject({ sourceIdentifier, balance: balance.describe('Its available balance in minor units.'), authCode: authCode.optional() })
      .optional()
      .describe('Active account whose balance + 1 lies within the limits, to provoke 2010.'),
    inactive: z.strictObject({ sourceIdentifier, authCode: authCode.optional() }).optional().describe('Inactive account, to provoke 2080.'),
    blacklisted: z.strictObject({ sourceIdentifier, authCode: authCode.optional() }).optional().describe('Blacklisted identifier, to provoke 2070.'),
    unmapped: z.strictObject({ sourceIdentifier }).optional().describe('Identifier mapped to no account, to provoke 2030.'),
    probe: z
      .strictObject({ sourceIdentifier, authCode: authCode.optional(), balance: balance.optional().describe('Declared balance; otherwise measured.') })
      .optional()
      .describe('Active account used to measure available funds (safety checks).'),
    load: z
      .array(z.strictObject({ sourceIdentifier, authCode: authCode.optional() }))
      .default([])
      .describe('Pool of funded accounts for load tests.'),
  })
  .superRefine((a, ctx) => distinctIdentifiers(a, ctx));

type Accounts = z.output<typeof accounts>;
type Ctx = Parameters<Parameters<typeof accounts.superRefine>[0]>[1];

/** Each role must provoke exactly one rule, so two roles may not share an account. */
function distinctIdentifiers(a: Accounts, ctx: Ctx): void {
  const seen = new Map<string, string>();
  const roles = ['funded', 'lowBalance', 'inactive', 'blacklisted', 'unmapped', 'probe'] as const;
  for (const role of roles) {
    const id = a[role]?.sourceIdentifier;
    if (id === undefined) continue;
    const other = seen.get(id);
    if (other !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [role, 'sourceIdentifier'],
        message: `is also used by accounts.${other}`,
        params: { fix: 'give each role its own account: every fixture must break exactly one rule' },
      });
    } else seen.set(id, role);
  }
  const pool = new Set<string>();
  a.load.forEach((entry, i) => {
    const id = entry.sourceIdentifier;
    const other = seen.get(id);
    // The load pool may share the funded account (it is funded); any other role would fail or disturb a check.
    if (other !== undefined && other !== 'funded') {
      ctx.addIssue({
        code: 'custom',
        path: ['load', i, 'sourceIdentifier'],
        message: `is accounts.${other}, which cannot take load`,
        params: { fix: 'use only active, funded accounts in accounts.load' },
      });
    } else if (pool.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['load', i, 'sourceIdentifier'],
        message: 'appears twice in accounts.load',
        params: { fix: 'remove the duplicate' },
      });
    }
    pool.add(id);
  });
}

const cancel = z
  .strictObject({
    reserveFundsTxnRef: z
      .enum(['empty', 'raasTxnRef'])
      .default('empty')
      .describe('What a timeout cancel sends as reserveFundsTxnRef: "empty" or the raasTxnRef.'),
    responseCode: z.int().min(1).max(9999).default(2239).describe('Non-zero transactResult code of a not-dispensed outcome (default 2239).'),
  })
  .prefault({});

const safety = z
  .strictObject({
    deliveries: z
      .int()
      .min(2)
      .max(20)
      .default(3)
      .describe('How many times the safety suite delivers the same transactResult, in sequence and again concurrently (default 3).'),
    concurrentReservations: z
      .int()
      .min(2)
      .max(50)
      .default(10)
      .describe('Reservations sent at once to test reserveFundsTxnRef uniqueness under concurrency (default 10).'),
    lateOutcomeS: z
      .int()
      .min(6)
      .max(600)
      .default(10)
      .describe('SF-LATE-OUTCOME: seconds between a reservation and its "dispensed" outcome, beyond the platform\'s 5 s cut-off (default 10).'),
  })
  .prefault({});

const load = z
  .strictObject({
    profile: z
      .string()
      .refine(
        ...rule<string>(
          (p) => p.split(',').every((name) => (PROFILES as readonly string[]).includes(name.trim())),
          'is not a load profile',
          `use one of ${PROFILES.join(', ')}, or a profile then the capacity search ("load,capacity")`,
        ),
      )
      .optional()
      .describe(
        'Load profile: smoke, load, stress, spike, soak or capacity; "load,capacity" runs a profile and then the capacity search. Leave it out to certify your expected peak: certify then runs the load profile at expectedPeakRate (as does --profile, which overrides this).',
      ),
    expectedPeakRate: z
      .number()
      .positive()
      .max(100_000)
      .optional()
      .describe(
        'Your expected production peak in iterations per second (one iteration is one purchase: a reserveFunds and its transactResult), e.g. the peak purchases per second you expect from the platform, from your own traffic figures, with headroom. Without a profile, certify runs the load profile at this rate (ramp, hold at least 2 minutes, ramp down), and the certificate says whether this peak was proven. Required for a run with the load suite unless a profile is chosen.',
      ),
    rate: z
      .number()
      .positive()
      .max(100_000)
      .optional()
      .describe("Arrival rate in iterations per second; default: expectedPeakRate for the load, stress, spike and soak profiles, else the profile's own."),
    duration: z
      .string()
      .refine(...rule<string>((d) => DURATION.test(d), 'is not a k6 duration', 'use a duration like "30s", "5m" or "1h30m"'))
      .optional()
      .describe(
        'How long the main phase lasts, e.g. "5m" (the load profile: how long it holds its peak; default at least 2 minutes and 3000 iterations). A hold under 2 minutes does not prove the expected peak, and the certificate says so.',
      ),
    dispensedShare: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of load iterations finished as dispensed (debited); default 0: every reservation is released, no money moves.'),
    stepDuration: z
      .string()
      .refine(...rule<string>((d) => DURATION.test(d), 'is not a k6 duration', 'use a duration like "5s" or "30s"'))
      .default('5s')
      .describe('Capacity profile: how long each constant-rate step lasts.'),
    maxRate: z.number().positive().max(100_000).default(2000).describe('Capacity profile: the highest rate tried, iterations/s.'),
    capacityStartRate: z
      .number()
      .positive()
      .max(100_000)
      .optional()
      .describe("Capacity profile: the first step's rate when it runs after another profile (default 5; alone it starts at rate)."),
  })
  .prefault({});

/** Thresholds may tighten the spec's limits, never loosen them: a looser bar would not be the spec's certificate. */
const thresholds = z
  .strictObject({
    p95Ms: z.int().min(1).max(2_000).default(2_000).describe('p95 latency bound in ms (Bank Interfaces: 2000).'),
    p99Ms: z.int().min(1).max(2_000).default(2_000).describe('p99 latency bound in ms (Bank Interfaces: 2000).'),
    maxMs: z.int().min(1).max(5_000).default(5_000).describe("Slowest acceptable answer in ms (the platform's cut-off: under 5000)."),
    errorRate: z.number().min(0).max(1).default(0.001).describe('Highest acceptable rate of transport errors and 5xx (0.001 = 0.1 %).'),
    declineRate: z
      .number()
      .min(0)
      .max(1)
      .default(0.001)
      .describe(
        'Highest acceptable share of reserveFunds for the funded load accounts answered with a code other than 0000 (2060, 2090, …) under load (LD-DECLINES; 0.001 = 0.1 %).',
      ),
    minCapacity: z
      .number()
      .positive()
      .max(100_000)
      .optional()
      .describe(
        'The rate the bank declares it must carry, iterations/s. When set, LD-CAPACITY is a MUST check that fails below it, and a run without a chosen profile adds the capacity search; unset, LD-CAPACITY is informational.',
      ),
  })
  .superRefine((t, ctx) => {
    // Ordering is only worth a message once each value is within its own bound (reported separately).
    if (t.p95Ms > 2_000 || t.p99Ms > 2_000 || t.maxMs > 5_000) return;
    if (t.p95Ms > t.p99Ms)
      ctx.addIssue({ code: 'custom', path: ['p95Ms'], message: `is above thresholds.p99Ms (${t.p99Ms})`, params: { fix: 'keep p95Ms ≤ p99Ms ≤ maxMs' } });
    if (t.p99Ms > t.maxMs)
      ctx.addIssue({ code: 'custom', path: ['p99Ms'], message: `is above thresholds.maxMs (${t.maxMs})`, params: { fix: 'keep p95Ms ≤ p99Ms ≤ maxMs' } });
  })
  .prefault({});

const baseline = z
  .strictObject({
    p95Pct: z.number().min(0).max(1000).default(20).describe('--baseline: allowed p95 growth, % of the baseline run (default 20).'),
    p99Pct: z.number().min(0).max(1000).default(25).describe('--baseline: allowed p99 growth, % of the baseline run (default 25).'),
    errorRatePts: z.number().min(0).max(100).default(0.1).describe('--baseline: allowed error-rate growth in percentage points (default 0.1).'),
    capacityPct: z.number().min(0).max(100).default(10).describe('--baseline: allowed capacity loss, % of the baseline (default 10).'),
    onRegression: z.enum(['warn', 'fail']).default('warn').describe('--baseline: a regression beyond tolerance warns (default) or fails its check.'),
  })
  .prefault({});

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors; ignored by bankcert.'),
    bank: z.string().min(1).max(100).describe('Display name of the bank, printed on the certificate.'),
    target: target.describe("Where the bank's two endpoints are."),
    signing: signing.describe('Request signing (Signature header).'),
    limits: limits.describe("The bank's reserveAmount limits, in minor units."),
    product: product.describe('The product the harness buys in every reserveFunds.'),
    accounts: accounts.describe('Fixture accounts; a missing one skips its checks with the reason printed.'),
    cancel: cancel.describe('How the harness cancels a reservation it abandoned after the 5 s cut-off.'),
    safety: safety.describe('Safety suite settings (retries and concurrency).'),
    load: load.describe('Load suite settings.'),
    thresholds: thresholds.describe('Load suite pass/fail bounds.'),
    baseline: baseline.describe('Nightly comparison with an earlier result.json (certify --baseline DIR).'),
  })
  .superRefine((c, ctx) => {
    const { minimumAmount: min, maximumAmount: max } = c.limits;
    const low = c.accounts.lowBalance;
    if (low !== undefined && min < max) {
      const why = 'RF-2010 reserves balance + 1, which must lie within the limits, or the bank answers 2040/2050 instead';
      if (low.balance < min)
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', 'lowBalance', 'balance'],
          message: `is below limits.minimumAmount (${min})`,
          params: { fix: `use an account with a balance of at least ${min}: ${why}` },
        });
      else if (low.balance + 1 > max)
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', 'lowBalance', 'balance'],
          message: `is too high: balance + 1 exceeds limits.maximumAmount (${max}), so 2010 cannot be provoked within the limits`,
          params: { fix: `use an account with a balance below ${max}: ${why}` },
        });
    }
    const minCapacity = c.thresholds.minCapacity;
    if (minCapacity !== undefined && minCapacity > c.load.maxRate) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'minCapacity'],
        message: `is above load.maxRate (${c.load.maxRate}), the highest rate the capacity search tries`,
        params: { fix: `raise load.maxRate to at least ${minCapacity}, or lower thresholds.minCapacity` },
      });
    }
    const typical = effectiveTypicalAmount(c);
    const explicit = c.product.typicalAmount !== undefined;
    const where = explicit ? ['product', 'typicalAmount'] : ['product', 'feeAmount'];
    if (min < max && (typical < min || typical > max)) {
      ctx.addIssue({
        code: 'custom',
        path: where,
        message: `is outside the limits [${min}, ${max}]`,
        params: { fix: 'choose a typicalAmount within limits.minimumAmount..maximumAmount' },
      });
    } else if (typical <= c.product.feeAmount) {
      const message = explicit
        ? `must be above product.feeAmount (${c.product.feeAmount})`
        : `must be below the typical amount (${typical}, default 2 × minimumAmount)`;
      ctx.addIssue({
        code: 'custom',
        path: where,
        message,
        params: { fix: 'set product.typicalAmount above product.feeAmount (reserveAmount = purchaseAmount + feeAmount)' },
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;
/** What a user writes: defaults not yet applied. */
export type ConfigInput = z.input<typeof ConfigSchema>;

/** reserveAmount of an ordinary purchase: the configured one, or twice the minimum clamped into the limits. */
export function effectiveTypicalAmount(config: Pick<Config, 'limits' | 'product'>): number {
  if (config.product.typicalAmount !== undefined) return config.product.typicalAmount;
  const { minimumAmount: min, maximumAmount: max } = config.limits;
  return Math.min(Math.max(min * 2, min, 1), max);
}
