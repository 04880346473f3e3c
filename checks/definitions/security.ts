import { defineCheck } from '../define.ts';

export const SECURITY_CHECKS = {
  'SEC-SIGNATURE': defineCheck({
    id: 'SEC-SIGNATURE',
    title: 'Tampered or forged requests never move money, on either endpoint',
    level: 'MUST',
    suite: 'security',
    sources: [
      { source: 'signature', section: 'HMAC-SHA256 of the request body, base64' },
      { source: 'apiReference', section: 'Signature header (reserveFunds and transactResult)' },
      { source: 'bankcert', section: 'SEC-SIGNATURE' },
    ],
    remediation:
      'Verify the Signature header over the raw body bytes before parsing, on reserveFunds and on transactResult alike; on mismatch refuse (401/403, or a non-0000 code on reserveFunds) and neither reserve, debit nor release.',
    observedBy:
      'A correctly signed control, then a tamper matrix of reserveFunds (wrong secret, changed byte, re-serialised body, missing/empty/duplicated header, base64url); then forged transactResults (wrong secret, body changed after signing, Signature missing or empty) for two real reservations of the probe account, one forged "dispensed" and one forged failure, with the funds probe measuring while both are held and again after they are released properly.',
    needs: [['funded', 'probe']],
    judgedBy: 'k6',
    appliesWhen: 'signing',
    cost: '1 correctly signed control and 7 tampered reserveFunds (any granted is released); 2 reservations of the minimum amount on the probe account, 8 forged transactResults for them, then their proper release; 2 probe measurements (2 reserveFunds each when funds are as expected). Nothing stays debited unless a forged "dispensed" was applied.',
    reading:
      'No code is documented for a bad Signature: a refused reserveFunds (401/403 or any non-0000 code) that reserves nothing passes. A forged transactResult must move no money; one answered 200 that moved none is a warning (refuse it with 401/403), one that debited or released fails. Without a measurable probe account the forged outcomes are judged by their answers, and one acknowledged with 200 is inconclusive.',
  }),
  'SEC-BAD-INPUT': defineCheck({
    id: 'SEC-BAD-INPUT',
    title: 'Malformed requests and hostile acted-on fields are refused without harm',
    level: 'MUST',
    suite: 'security',
    sources: [
      { source: 'apiReference', section: 'reserveFunds request body (types and limits)' },
      { source: 'gettingStarted', section: '1.2 Process request: validate purchase' },
      { source: 'bankcert', section: 'SEC-BAD-INPUT' },
    ],
    remediation:
      'Validate what you act on (reserveAmount, sourceIdentifier, the auth code where the account has one, raasTxnRef, clientTxnRef: presence, type, length, digits) and refuse malformed bodies with a non-0000 code; never 5xx repeatedly and never reserve.',
    observedBy:
      'Requests generated from the request schema with each acted-on field missing, mistyped, oversized or empty, hostile identifiers (markup, SQL, NUL, right-to-left override, lone surrogate) and malformed bodies; auth-code cases go to an account with an auth code. A valid request before and after, and the funds probe, show the bank reserved nothing and stayed healthy.',
    needs: [['funded', 'probe']],
    judgedBy: 'k6',
    cost: 'About 40 hostile reserveFunds on the probe account (or funded), 5 of them auth-code cases on funded; 1 valid reserveFunds before (per account) and 1 after, released at once, as is anything granted; 1 probe measurement.',
    reading:
      'The bank acts on reserveAmount, sourceIdentifier, authCode (where the account has a PIN) and the references it keeps (raasTxnRef, clientTxnRef); every other field is informational. Hostile or missing acted-on fields and malformed bodies must never be granted. Identifier spellings a bank may map to the same account (trailing space, zero-width space, full-width digits) harm nobody and belong to SEC-STRICT-INPUT; control characters, bidi overrides, invalid text and injection strings are hostile.',
  }),
  'SEC-STRICT-INPUT': defineCheck({
    id: 'SEC-STRICT-INPUT',
    title: 'Odd informational fields are refused too',
    level: 'SHOULD',
    suite: 'security',
    sources: [
      { source: 'apiReference', section: 'reserveFunds request body (types and limits)' },
      { source: 'bankcert', section: 'SEC-STRICT-INPUT' },
    ],
    remediation:
      'Validate the fields you do not act on as well (productId, productType, the other amounts, targetIdentifier, channel fields, timestamp, an auth code sent to an account without one) and refuse an identifier that only resembles an account (trailing space, zero-width space, full-width digits): a bank that grants them is not wrong, but it accepts data the platform never sends.',
    observedBy:
      'Requests generated from the request schema with each informational field missing, mistyped, oversized or negative, and identifier spellings a bank might normalise; each granted one is released at once and named in the warning, and the funds probe shows nothing stayed held.',
    needs: [['funded', 'probe']],
    judgedBy: 'k6',
    cost: 'About 70 reserveFunds on the probe account (or funded); anything granted is released at once; 1 probe measurement.',
    reading:
      'A bank may ignore informational fields (everything but reserveAmount, sourceIdentifier, the references and, where the account has one, the auth code): granting a request whose informational field is odd is a warning, never a failure.',
  }),
} as const;
