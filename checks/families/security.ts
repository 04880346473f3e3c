import { defineCheck } from '../define.ts';

export const SECURITY_CHECKS = {
  'SEC-SIGNATURE': defineCheck({
    id: 'SEC-SIGNATURE',
    title: 'Tampered or wrongly signed requests never reserve',
    level: 'MUST',
    suite: 'security',
    sources: [
      { source: 'signature', section: "HMAC-SHA256 of the request body, base64" },
      { source: 'apiReference', section: "Signature header (reserveFunds and transactResult)" },
    ],
    remediation: 'Verify the Signature header over the raw body bytes before parsing; refuse (401/403 or a non-0000 code) and reserve nothing on mismatch.',
    observedBy: 'A tamper matrix of signed requests (wrong secret, changed byte, re-serialised body, missing/empty/duplicated header, base64url).',
    needs: ['funded'],
    appliesWhen: 'signing',
    cost: "7 tampered reserveFunds and 1 correctly signed control (released); forged transactResults for 2 probe reservations (then released); 2 probe measurements.",
  }),
  'SEC-BAD-INPUT': defineCheck({
    id: 'SEC-BAD-INPUT',
    title: 'Malformed requests are refused without harm',
    level: 'MUST',
    suite: 'security',
    sources: [
      { source: 'apiReference', section: "reserveFunds request body (types and limits)" },
      { source: 'gettingStarted', section: "1.2 Process request: validate purchase" },
      { source: 'bankcert', section: "SEC-BAD-INPUT" },
    ],
    remediation: 'Validate every field (presence, type, length, digits) and answer a non-0000 code; never 5xx repeatedly and never reserve.',
    observedBy: 'Requests generated from the request schemas with each field missing, mistyped, oversized or empty, plus malformed bodies.',
    needs: ['funded'],
    cost: "About 60 hostile reserveFunds on the probe account (or funded; authCode cases on funded), then 1 valid one; anything granted is released; 2 probe measurements.",
    reading: "The bank acts on reserveAmount, sourceIdentifier, authCode (where the account has a PIN) and the references it keeps (raasTxnRef, clientTxnRef); every other field is informational. Hostile or missing acted-on fields and malformed bodies must never be granted.",
  }),
} as const;
