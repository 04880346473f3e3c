import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { MARKUP_PAGE } from '../../reference-bank/handlers.ts';
import { browserSkipped, dumpDom, findChromium, SKIP_BROWSER_ENV } from '../helpers/chromium.ts';
import { configFor, notPassing, readResult, runCli, startBank } from '../helpers/cli.ts';

/** What a browser would turn into live markup: any of these outside escaped text is an injection. */
const LIVE_MARKUP = [/<script/i, /<img/i, /onerror\s*=/i];

function titleOf(dom: string): string | undefined {
  return /<title>([^<]*)<\/title>/i.exec(dom)?.[1];
}

/**
 * A bank is untrusted input: `reflect-markup` answers TR-404's probe with an HTML page of script, which
 * the certificate shows as evidence. report.html must show it as text, never run it.
 */
describe("report.html shows a hostile bank's markup as text (real CLI, real k6, headless Chromium)", () => {
  let dir: string;
  let report: string;

  beforeAll(async () => {
    const bank = await startBank(['--fault', 'reflect-markup', '--quiet']);
    try {
      const config = configFor(bank.url);
      dir = config.dir;
      const run = await runCli(['certify', '--config', config.config, '--out', config.out, '--suite', 'conformance'], { timeoutMs: 60_000 });
      expect({ exit: run.code, notPassing: notPassing(readResult(config.out)) }, run.stdout + run.stderr).toEqual({ exit: 1, notPassing: ['TR-404'] });
      report = join(config.out, 'report.html');
    } finally {
      await bank.stop();
    }
  }, 90_000);

  it('the markup is in the report, escaped, and nowhere raw', () => {
    const html = readFileSync(report, 'utf8');
    // The payload reached the report (else the test proves nothing), as escaped text.
    expect(html).toContain(Handlebars.Utils.escapeExpression(MARKUP_PAGE));
    for (const live of LIVE_MARKUP) expect(html).not.toMatch(live);
  });

  it.skipIf(browserSkipped())("a browser runs none of it: no script or img element, the title is the report's", async () => {
    const chromium = findChromium();
    if (!chromium)
      throw new Error(
        `chromium is not on PATH: the global setup installs it as root with apt-get; otherwise install it, or set ${SKIP_BROWSER_ENV}=1 to skip this check`,
      );
    const dom = await dumpDom(chromium, report);
    expect(titleOf(dom)).toMatch(/bankcert report/);
    expect(titleOf(dom)).not.toBe('pwned');
    expect(dom).not.toMatch(/<script/i);
    expect(dom).not.toMatch(/<img/i);

    // Control: the same report with the payload unescaped and its CSP removed does run in this
    // browser, so the checks above can see an injection when there is one.
    const control = join(dir, 'control.html');
    writeFileSync(
      control,
      readFileSync(report, 'utf8')
        .replace(Handlebars.Utils.escapeExpression(MARKUP_PAGE), MARKUP_PAGE)
        .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
    );
    const attacked = await dumpDom(chromium, control);
    expect(titleOf(attacked)).toBe('pwned');
    expect(attacked).toMatch(/<script/i);
  });

  if (browserSkipped()) it.skip(`headless Chromium check skipped: ${SKIP_BROWSER_ENV}=1`, () => undefined);
});
