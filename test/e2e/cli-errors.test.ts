import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bankState } from '../helpers/bank-state.ts';
import { CLI, configFor, runCli, startBank } from '../helpers/cli.ts';

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

describe("the CLI answers a user's mistakes clearly (real CLI process)", () => {
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
    const { config, out } = configFor('http://127.0.0.1:1', [
      [['signing', 'enabled'], true],
      [['signing', 'secretEnv'], 'BANKCERT_UNSET_SECRET_VAR'],
    ]);
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

/** A bank stand-in that answers anything and counts every request: a refused run must have sent none. */
async function countingServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createHttpServer((req, res) => {
    n += 1;
    req.resume();
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests: () => n,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('every option is checked before the first request (real CLI, a bank that counts requests)', () => {
  const cases: { name: string; args: (dir: string) => string[]; edits?: [string[], unknown][]; env?: NodeJS.ProcessEnv; line: RegExp }[] = [
    { name: 'a mistyped profile', args: () => ['--profile', 'lod'], line: /^bankcert: --profile lod: unknown load profile$/ },
    {
      name: 'a mistyped profile with a suite list that leaves out load',
      args: () => ['--suite', 'conformance,safety', '--profile', 'lod'],
      line: /^bankcert: --profile lod: unknown load profile$/,
    },
    { name: 'two fixed load profiles', args: () => ['--profile', 'load,stress'], line: /^bankcert: --profile load,stress: one load profile per run/ },
    { name: '--instances not a number', args: () => ['--instances', 'abc'], line: /^bankcert: --instances abc: use a whole number from 1 to 64$/ },
    { name: '--instances 0', args: () => ['--instances', '0'], line: /^bankcert: --instances 0: / },
    { name: 'an unknown suite after a valid one', args: () => ['--suite', 'conformance,nonsense'], line: /^bankcert: --suite nonsense: unknown/ },
    {
      name: 'a baseline folder that does not exist',
      args: () => ['--baseline', '/nonexistent/run'],
      line: /^bankcert: --baseline \/nonexistent\/run: cannot read/,
    },
    {
      name: 'a baseline folder whose result.json is not a result',
      args(dir) {
        mkdirSync(join(dir, 'old'));
        writeFileSync(join(dir, 'old', 'result.json'), '{"verdict":"certified"}');
        return ['--baseline', join(dir, 'old')];
      },
      line: /^bankcert: --baseline .*old: .*result\.json is not a bankcert result: .+$/,
    },
    {
      name: '--out is a file',
      args: (dir) => ['--out', join(dir, 'bankcert.config.json')],
      line: /^bankcert: --out .*bankcert\.config\.json: it is a file, not a folder$/,
    },
    {
      name: 'a TLS file that cannot be read',
      args: () => [],
      edits: [[['target', 'tls'], { caFile: 'missing-ca.pem' }]],
      line: /^bankcert: config target\.tls\.caFile: cannot use .*missing-ca\.pem.*: no such file/,
    },
    {
      name: 'signing on without its secret',
      args: () => [],
      edits: [
        [['signing', 'enabled'], true],
        [['signing', 'secretEnv'], 'BANKCERT_UNSET_SECRET_VAR'],
      ],
      env: { BANKCERT_UNSET_SECRET_VAR: '' },
      line: /BANKCERT_UNSET_SECRET_VAR is not set/,
    },
  ];
  it.each(cases)('$name: exit 2, one line naming it, nothing sent', async ({ args, edits, env, line }) => {
    const bank = await countingServer();
    try {
      // A TLS config needs an https URL; the counting server then would see a TLS handshake, which also counts as traffic.
      const url = edits?.some(([path]) => path[1] === 'tls') ? bank.url.replace('http:', 'https:') : bank.url;
      const { dir, config, out } = configFor(url, edits ?? []);
      const run = await runCli(['certify', '--config', config, '--out', out, ...args(dir)], { env: env ?? {} });
      expect(run.code, run.stderr).toBe(2);
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('bankcert: '));
      expect(errors, run.stderr).toHaveLength(1);
      expect(errors[0]).toMatch(line);
      expect(run.stdout).toBe('');
      expect(bank.requests()).toBe(0);
    } finally {
      await bank.close();
    }
  });

  it('a config error with one problem prints it once (certify and bundle)', async () => {
    const { config, out } = configFor('http://127.0.0.1:1', [[['bank'], 5]]);
    for (const args of [
      ['certify', '--config', config, '--out', out],
      ['bundle', '--config', config, '--out', out],
    ]) {
      const run = await runCli(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr.match(/config bank: /g), run.stderr).toHaveLength(1);
    }
  });
});

describe("the other commands: a user's path or number is exit 2 in one line, never an internal error", () => {
  it.each([
    [
      'init --output in a folder that does not exist',
      () => ['init', '--output', '/nonexistent/bankcert.config.json'],
      /^bankcert: --output \/nonexistent\/bankcert\.config\.json: cannot write it: /,
    ],
    ['bundle --out is a file', (config: string) => ['bundle', '--config', config, '--out', config], /^bankcert: --out .*: it is a file, not a folder$/],
    [
      'bundle --parallelism not a number',
      (config: string) => ['bundle', '--config', config, '--parallelism', 'abc'],
      /^bankcert: --parallelism abc: use a whole number from 1 to 1000$/,
    ],
  ] as const)('%s', async (_name, args, line) => {
    const { config } = configFor('http://127.0.0.1:1');
    const run = await runCli(args(config));
    expect(run.code, run.stderr).toBe(2);
    expect(
      run.stderr.split('\n').filter((l) => l.startsWith('bankcert: ')),
      run.stderr,
    ).toEqual([expect.stringMatching(line)]);
  });
});

describe('exit codes never lie (real CLI)', () => {
  it('a closed stdout (`bankcert --help | head -1`) ends the CLI quietly with its exit code', async () => {
    for (const args of [['--help'], ['certify', '--help'], ['bank', '--list-faults']]) {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      // The reader goes away before the CLI writes: every write meets a closed pipe (EPIPE).
      child.stdout.destroy();
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  it('an unexpected error is exit 3 in one line, never 1; --verbose (before or after the command) shows the stack; cleanup still ran', async () => {
    const bank = await startBank(['--quiet']);
    try {
      const env = { BANKCERT_TEST_THROW: 'after:conformance' };
      const { config, out } = configFor(bank.url);
      const plain = await runCli(['certify', '--config', config, '--out', out, '--suite', 'conformance'], { env });
      expect(plain.code, plain.stderr).toBe(3);
      expect(plain.stderr.trim().split('\n'), plain.stderr).toEqual([
        'bankcert: could not run: internal error: test hook BANKCERT_TEST_THROW: thrown after the conformance suite; --verbose shows the stack',
      ]);
      for (const args of [
        ['--verbose', 'certify'],
        ['certify', '--verbose'],
        ['certify', '-v'],
      ]) {
        const verbose = await runCli([...args, '--config', config, '--out', out, '--suite', 'conformance'], { env });
        expect(verbose.code, verbose.stderr).toBe(3);
        expect(verbose.stderr).toMatch(/\n\s+at testHook \(/);
        expect(verbose.stderr.trim().split('\n').at(-1)).toBe(
          'bankcert: could not run: internal error: test hook BANKCERT_TEST_THROW: thrown after the conformance suite',
        );
      }
      expect((await bankState(bank)).held).toEqual([]);
    } finally {
      await bank.stop();
    }
  });
});
