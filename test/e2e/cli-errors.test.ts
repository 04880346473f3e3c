import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { configFor, runCli } from '../helpers/cli.ts';

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function expectOneClearLine(stderr: string, fragment: RegExp): void {
  expect(stderr).toMatch(fragment);
  expect(stderr).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // no stack trace
}

describe('the CLI answers a user\'s mistakes clearly (real CLI process)', () => {
  it('--help lists the commands and exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const word of ['certify', 'demo', 'bank', 'init', 'report', 'setup', 'Exit codes']) expect(run.stdout).toContain(word);
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    const run = await runCli(['certify', '--config', 'x.json', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
  });

  it('a missing config file names the file and the fix (exit 2)', async () => {
    const run = await runCli(['certify', '--config', '/nonexistent/bankcert.config.json']);
    expect(run.code).toBe(2);
    expectOneClearLine(run.stderr, /cannot read config .*bankcert init/s);
  });

  it('a config error names the field (exit 2)', async () => {
    const { config } = configFor('ftp://example.invalid');
    const run = await runCli(['certify', '--config', config]);
    expect(run.code).toBe(2);
    expectOneClearLine(run.stderr, /target\.baseUrl/);
  });

  it('an unknown suite is a usage error (exit 2)', async () => {
    const { config } = configFor('http://127.0.0.1:1');
    const run = await runCli(['certify', '--config', config, '--suite', 'nonsense']);
    expect(run.code).toBe(2);
    expectOneClearLine(run.stderr, /--suite nonsense/);
  });

  it('an unreachable bank is one clear line (exit 3)', async () => {
    const port = await closedPort();
    const { config, out } = configFor(`http://127.0.0.1:${port}`);
    const run = await runCli(['certify', '--config', config, '--out', out]);
    expect(run.code).toBe(3);
    expectOneClearLine(run.stderr, new RegExp(`cannot reach the bank at http://127.0.0.1:${port}: connection refused`));
  });

  it('a missing k6 gives the install options (exit 3)', async () => {
    const { config, out, dir } = configFor('http://127.0.0.1:1');
    const fake = join(dir, 'not-k6');
    writeFileSync(fake, '');
    const run = await runCli(['certify', '--config', config, '--out', out], { env: { K6_BINARY: fake } });
    expect(run.code).toBe(3);
    expectOneClearLine(run.stderr, /K6_BINARY=.* is not a runnable k6 binary/);
  });

  it('no k6 and no Go: the install options, no stack trace (exit 3)', async () => {
    const { dir } = configFor('http://127.0.0.1:1');
    // PATH without Go or k6, and an empty tools folder: the state of a bare machine.
    const run = await runCli(['setup'], { env: { PATH: '/usr/bin:/bin', K6_BINARY: '', BANKCERT_TOOLS: join(dir, 'tools') } });
    expect(run.code).toBe(3);
    expectOneClearLine(run.stderr, /k6 is not installed and Go is not available to build it/);
    expect(run.stderr).toMatch(/K6_BINARY/);
    expect(run.stderr).toMatch(/grafana\/k6/);
  });

  it('signing enabled without the secret variable is a configuration error (exit 2)', async () => {
    const { config, out } = configFor('http://127.0.0.1:1', [[['signing', 'enabled'], true], [['signing', 'secretEnv'], 'BANKCERT_UNSET_SECRET_VAR']]);
    const run = await runCli(['certify', '--config', config, '--out', out], { env: { BANKCERT_UNSET_SECRET_VAR: '' } });
    expect(run.code).toBe(2);
    expectOneClearLine(run.stderr, /BANKCERT_UNSET_SECRET_VAR/);
  });

  it('`bank --fault` rejects an unknown fault (exit 2)', async () => {
    const run = await runCli(['bank', '--port', '0', '--fault', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope/);
  });

  it('`setup` finds k6 and passes the in-k6 self-test (zod and every signing vector inside k6)', async () => {
    const run = await runCli(['setup']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('k6 self-test passed');
    expect(run.stdout).toMatch(/✓ zod rejects a 6-digit productId/);
    expect(run.stdout.match(/✓ signature vector/g)?.length).toBe(8);
  });
});
