import { REFERENCE_ACCOUNTS, REFERENCE_LIMITS, REFERENCE_LOAD_ACCOUNTS, REFERENCE_PRODUCT, REFERENCE_UNMAPPED } from '../../reference-bank/fixtures.ts';

/** The reference bank's default address (`bankcert bank` without --port). */
export const STARTER_BASE_URL = 'http://127.0.0.1:8480';
export const STARTER_SCHEMA_FILE = 'bankcert.config.schema.json';
const LOAD_POOL_SIZE = 10;
/** The reference bank's declared peak in the starter config (iterations/s): a default run then takes about 2.7 minutes. */
export const STARTER_PEAK_RATE = 25;

const j = (value: unknown): string => JSON.stringify(value);

/**
 * What `bankcert init` writes: every section commented, values taken from the reference bank's
 * fixtures so that the untouched file certifies the reference bank. A bank replaces the values
 * with its own test fixtures; the comments say what each fixture must be.
 */
export function starterConfigText(): string {
  const a = REFERENCE_ACCOUNTS;
  const load = REFERENCE_LOAD_ACCOUNTS.slice(0, LOAD_POOL_SIZE)
    .map((acc) => `      { "sourceIdentifier": ${j(acc.sourceIdentifier)} }`)
    .join(',\n');
  return `// bankcert configuration (JSON with comments). Written for the built-in reference bank:
// replace the values with your own test environment's. Your editor validates this file
// against ${STARTER_SCHEMA_FILE}. Amounts are integers in minor units (25000 = 250.00).
{
  "$schema": ${j(`./${STARTER_SCHEMA_FILE}`)},

  // Display name printed on the certificate.
  "bank": "Reference Bank",

  // Where your two endpoints are: baseUrl + paths. The platform gives up after 5000 ms.
  // For https, add "tls": { "caFile": "ca.pem", "certFile": "client.pem", "keyFile": "client-key.pem" }
  // (paths relative to this file; certFile and keyFile go together for mutual TLS).
  "target": {
    "baseUrl": ${j(STARTER_BASE_URL)},
    "paths": { "reserveFunds": "/reserveFunds", "transactResult": "/transactResult" },
    "timeoutMs": 5000
  },

  // Request signing: a Signature header with base64(HMAC-SHA256(secret, body)).
  // The secret never goes in this file: export it in the environment variable named by secretEnv.
  "signing": {
    "enabled": false,
    "secretEnv": "BANKCERT_SIGNING_SECRET"
  },

  // Your reserveAmount limits, both inclusive. The harness sends maximumAmount + 1 (expects 2040)
  // and minimumAmount - 1 (expects 2050).
  "limits": {
    "minimumAmount": ${REFERENCE_LIMITS.minimumAmount},
    "maximumAmount": ${REFERENCE_LIMITS.maximumAmount}
  },

  // The product the harness buys in every reserveFunds. typicalAmount (optional) is the
  // reserveAmount of an ordinary purchase; by default 2 x minimumAmount.
  "product": {
    "productId": ${REFERENCE_PRODUCT.productId},
    "productType": ${REFERENCE_PRODUCT.productType},
    "feeAmount": ${REFERENCE_PRODUCT.feeAmount},
    "channelId": ${REFERENCE_PRODUCT.channelId},
    "channelName": ${j(REFERENCE_PRODUCT.channelName)},
    "clientSharePerMille": 50
  },

  // Test accounts your bank must provide, each breaking exactly one rule. Leave one out and the
  // checks that need it are skipped, with the reason in the report. authCode is the buyer's PIN,
  // always a quoted string; it is sent only to your bank and never written to any output.
  "accounts": {
    // Active, with ample funds (and a PIN, to provoke 2020 with a wrong one): expects 0000.
    "funded": { "sourceIdentifier": ${j(a.funded.sourceIdentifier)}, "authCode": ${j(a.funded.authCode)} },
    // Active, with exactly this available balance; balance + 1 must lie within the limits: expects 2010.
    "lowBalance": { "sourceIdentifier": ${j(a.lowBalance.sourceIdentifier)}, "balance": ${a.lowBalance.balance} },
    // An inactive (dormant, closed) account with funds: expects 2080.
    "inactive": { "sourceIdentifier": ${j(a.inactive.sourceIdentifier)} },
    // A blacklisted identifier with funds: expects 2070.
    "blacklisted": { "sourceIdentifier": ${j(a.blacklisted.sourceIdentifier)} },
    // An identifier mapped to no account at all: expects 2030.
    "unmapped": { "sourceIdentifier": ${j(REFERENCE_UNMAPPED)} },
    // Active account whose available funds the harness measures (reserve, then release) to prove
    // debits happen once and releases happen. Its balance should be below maximumAmount, or declare
    // it with "balance".
    "probe": { "sourceIdentifier": ${j(a.probe.sourceIdentifier)} },
    // Funded accounts for the load suite: many, so one hot row does not measure your locking.
    "load": [
${load}
    ]
  },

  // How the harness cancels a reservation it abandoned after the 5 s cut-off: the transactResult
  // carries reserveFundsTxnRef "" ("empty") or the raasTxnRef, and this non-zero responseCode.
  "cancel": {
    "reserveFundsTxnRef": "empty",
    "responseCode": 2239
  },

  // Load suite. expectedPeakRate is your expected production peak in iterations per second (one
  // iteration is one purchase: a reserveFunds and its transactResult). Take the peak purchases per
  // second you expect from the platform, from your own traffic figures, and add headroom (say 50 %).
  // certify ramps to that rate, holds it at least 2 minutes (and 3,000 iterations) and ramps down; the
  // certificate says "Load proven" at that peak, or that the run was lighter. To run something else,
  // add "profile" (or pass --profile): smoke, load, stress, spike, soak, capacity, or a profile then the
  // capacity search ("load,capacity"); "rate" and "duration" (e.g. "5m") override the profile's, and
  // "maxRate" bounds the capacity search.
  "load": {
    "expectedPeakRate": ${STARTER_PEAK_RATE}
  },

  // Load suite bounds. They may be stricter than the spec (p95/p99 2000 ms, max 5000 ms), never looser.
  // p95/p99 are judged at 95 % confidence, so they need enough answers (p99: 299 at least).
  // declineRate: the share of reserveFunds for the funded load accounts answered with anything but 0000.
  // Add "minCapacity" (iterations/s) to make the capacity search a MUST check that fails below that rate.
  "thresholds": {
    "p95Ms": 2000,
    "p99Ms": 2000,
    "maxMs": 5000,
    "errorRate": 0.001,
    "declineRate": 0.001
  }
}
`;
}
