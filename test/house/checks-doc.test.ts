import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../checks/catalogue.ts';
import { SOURCES } from '../../checks/sources.ts';
import { renderChecksDoc } from '../../reports/checks-doc.ts';
import { ROOT } from '../../scripts/util/paths.ts';

const DOC = join(ROOT, 'docs', 'checks.md');

describe('docs/checks.md', () => {
  const expected = renderChecksDoc(CATALOGUE);

  it('is current with the check catalogue (npm run docs rewrites it)', () => {
    // `npm run docs` sets this to write the file instead of comparing.
    if (process.env.BANKCERT_WRITE_DOCS === '1') writeFileSync(DOC, expected);
    expect(readFileSync(DOC, 'utf8'), 'docs/checks.md is stale: run `npm run docs`').toBe(expected);
  });

  it('has a section for every check, each with a public source', () => {
    for (const check of CATALOGUE) {
      expect(expected).toContain(`<a id="${check.id.toLowerCase()}"></a>`);
      expect(
        check.sources.some((s) => s.source !== 'bankcert'),
        `${check.id} cites only bankcert's own reading`,
      ).toBe(true);
    }
  });

  it("cites bankcert's own reading only where the check states it", () => {
    for (const check of CATALOGUE) {
      expect(
        check.sources.some((s) => s.source === 'bankcert'),
        check.id,
      ).toBe(check.reading !== undefined && check.sources.some((s) => s.source === 'bankcert'));
    }
  });

  it('cites only public addresses or files in this repository', () => {
    for (const source of Object.values(SOURCES)) expect(source.url).toMatch(/^(https:\/\/(docs|guides)\.clickatell\.com\/|docs\/)/);
  });
});
