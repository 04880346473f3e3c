import { CATALOGUE } from '../../checks/catalogue.ts';
import { withSummary } from '../summary.ts';
import { FIXTURE_NAMES } from '../../checks/ids.ts';
import type { CheckId } from '../../checks/ids.ts';
import type { Observation } from '../../checks/events.ts';
import { ResultSchema, type Result } from '../../checks/result.ts';
import { evaluate } from '../../checks/judge/verdict.ts';

/** Everything a hostile or sloppy bank could put in a string: markup, quotes, CDATA end, templates, control chars, unicode. */
export const NASTY = `<script>alert(1)</script> "quotes" 'single' ]]> & {{handlebars}} {{{triple}}} | pipe \`tick\` [link](http://x) *em* _u_ \\ ctl:\u0001\u0008\u001f\u007f lone:\ud800 nonchar:\uffff ünïcødé 💸 Ω\nsecond line\r\nthird`;

const FAILING: CheckId = 'RF-2010';
const WARNING: CheckId = 'SF-TIMEOUT-CANCEL';
const SKIPPED: CheckId = 'RF-2020';

const observations: Observation[] = CATALOGUE.filter((d) => d.id !== FAILING && d.id !== WARNING && d.id !== SKIPPED).map((d) => ({
  id: d.id,
  status: 'pass',
  expected: 'HTTP 200',
  observed: 'HTTP 200',
  counts: { cases: 2 },
}));

observations.push(
  {
    id: FAILING,
    status: 'fail',
    expected: 'responseCode 2010',
    observed: `responseCode 0000 (HTTP 200) ${NASTY}`,
    counts: { cases: 1 },
    evidence: [
      {
        step: `reserveFunds on lowBalance for balance + 1 ${NASTY}`,
        request: {
          method: 'POST',
          url: 'https://bank.example/reserveFunds?x=<y>&z="1"',
          headers: { 'content-type': 'application/json', 'x-evil': NASTY },
          body: JSON.stringify({ raasTxnRef: 'r-1', sourceIdentifier: NASTY, reserveAmount: 10001 }),
        },
        response: {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-bank': `<b>${NASTY}</b>` },
          body: `{"responseCode":"0000","reserveFundsTxnRef":"${'<script>alert(1)</script>'}","note":"]]> & {{handlebars}}"}`,
          durationMs: 42,
        },
      },
      {
        step: 'reserveFunds retry',
        request: { method: 'POST', url: 'https://bank.example/reserveFunds', headers: {}, body: `not json ${NASTY}` },
        error: `connection reset ${NASTY}`,
      },
    ],
  },
  { id: WARNING, status: 'fail', expected: 'funds released', observed: 'HTTP 404', reason: `cancel not matched ${NASTY}` },
  { id: SKIPPED, status: 'skip', expected: '', observed: '', reason: 'no authCode on the funded fixture' },
);

const evaluation = evaluate({ fixtures: new Set(FIXTURE_NAMES), definitions: CATALOGUE, observations, signing: true, harnessProblems: [`k6 said ${NASTY}`] });

/** A not-certified Result (one MUST failure, one SHOULD warning, one skip, the rest passing), validated by ResultSchema. */
export function fixtureResult(overrides: Partial<Result> = {}): Result {
  return ResultSchema.parse({
    schemaVersion: 1,
    verdict: evaluation.verdict,
    inconclusiveReasons: evaluation.inconclusiveReasons,
    bank: `Example Bank ${NASTY}`,
    target: { reserveFundsUrl: 'https://bank.example/reserveFunds', transactResultUrl: 'https://bank.example/transactResult' },
    suites: ['conformance', 'safety', 'security', 'load'],
    signing: true,
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:06:17.500Z',
    runId: 'run-20250102-abc123',
    checks: evaluation.checks.map(withSummary),
    ledger: { reservations: 12, debited: 5, released: 6, refused: 4, open: 0, cleanedUp: 1 },
    harness: { version: '0.1.0', k6Version: 'v2.0.0' },
    configDigest: 'sha256:c0nf1gd1gest000000000000000000000000000000000000000000000000000',
    digest: 'sha256:r3su1td1gest111111111111111111111111111111111111111111111111111',
    ...overrides,
  });
}
