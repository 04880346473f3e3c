import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../scripts/config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../scripts/config/schema.ts';
import { starterConfigText } from '../scripts/config/starter.ts';
import { reserveRequest } from './requests.ts';

const plan = buildPlan(ConfigSchema.parse(parse(starterConfigText()) as ConfigInput), { suites: ['conformance'], runId: 'r1', env: {} }).plan;
const args = { refs: { clientTxnRef: 'c', raasTxnRef: 'r' }, sourceIdentifier: 's', reserveAmount: 1000, timestamp: 't' };

describe('reserveRequest', () => {
  it('keeps the wire order, productType after productId when configured, authCode last', () => {
    expect(Object.keys(reserveRequest({ ...plan, product: { ...plan.product, productType: 3 } }, { ...args, authCode: '1234' }))).toEqual([
      'clientTxnRef',
      'raasTxnRef',
      'productId',
      'productType',
      'purchaseAmount',
      'reserveAmount',
      'feeAmount',
      'clientShareAmount',
      'settlementAmount',
      'sourceIdentifier',
      'targetIdentifier',
      'channelId',
      'channelName',
      'timestamp',
      'authCode',
    ]);
    const without = reserveRequest({ ...plan, product: { ...plan.product, productType: undefined } }, args);
    expect(Object.keys(without)).not.toContain('productType');
    expect(Object.keys(without)).not.toContain('authCode');
  });
});
