import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REFERENCE_ACCOUNTS, REFERENCE_LIMITS, REFERENCE_LOAD_ACCOUNTS, REFERENCE_PRODUCT, REFERENCE_UNMAPPED } from '../../reference-bank/fixtures.ts';
import { configJsonSchema } from './json-schema.ts';
import { loadConfig } from './read.ts';
import { buildPlan } from './plan.ts';
import { STARTER_PEAK_RATE, starterConfigText } from './starter.ts';

const dir = mkdtempSync(join(tmpdir(), 'bankcert-starter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('starter config', () => {
  const file = join(dir, 'bankcert.config.json');
  writeFileSync(file, starterConfigText());

  it('loads into a valid config built from the reference fixtures', () => {
    const config = loadConfig(file);
    expect(config.bank).toBe('Reference Bank');
    expect(config.$schema).toBe('./bankcert.config.schema.json');
    expect(config.target.baseUrl).toBe('http://127.0.0.1:8480');
    expect(config.limits).toEqual(REFERENCE_LIMITS);
    expect(config.product).toMatchObject(REFERENCE_PRODUCT);
    expect(config.signing).toEqual({ enabled: false, secretEnv: 'BANKCERT_SIGNING_SECRET' });
    expect(config.accounts.funded).toEqual({ sourceIdentifier: REFERENCE_ACCOUNTS.funded.sourceIdentifier, authCode: '1234' });
    expect(config.accounts.lowBalance?.balance).toBe(REFERENCE_ACCOUNTS.lowBalance.balance);
    expect(config.accounts.unmapped?.sourceIdentifier).toBe(REFERENCE_UNMAPPED);
    expect(config.accounts.load.map((a) => a.sourceIdentifier)).toEqual(REFERENCE_LOAD_ACCOUNTS.slice(0, 10).map((a) => a.sourceIdentifier));
    // A default certify proves a declared peak: the starter declares one and chooses no profile.
    expect(config.load).toMatchObject({ expectedPeakRate: STARTER_PEAK_RATE });
    expect(config.load.profile).toBeUndefined();
    expect(config.thresholds.declineRate).toBe(0.001);
  });

  it('says how to pick the expected peak', () => {
    expect(starterConfigText()).toMatch(/peak purchases per\s*\/\/\s*second you expect from the platform, from your own traffic figures, and add headroom/);
  });

  it('builds a plan for the reference bank', () => {
    const { plan, secrets } = buildPlan(loadConfig(file), { suites: ['conformance'], runId: 'r', env: {} });
    expect(plan.target.reserveFundsUrl).toBe('http://127.0.0.1:8480/reserveFunds');
    expect(plan.target.transactResultUrl).toBe('http://127.0.0.1:8480/transactResult');
    expect(plan.product.typicalAmount).toBe(1_000);
    expect(Object.keys(plan.accounts).sort()).toEqual(['blacklisted', 'funded', 'inactive', 'load', 'lowBalance', 'probe', 'unmapped']);
    expect(secrets.authCodes).toEqual({ funded: '1234' });
  });

  it('has a comment above every top-level section', () => {
    const lines = starterConfigText().split('\n');
    const sections = lines.map((l, i) => [l, i] as const).filter(([l]) => /^ {2}"[a-z]+":/.test(l));
    expect(sections.length).toBe(9);
    for (const [line, i] of sections) expect(lines[i - 1], line).toMatch(/^\s*\/\//);
  });
});

describe('JSON Schema', () => {
  const schema = configJsonSchema();

  it('describes the input, with defaults optional and unknown keys refused', () => {
    expect(schema).toMatchObject({ title: 'bankcert configuration', type: 'object', additionalProperties: false });
    expect(schema.required).toEqual(['bank', 'target', 'limits', 'product', 'accounts']);
    const properties = schema.properties as Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
    expect(properties.target?.required).toEqual(['baseUrl']);
    expect(properties.signing?.required ?? []).toEqual([]);
    expect(Object.keys(properties)).toContain('$schema');
  });

  it('describes the load keys an editor shows: expectedPeakRate, declineRate, minCapacity', () => {
    type Props = Record<string, { properties?: Record<string, { description?: string; type?: string }> }>;
    const properties = schema.properties as Props;
    expect(properties.load?.properties?.expectedPeakRate).toMatchObject({
      type: 'number',
      description: expect.stringMatching(/expected production peak in iterations per second.*headroom/),
    });
    expect(properties.thresholds?.properties?.declineRate?.description).toMatch(/other than 0000/);
    expect(properties.thresholds?.properties?.minCapacity?.description).toMatch(/LD-CAPACITY is a MUST check/);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
