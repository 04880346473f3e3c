// The reports' curl commands, run for real: their signing pipeline through /bin/sh and openssl must give
// the project's signature (checks/signature-vectors.json, nodeHmac) over exactly the body bytes.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import vectors from '../checks/signature-vectors.json';
import type { Exchange } from '../checks/events.ts';
import { sign } from '../checks/signer.ts';
import { nodeHmac } from '../scripts/util/digest.ts';
import { curlCommand } from './curl.ts';

const RUN = 'ab12cd34';
const ENV = 'TEST_SIGNING_SECRET';

function exchange(
  body: string,
  headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', Signature: '[redacted]' },
): Exchange {
  return { step: 'reserveFunds on funded for maximumAmount + 1 (500001)', request: { method: 'POST', url: 'http://127.0.0.1:9/reserveFunds', headers, body } };
}

/** Runs the command up to (not including) curl, then prints the body bytes and the signature, NUL-separated. */
function signingPipeline(command: string, secret: string, env: Record<string, string> = {}): { body: string; signature: string } {
  const lines = command.split('\n');
  expect(lines.at(-1)).toMatch(/^printf '%s' "\$BODY" \| curl /);
  const script = `${lines.slice(0, -1).join('\n')}\nprintf '%s\\0%s' "$BODY" "$SIG"`;
  const out = execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH, [ENV]: secret, ...env } });
  const nul = out.indexOf(0);
  return { body: out.subarray(0, nul).toString('utf8'), signature: out.subarray(nul + 1).toString('utf8') };
}

describe('curl commands in the reports', () => {
  it.each(vectors.vectors.map((v, i) => ({ ...v, n: i + 1 })))('vector $n ($name): sh + openssl sign the exact body as the project does', (v) => {
    const { command } = curlCommand(exchange(v.body), RUN, ENV);
    expect(command).not.toBeNull();
    const { body, signature } = signingPipeline(command as string, v.secret);
    expect(body).toBe(v.body);
    expect(signature).toBe(v.signature);
    expect(signature).toBe(sign(v.body, v.secret, nodeHmac));
  });

  it('keeps bytes a shell would change: quotes, $, backticks, backslashes, trailing newlines', () => {
    const tricky = `{"sourceIdentifier":"1' OR '1'='1","x":"$HOME \`id\` \\\\n \\"q\\""}\n\n`;
    const { command } = curlCommand(exchange(tricky), RUN, ENV);
    const { body, signature } = signingPipeline(command as string, 'k');
    expect(body).toBe(tricky);
    expect(signature).toBe(sign(tricky, 'k', nodeHmac));
  });

  it("gives the run's references fresh values and reads a redacted authCode from AUTH_CODE", () => {
    const recorded = `{"clientTxnRef":"bc-${RUN}-conformance-1-12-c","raasTxnRef":"bc-${RUN}-conformance-1-12-r","authCode":"[redacted]"}`;
    const { command } = curlCommand(exchange(recorded), RUN, ENV);
    expect(command).toContain('REF="bc-curl-');
    const { body, signature } = signingPipeline(command as string, 's3cret', { AUTH_CODE: '1234' });
    expect(body).toMatch(/^\{"clientTxnRef":"bc-curl-\d+-\d+-c","raasTxnRef":"bc-curl-\d+-\d+-r","authCode":"1234"\}$/);
    expect(body).not.toContain(RUN);
    expect(signature).toBe(sign(body, 's3cret', nodeHmac));
  });

  it('names the variable, never a secret; no Signature when the run was unsigned', () => {
    const { command } = curlCommand(exchange('{}'), RUN, ENV);
    expect(command).toContain(`"\${${ENV}:?export ${ENV} first}"`);
    const unsigned = curlCommand(exchange('{}', { 'Content-Type': 'application/json' }), RUN, undefined).command ?? '';
    expect(unsigned).not.toContain('openssl');
    expect(unsigned).not.toContain('Signature');
  });

  it('says why there is no command for a shortened, oversized, NUL-carrying or secret-holding body', () => {
    expect(curlCommand(exchange(`{"a":"${'x'.repeat(10)}… [5000 more characters]`), RUN, ENV).skipped).toMatch(/keeps only the start/);
    expect(curlCommand(exchange('x'.repeat(20_000)), RUN, ENV).skipped).toMatch(/too large/);
    expect(curlCommand(exchange('{"a":"\u0000"}'), RUN, ENV).skipped).toMatch(/NUL/);
    expect(curlCommand(exchange('{"token":"[redacted]"}'), RUN, ENV).skipped).toMatch(/redacted secret/);
  });
});
