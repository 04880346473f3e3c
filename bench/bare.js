// @ts-nocheck: a k6 script (k6/* modules, __ENV, open), checked by running it in k6, not by the Node tsconfig.
// The baseline for `npm run bench`: k6 sending bankcert's load iteration with nothing else. Same plan
// file, same bodies (byte for byte in layout), same account rotation, same URLs and same closed model as
// scenarios/load.ts in bench mode; no signing, no validation, no checks, no ledger lines, no custom
// metrics or tags. What bankcert's scenario adds on top of this is what the bench measures.
//
// Env: BANKCERT_PLAN_FILE (plan.json), BARE_VUS, BARE_DURATION_S, BARE_MODE=iteration|reserve
// (iteration: reserveFunds then transactResult, like bankcert; reserve: reserveFunds only, like wrk).
//
// The "floor" of bankcert's design, for the bench's ceiling row: BARE_SIGN=1 signs both requests
// (k6/crypto HMAC, a Signature header; BARE_SECRET) and BARE_RECORD_LINES=N keeps a record-sized string
// per iteration and writes one console line per N of them, as bankcert's load suite does in the closed
// model. Nothing else: no parsing beyond the reference, no checks. No harness can be faster than this
// floor while it signs and reports its records through k6's console.
import http from 'k6/http';
import exec from 'k6/execution';
import { hmac } from 'k6/crypto';

const plan = JSON.parse(open(__ENV.BANKCERT_PLAN_FILE));
const reserveOnly = __ENV.BARE_MODE === 'reserve';
const product = plan.product;
const amount = product.typicalAmount;
const fee = amount >= product.feeAmount ? product.feeAmount : 0;
const clientShare = Math.floor((amount * product.clientSharePerMille) / 1000);
const pool = plan.accounts.load.length > 0 ? plan.accounts.load : [plan.accounts.funded];
const productType = product.productType === undefined ? '' : `"productType":${product.productType},`;
// Everything after the refs and before the account is the same for every request.
const fixedAmounts = `"productId":${product.productId},${productType}"purchaseAmount":${amount - fee},"reserveAmount":${amount},"feeAmount":${fee},"clientShareAmount":${clientShare},"settlementAmount":${amount - clientShare}`;
const channel = `"channelId":${product.channelId},"channelName":${JSON.stringify(product.channelName)}`;
const trAmounts = `"reserveAmount":${amount},"feeAmount":${fee},"clientShareAmount":${clientShare},"settlementAmount":${amount - clientShare}`;
const params = { headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, timeout: `${plan.load.timeoutMs}ms`, responseType: 'text' };
const REF = /"reserveFundsTxnRef":"([^"]*)"/;
const sign = __ENV.BARE_SIGN === '1';
const secret = __ENV.BARE_SECRET ?? 'bench-floor-secret';
const recordsPerLine = Number(__ENV.BARE_RECORD_LINES ?? 0);
// Signed: one params object whose Signature is rewritten per request (k6 reads params during the call and
// keeps nothing), as bankcert's load driver does. BARE_RATE adds the endpoint tag (one params per endpoint).
const signedParams = {
  headers: { 'Content-Type': 'application/json', Accept: 'application/json', Signature: '' },
  timeout: params.timeout,
  responseType: 'text',
};
const paramsFor = (body, endpoint) => {
  if (!sign && rate === 0) return params;
  const p =
    rate > 0
      ? { headers: sign ? { ...signedParams.headers } : params.headers, timeout: params.timeout, responseType: 'text', tags: tags[endpoint] }
      : signedParams;
  if (sign) p.headers.Signature = hmac('sha256', secret, body, 'base64');
  return p;
};
// The size and shape of bankcert's records and their line (checks/load-records.ts).
let held = [];
const record = (start, res, ref, ack) => {
  held.push(
    `[0,${start},null,${res.status},"0000","${ref}",${res.timings.duration},${Date.now() - start},"2239",${ack.status},${ack.timings.duration},${Date.now() - start}]`,
  );
  if (held.length < recordsPerLine) return;
  console.log(
    `{"t":"recs","prefix":"bare-${plan.runId}-${exec.vu.idInTest}-","from":${seq - held.length + 1},"upto":${seq + recordsPerLine},"base":${start},"r":[${held.join(',')}]}`,
  );
  held = [];
};

// BARE_RATE=N: an open model instead (N iterations/s, like the load suite's smoke profile), with the
// endpoint tag on each request so the summary has per-endpoint latency: the latency-accuracy control.
const rate = Number(__ENV.BARE_RATE ?? 0);
const duration = `${__ENV.BARE_DURATION_S ?? 10}s`;
export const options = {
  scenarios: {
    bare:
      rate > 0
        ? { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration, preAllocatedVUs: Math.ceil(rate * 5) + 5, gracefulStop: '3s' }
        : { executor: 'constant-vus', vus: Number(__ENV.BARE_VUS ?? 10), duration, gracefulStop: '3s' },
  },
  // A threshold per endpoint makes k6 keep (and summarise) those sub-metrics; it never fails.
  thresholds: rate > 0 ? { 'http_req_duration{endpoint:reserveFunds}': ['max>=0'], 'http_req_duration{endpoint:transactResult}': ['max>=0'] } : {},
  summaryTrendStats: ['avg', 'med', 'p(95)', 'max'],
};
const tags = { reserveFunds: { endpoint: 'reserveFunds' }, transactResult: { endpoint: 'transactResult' } };

let seq = 0;

export default function () {
  seq += 1;
  const n = exec.scenario.iterationInTest;
  const account = pool[n % pool.length];
  const base = `bare-${plan.runId}-${exec.vu.idInTest}-${seq}`;
  const id = account.sourceIdentifier;
  const startMs = Date.now();
  const sentAt = new Date(startMs).toISOString();
  const body = `{"clientTxnRef":"${base}-c","raasTxnRef":"${base}-r",${fixedAmounts},"sourceIdentifier":"${id}","targetIdentifier":"${id}",${channel},"timestamp":"${sentAt}"}`;
  const res = http.post(plan.target.reserveFundsUrl, body, paramsFor(body, 'reserveFunds'));
  if (reserveOnly) return;
  const m = typeof res.body === 'string' ? REF.exec(res.body) : null;
  if (!m) return;
  const outcome = `{"clientTxnRef":"${base}-c","raasTxnRef":"${base}-r","reserveFundsTxnRef":"${m[1]}","responseCode":${plan.cancel.responseCode},${trAmounts},"timestamp":"${new Date().toISOString()}","token":""}`;
  const ack = http.post(plan.target.transactResultUrl, outcome, paramsFor(outcome, 'transactResult'));
  if (recordsPerLine >= 1) record(startMs, res, m[1], ack);
}

// The bench reads k6's own figures (http_reqs count and rate) from this file, as it does for bankcert.
export function handleSummary(data) {
  const path = __ENV.BENCH_SUMMARY_FILE;
  return path ? { [path]: JSON.stringify(data) } : {};
}
