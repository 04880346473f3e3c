import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../config/plan.ts';
import { ConfigSchema, type ConfigInput } from '../config/schema.ts';
import { starterConfigText } from '../config/starter.ts';
import { readPlanFile } from './plan-file.ts';

const plan = buildPlan(ConfigSchema.parse(parse(starterConfigText()) as ConfigInput), { suites: ['conformance'], runId: 'r1', env: {} }).plan;

function written(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bankcert-plan-')), 'plan.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('plan.json read back', () => {
  it('a plan this bankcert wrote reads back as it was', () => {
    expect(readPlanFile(written(plan))).toEqual(plan);
  });
  it.each([
    ['another schemaVersion', { ...plan, schemaVersion: 2 }, /schemaVersion 1\) can read: schemaVersion/],
    ['no signing block', { ...plan, signing: undefined }, /can read: signing/],
    ['not JSON', '{', /cannot read/],
  ])('%s is a clear error', (_name, content, message) => {
    expect(() => readPlanFile(written(content))).toThrow(message);
  });
});
