import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../checks/catalogue.ts';
import { fixtureLoad } from './__fixtures__/load.ts';
import { fixtureResult } from './__fixtures__/result.ts';
import { renderMarkdown } from './markdown.ts';

/** Pipes that delimit cells: not preceded by an escaping backslash. */
function cellDelimiters(row: string): number {
  return row.match(/(?<!\\)\|/g)?.length ?? 0;
}

describe('renderMarkdown', () => {
  const result = fixtureResult();
  const md = renderMarkdown(result);
  const lines = md.split('\n');
  const rows = lines.filter((l) => /^\| [A-Z]+-/.test(l));

  it('starts with the verdict line and its meaning', () => {
    expect(lines[0]).toMatch(/^## ❌ NOT CERTIFIED: Example Bank &lt;script&gt;alert\(1\)&lt;\/script&gt; "quotes" /);
    expect(lines[0]).toContain(' ctl:\\\\u0001\\\\u0008\\\\u001F\\\\u007F lone:\\\\uD800 nonchar:\\\\uFFFF ünïcødé 💸 Ω second line third');
    expect(md).toContain('At least one MUST check failed');
    expect(md).toContain(
      `**${CATALOGUE.length - 3} pass · 1 fail · 1 warn · 0 inconclusive · 1 skip** of ${CATALOGUE.length} checks · suites conformance, safety, security, load · signing on · run run-20250102-abc123`,
    );
  });

  it('has one table row per check, each with exactly four cells', () => {
    expect(rows.map((r) => r.split(' ')[1])).toEqual(CATALOGUE.map((d) => d.id));
    for (const row of rows) expect(cellDelimiters(row)).toBe(5);
    expect(lines[lines.indexOf(rows[0] ?? '') - 2]).toBe('| id | level | status | summary |');
    expect(md).toContain('| RF-2010 | MUST | ❌ fail | expected responseCode 2010, observed responseCode 0000 (HTTP 200) &lt;script&gt;');
    expect(md).toContain('| RF-2020 | MUST | ⏭️ skip | skipped: no authCode on the funded fixture |');
    expect(md).toContain('| SF-TIMEOUT-CANCEL | SHOULD | ⚠️ warn | HTTP 404 (cancel not matched');
  });

  it('escapes markup, Markdown syntax and control characters from the bank', () => {
    expect(md).not.toMatch(/<script/i);
    expect(md).not.toMatch(/(?<!\\)`/);
    expect(md).not.toMatch(/(?<!\\)\[link/);
    expect(md).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\uffff]/);
    expect(md).toContain('\\]\\]&gt; &amp; {{handlebars}} {{{triple}}} \\| pipe \\`tick\\` \\[link\\](http://x) \\*em\\* \\_u\\_ \\\\ ctl');
  });

  it('lists failures with remediation and the first exchange, without evidence bodies', () => {
    const failures = md.slice(md.indexOf('### Failures'), md.indexOf('### Warnings'));
    expect(failures).toContain('- **RF-2010** Insufficient funds answer 2010: expected responseCode 2010');
    expect(failures).toContain(`  - Remediation: ${CATALOGUE.find((d) => d.id === 'RF-2010')?.remediation}`);
    expect(failures).toContain('  - First exchange: POST https://bank.example/reserveFunds?x=&lt;y&gt;&amp;z="1" → HTTP 200 in 42 ms');
    expect(md).not.toContain('10001'); // request body
    expect(md).not.toContain('note'); // response body
    expect(md.slice(md.indexOf('### Warnings'))).toContain('**SF-TIMEOUT-CANCEL**');
  });

  it('lists why the run is incomplete, the ledger and the digests', () => {
    expect(md).toContain('**Why the run is incomplete**\n\n- k6 said &lt;script&gt;');
    expect(md).toContain('**Money held by the harness:** 12 reservations · 5 debited · 6 released · 4 refused · 1 cleaned up · **0 open**\n');
    expect(md).toContain(`config digest ${result.configDigest} · result digest ${result.digest}`);
  });

  it('flags open reservations and omits empty sections', () => {
    const clean = renderMarkdown(
      fixtureResult({
        verdict: 'certified',
        inconclusiveReasons: [],
        checks: result.checks.filter((c) => c.status === 'pass'),
        ledger: { reservations: 2, debited: 0, released: 0, refused: 0, open: 2, cleanedUp: 0 },
      }),
    );
    expect(clean.split('\n')[0]).toMatch(/^## ✅ CERTIFIED: /);
    expect(clean).not.toContain('### Failures');
    expect(clean).not.toContain('### Warnings');
    expect(clean).not.toContain('incomplete');
    expect(clean).toContain('**2 open** ❌ funds still held at the bank');
    expect(clean).not.toMatch(/\n\n\n/);
  });
});

describe('renderMarkdown load section', () => {
  const md = renderMarkdown(fixtureResult({ load: fixtureLoad({ notHonest: ['k6 dropped 3 iterations: the generator did not offer the planned load'] }) }));

  it('is absent when the load suite did not run', () => {
    expect(renderMarkdown(fixtureResult())).not.toContain('**Load:**');
  });

  it('summarises the run, lists why it cannot certify, and tabulates each endpoint', () => {
    expect(md).toContain(
      '**Load:** 20 iterations/s held 60 s (load profile), 1 min 0 s in all · 1,188 of 1,200 iterations · 0 dropped · achieved 19.80/s · 2 k6 instances\n',
    );
    expect(md).toContain('**These figures cannot certify:**\n\n- k6 dropped 3 iterations: the generator did not offer the planned load\n');
    expect(md).toContain('| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|\n');
    expect(md).toContain('| reserveFunds | 1,188 | 31.5 | 2,150 | 4,200 | 5,210 | 1 (0.084 %) |\n');
    expect(md).toContain('| transactResult | 1,188 | 9.87 | 30.4 | 88.0 | 6,100 | 0 (0 %) |\n');
    expect(md).toContain('Capacity: highest sustained rate 20 iterations/s.');
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('leaves out the warnings and capacity when there are none', () => {
    const clean = renderMarkdown(fixtureResult({ load: fixtureLoad({ capacity: undefined }) }));
    expect(clean).not.toContain('cannot certify');
    expect(clean).not.toContain('Capacity:');
    expect(clean).toMatch(/\| transactResult \|[^\n]+\|\n\n\*\*Money held/);
    expect(clean).not.toMatch(/\n\n\n/);
  });
});

describe('renderMarkdown: the load level and the response codes', () => {
  const load = fixtureLoad({
    level: { profile: 'load', rate: 40, holdS: 12 },
    expectedPeakRate: 40,
    responses: {
      reserves: 10,
      codes: [
        { kind: 'granted', status: 200, code: '0000', count: 9 },
        { kind: 'declined', status: 200, code: '2060', count: 1 },
      ],
      perSecond: [{ t: 0, answers: 10, declines: 1 }],
    },
  });
  const md = renderMarkdown(fixtureResult({ load, checks: fixtureResult().checks.filter((c) => c.suite !== 'load' || c.status === 'pass') }));

  it('puts the "Load proven" line under the verdict', () => {
    expect(md).toMatch(
      /^## .*\n\n.*\n\n\*\*Load proven: 40 iterations\/s held 12 s \(load profile\); smoke only: not proven at the expected peak \(40\/s\), which needs 40 iterations\/s held 120 s\*\*\n/,
    );
  });

  it('tabulates the reserveFunds answers under load', () => {
    expect(md).toContain(
      'reserveFunds answers under load: 1 of 10 reserveFunds declined (10.0 %); declines in 1 of 1 seconds; the worst, second 0, declined 1 of 10 answers.\n\n| answer | kind | count | share |\n|---|---|---|---|\n| 0000 | granted | 9 | 90.0 % |\n| 2060 | declined (LD-DECLINES) | 1 | 10.0 % |\n',
    );
    expect(md).not.toMatch(/\n\n\n/);
  });
});
