import { check } from 'k6';
import { ReserveFundsRequestSchema, ReserveFundsResponseSchema } from '../checks/protocol.ts';
import { sign } from '../checks/signer.ts';
import vectors from '../checks/signature-vectors.json';
import { k6Hmac } from './lib/k6-transport.ts';

// `bankcert setup` and the tests run this to prove the bundle works inside this k6: zod validates and
// the signer matches every independently computed vector, using k6's own crypto.
export const options = {
  scenarios: { selftest: { executor: 'shared-iterations', vus: 1, iterations: 1 } },
  thresholds: { checks: ['rate==1'] },
};

const GOOD = {
  clientTxnRef: 'c-1',
  raasTxnRef: 'r-1',
  productId: 110,
  purchaseAmount: 10000,
  reserveAmount: 10000,
  feeAmount: 0,
  clientShareAmount: 487,
  settlementAmount: 9513,
  sourceIdentifier: '2341234567899',
  targetIdentifier: '2348012345555',
  channelId: 7,
  channelName: 'USSD',
  timestamp: '2017-06-29T16:39:42.735Z',
};

export default function (): void {
  const results: Record<string, boolean> = {
    'zod accepts a valid reserveFunds request': ReserveFundsRequestSchema.safeParse(GOOD).success,
    'zod rejects a 6-digit productId': !ReserveFundsRequestSchema.safeParse({ ...GOOD, productId: 123456 }).success,
    'zod rejects a numeric authCode': !ReserveFundsRequestSchema.safeParse({ ...GOOD, authCode: 1234 }).success,
    'zod accepts a 0000 response': ReserveFundsResponseSchema.safeParse({ responseCode: '0000', reserveFundsTxnRef: 'x' }).success,
  };
  vectors.vectors.forEach((v, i) => {
    results[`signature vector ${i + 1} (${v.name})`] = sign(v.body, v.secret, k6Hmac) === v.signature;
  });
  check(results, Object.fromEntries(Object.keys(results).map((name) => [name, (r: Record<string, boolean>) => r[name] === true])));
  console.log(JSON.stringify({ t: 'selftest', results }));
}

/** The CLI reads the console line; no end-of-test summary on stdout. */
export function handleSummary(): Record<string, string> {
  return {};
}
