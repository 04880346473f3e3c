import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../checks/catalogue.ts';
import { SUITES } from '../checks/ids.ts';
import { fixtureLoad } from './__fixtures__/load.ts';
import { fixtureResult } from './__fixtures__/result.ts';
import { attributesOf, checkMarkup } from './__fixtures__/markup.ts';
import { renderJunit } from './junit.ts';

describe('renderJunit', () => {
  const result = fixtureResult();
  const xml = renderJunit(result);

  it('is well-formed XML 1.0 with only JUnit elements', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const { problems, elements } = checkMarkup(xml);
    expect(problems).toEqual([]);
    expect(new Set(elements)).toEqual(new Set(['testsuites', 'testsuite', 'properties', 'property', 'testcase', 'failure', 'skipped', 'system-out']));
  });

  it('removes characters XML forbids and keeps unicode', () => {
    expect(xml).not.toMatch(/[\u0001\u0008\u001f\uffff]/);
    expect(xml).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(xml).toContain('ctl:\u007f lone: nonchar: ünïcødé 💸 Ω');
    expect(xml).not.toMatch(/<script/i);
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).toContain(']]&gt;');
  });

  it('counts tests, failures and skips per suite and in total', () => {
    const [root] = attributesOf(xml, 'testsuites');
    expect(root).toMatchObject({ tests: String(CATALOGUE.length), failures: '1', skipped: '1', errors: '0', time: '132.5' });
    const suites = attributesOf(xml, 'testsuite');
    expect(suites.map((s) => s.name)).toEqual(SUITES.map((s) => `bankcert.${s}`));
    const blocks = xml.split('<testsuite ').slice(1);
    suites.forEach((attributes, i) => {
      const suite = SUITES[i];
      const checks = result.checks.filter((c) => c.suite === suite);
      const block = blocks[i] ?? '';
      expect(attributes).toMatchObject({
        tests: String(checks.length),
        failures: String(checks.filter((c) => c.status === 'fail').length),
        skipped: String(checks.filter((c) => c.status === 'skip').length),
        timestamp: result.startedAt,
      });
      expect(block.match(/<testcase /g)).toHaveLength(checks.length);
      expect(block.match(/<failure /g) ?? []).toHaveLength(checks.filter((c) => c.status === 'fail').length);
      expect(block.match(/<skipped /g) ?? []).toHaveLength(checks.filter((c) => c.status === 'skip').length);
    });
  });

  it('names test cases by suite, id and title', () => {
    const cases = attributesOf(xml, 'testcase');
    expect(cases).toHaveLength(result.checks.length);
    expect(cases).toContainEqual({ classname: 'bankcert.conformance', name: 'RF-2010 Insufficient funds answer 2010' });
    const bySuite = SUITES.flatMap((suite) => result.checks.filter((c) => c.suite === suite));
    expect(cases.map((c) => c.name?.split(' ')[0])).toEqual(bySuite.map((c) => c.id));
  });

  it('puts the summary in the failure message and the details and evidence in its body', () => {
    const [failure] = attributesOf(xml, 'failure');
    expect(failure?.message).toMatch(/^expected responseCode 2010, observed responseCode 0000 \(HTTP 200\) &lt;script&gt;/);
    expect(failure?.type).toBe('MUST');
    const body = xml.slice(xml.indexOf('<failure '), xml.indexOf('</failure>'));
    expect(body).toContain('remediation: Check available funds');
    expect(body).toContain('--- evidence 1 ---');
    expect(body).toContain('&gt; POST https://bank.example/reserveFunds?x&#x3D;&lt;y&gt;&amp;z&#x3D;&quot;1&quot;');
    expect(body).toContain('&lt; HTTP 200 (42 ms)');
    expect(body).toContain('&lt; transport error: connection reset');
  });

  it('reports a skip with its reason and a warning as a passing case with system-out', () => {
    expect(attributesOf(xml, 'skipped')).toEqual([{ message: 'no authCode on the funded fixture' }]);
    const warning = xml.slice(xml.indexOf('name="SF-TIMEOUT-CANCEL'), xml.indexOf('</testcase>', xml.indexOf('name="SF-TIMEOUT-CANCEL')));
    expect(warning).toContain('<system-out>HTTP 404 (cancel not matched');
    expect(warning).not.toContain('<failure');
  });

  it('carries verdict, digests and inconclusive reasons as properties', () => {
    const properties = attributesOf(xml, 'property').slice(0, 9);
    expect(properties).toContainEqual({ name: 'verdict', value: 'not-certified' });
    expect(properties).toContainEqual({ name: 'resultDigest', value: result.digest });
    expect(properties).toContainEqual({ name: 'configDigest', value: result.configDigest });
    expect(properties.find((p) => p.name === 'inconclusiveReason')?.value).toMatch(/^k6 said &lt;script&gt;/);
  });
});

describe('renderJunit: the load level', () => {
  it('carries the "Load proven" line as a property of every suite, and each LD row\'s level in its message', () => {
    const xml = renderJunit(fixtureResult({ load: fixtureLoad({ level: { profile: 'load', rate: 40, holdS: 120 }, expectedPeakRate: 40 }) }));
    expect(xml).toContain('<property name="loadProven" value="Load proven: 40 iterations/s held 120 s (load profile), the expected peak (40/s)"/>');
    expect(renderJunit(fixtureResult())).not.toContain('loadProven');
  });

  it('a passing load row says in <system-out> the level it was measured at', () => {
    const checks = fixtureResult().checks.map((c) =>
      c.id === 'LD-MAX'
        ? {
            ...c,
            measuredAt: { profile: 'load', rate: 40, holdS: 120 },
            summary: 'slowest reserveFunds 412 ms as expected, at 40 iterations/s held 120 s (load profile)',
          }
        : c,
    );
    const xml = renderJunit(fixtureResult({ checks }));
    expect(xml).toMatch(
      /<testcase classname="bankcert.load" name="LD-MAX [^"]*">\s*<system-out>slowest reserveFunds 412 ms as expected, at 40 iterations\/s held 120 s \(load profile\)<\/system-out>/,
    );
  });
});
