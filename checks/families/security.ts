import { defineCheck } from '../define.ts';

export const SECURITY_CHECKS = {
  'SEC-SIGNATURE': defineCheck({
    id: 'SEC-SIGNATURE',
    title: 'Tampered or wrongly signed requests never reserve',
    level: 'MUST',
    suite: 'security',
    specRef: 'spec: Request signing; Ambiguities (invalid signature)',
    remediation: 'Verify the Signature header over the raw body bytes before parsing; refuse (401/403 or a non-0000 code) and reserve nothing on mismatch.',
    observedBy: 'A tamper matrix of signed requests (wrong secret, changed byte, re-serialised body, missing/empty/duplicated header, base64url).',
    needs: ['funded'],
    appliesWhen: 'signing',
  }),
  'SEC-BAD-INPUT': defineCheck({
    id: 'SEC-BAD-INPUT',
    title: 'Malformed requests are refused without harm',
    level: 'MUST',
    suite: 'security',
    specRef: 'spec: reserveFunds request (field limits)',
    remediation: 'Validate every field (presence, type, length, digits) and answer a non-0000 code; never 5xx repeatedly and never reserve.',
    observedBy: 'Requests generated from the request schemas with each field missing, mistyped, oversized or empty, plus malformed bodies.',
    needs: ['funded'],
  }),
} as const;
