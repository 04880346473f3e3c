import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from './read.ts';
import { canonicalJson } from '../util/digest.ts';
import { buildPlan, configDigest, joinUrl, redactedConfig, secretValues } from './plan.ts';
import { ConfigSchema, type Config, type ConfigInput } from './schema.ts';
import { starterConfigText } from './starter.ts';

function starterInput(): ConfigInput {
  return parse(starterConfigText()) as ConfigInput;
}

function config(change: (c: ConfigInput) => void = () => {}): Config {
  const input = starterInput();
  change(input);
  return ConfigSchema.parse(input);
}

const opts = { suites: ['conformance' as const], runId: 'run-1', env: {} };

describe('joinUrl', () => {
  it.each([
    ['http://h:1', '/reserveFunds', 'http://h:1/reserveFunds'],
    ['http://h:1/', '/reserveFunds', 'http://h:1/reserveFunds'],
    ['https://h/api', '/reserveFunds', 'https://h/api/reserveFunds'],
    ['https://h/api//', '//x/y', 'https://h/api/x/y'],
  ])('%s + %s', (base, path, expected) => expect(joinUrl(base, path)).toBe(expected));

  it('applies to both plan URLs', () => {
    const c = config((i) => {
      i.target.baseUrl = 'https://bank.example.com/bi/';
      i.target.paths = { transactResult: '/v2/result' };
    });
    const { plan } = buildPlan(c, opts);
    expect(plan.target.reserveFundsUrl).toBe('https://bank.example.com/bi/reserveFunds');
    expect(plan.target.transactResultUrl).toBe('https://bank.example.com/bi/v2/result');
  });
});

describe('buildPlan', () => {
  it('keeps secrets out of the plan', () => {
    const c = config((i) => {
      i.signing = { enabled: true, secretEnv: 'MY_SECRET' };
      i.accounts.funded = { sourceIdentifier: '27820000001', authCode: '0042' };
      i.accounts.load = [{ sourceIdentifier: '27821000000', authCode: '9911' }, { sourceIdentifier: '27821000001' }];
    });
    const { plan, secrets } = buildPlan(c, { ...opts, env: { MY_SECRET: 'hmac-shared-secret' } });
    const json = JSON.stringify(plan);
    expect(json).not.toContain('authCode');
    expect(json).not.toContain('0042');
    expect(json).not.toContain('9911');
    expect(json).not.toContain('hmac-shared-secret');
    expect(secrets).toEqual({ signingSecret: 'hmac-shared-secret', authCodes: { funded: '0042', 'load:0': '9911' } });
    expect(plan.accounts.funded).toEqual({ sourceIdentifier: '27820000001', hasAuthCode: true });
    expect(plan.accounts.load).toEqual([
      { sourceIdentifier: '27821000000', hasAuthCode: true },
      { sourceIdentifier: '27821000001', hasAuthCode: false },
    ]);
    expect(plan.signing).toEqual({ enabled: true, secretEnv: 'MY_SECRET' });
    const values = secretValues(secrets);
    expect(values[0]).toBe('hmac-shared-secret');
    expect([...values].sort()).toEqual(['0042', '9911', 'hmac-shared-secret']);
  });

  it('copies balances, applies defaults and omits absent fixtures', () => {
    const c = config((i) => {
      delete i.accounts.inactive;
      i.accounts.probe = { sourceIdentifier: '27820000005', balance: 200_000 };
    });
    const { plan, secrets } = buildPlan(c, opts);
    expect(plan.accounts.lowBalance).toEqual({ sourceIdentifier: '27820000002', hasAuthCode: false, balance: 5_000 });
    expect(plan.accounts.probe).toEqual({ sourceIdentifier: '27820000005', hasAuthCode: false, balance: 200_000 });
    expect('inactive' in plan.accounts).toBe(false);
    expect(plan.product.typicalAmount).toBe(1_000);
    expect(plan.target.timeoutMs).toBe(5_000);
    expect(plan.target.insecureSkipVerify).toBe(false);
    expect(plan.cancel).toEqual({ reserveFundsTxnRef: 'empty', responseCode: 2239 });
    expect(secrets.signingSecret).toBeUndefined();
  });

  it('does not read the secret when signing is off', () => {
    const { secrets } = buildPlan(config(), { ...opts, env: { BANKCERT_SIGNING_SECRET: 'unused' } });
    expect(secrets.signingSecret).toBeUndefined();
  });

  it('treats an empty secret as unset', () => {
    const c = config((i) => {
      i.signing = { enabled: true };
    });
    expect(() => buildPlan(c, { ...opts, env: { BANKCERT_SIGNING_SECRET: '' } })).toThrow(/BANKCERT_SIGNING_SECRET is not set/);
  });

  it('clamps the default typical amount into the limits', () => {
    const c = config((i) => {
      i.limits = { minimumAmount: 400, maximumAmount: 600 };
      delete i.accounts.lowBalance;
    });
    expect(buildPlan(c, opts).plan.product.typicalAmount).toBe(600);
  });
});

describe('redaction and digest', () => {
  it('redacts every authCode and drops $schema', () => {
    const c = config((i) => {
      i.accounts.load = [{ sourceIdentifier: '27821000000', authCode: '5555' }];
    });
    const text = JSON.stringify(redactedConfig(c));
    expect(text).not.toContain('1234');
    expect(text).not.toContain('5555');
    expect(text).not.toContain('$schema');
    expect(text.match(/\[redacted\]/g)).toHaveLength(2);
  });

  it('is stable across comments, key order and explicit defaults', () => {
    const a = parseConfigText(starterConfigText(), 'a.json');
    const reversed = (o: object): object => Object.fromEntries(Object.entries(o).reverse());
    const b = ConfigSchema.parse(reversed(starterInput()));
    const withoutDefaults = config((i) => {
      delete i.cancel;
      delete i.thresholds;
    });
    expect(configDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(configDigest(b)).toBe(configDigest(a));
    expect(configDigest(withoutDefaults)).toBe(configDigest(a));
  });

  it('changes with any setting, but not with the authCode (it is redacted first)', () => {
    const a = config();
    expect(configDigest(config((i) => void (i.limits.maximumAmount = 400_000)))).not.toBe(configDigest(a));
    expect(configDigest(config((i) => void (i.accounts.funded = { sourceIdentifier: '27820000001', authCode: '9876' })))).toBe(configDigest(a));
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});
