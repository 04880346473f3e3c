import { badInputCases } from '../../checks/bad-input.ts';
import type { ExchangeRecord } from '../../checks/events.ts';
import type { CheckId } from '../../checks/ids.ts';
import type { Plan } from '../../checks/plan.ts';
import { reserveRequest } from '../../checks/requests.ts';

/** The conformance rule whose documented code a reserveFunds answer carries. */
const RULE_OF_CODE: Record<string, CheckId> = {
  '0000': 'RF-0000',
  '2010': 'RF-2010',
  '2020': 'RF-2020',
  '2030': 'RF-2030',
  '2040': 'RF-2040',
  '2050': 'RF-2050',
  '2070': 'RF-2070',
  '2080': 'RF-2080',
};

/**
 * The rule a recorded exchange stands for, to name it when the bank answers it differently now: a hostile
 * request's case, a control request's check, or the conformance rule whose code the bank answered when the
 * certificate was made (the unmapped account and the lowBalance boundary by their step).
 */
export function ruleOf(rec: ExchangeRecord, recordedCode: string, plan: Plan): CheckId | undefined {
  if (rec.suite === 'security') {
    const hostile = /^hostile reserveFunds on (\w+): (.*)$/.exec(rec.step);
    if (hostile?.[2] !== undefined) {
      const account = plan.accounts[hostile[1] as 'funded' | 'probe'];
      const placeholder = reserveRequest(plan, {
        refs: { clientTxnRef: 'c', raasTxnRef: 'r' },
        sourceIdentifier: account?.sourceIdentifier ?? '',
        reserveAmount: plan.product.typicalAmount,
        timestamp: '',
      });
      return badInputCases(placeholder, { hasAuthCode: account?.hasAuthCode ?? false }).find((c) => c.name === hostile[2])?.check ?? 'SEC-BAD-INPUT';
    }
    if (/signed|forged/.test(rec.step)) return 'SEC-SIGNATURE';
    return 'SEC-BAD-INPUT';
  }
  if (rec.suite === 'conformance') {
    if (rec.endpoint === 'transactResult') return rec.refs[2]?.startsWith('unknown-') ? 'TR-404' : 'TR-ACK';
    if (rec.account === 'unmapped') return 'RF-2030';
    if (rec.account === 'lowBalance') return 'RF-2010';
    return RULE_OF_CODE[recordedCode];
  }
  return undefined;
}
