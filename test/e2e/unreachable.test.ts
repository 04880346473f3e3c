import { existsSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCannotRun } from '../helpers/clear-error.ts';
import { configFor, runCli, type CliRun } from '../helpers/cli.ts';

// Connection refused is covered in cli-errors.test.ts. These are the other ways a bank cannot be
// reached; each must end in bounded time with one line a user can act on, before k6 ever starts.
const BOUND_MS = 20_000;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

async function certifyTimed(url: string): Promise<{ run: CliRun; ms: number; out: string }> {
  const { config, out } = configFor(url);
  const started = Date.now();
  // The CLI is killed at BOUND_MS + 5 s: a hang shows up as a failed bound, not as a stuck test run.
  const run = await runCli(['certify', '--config', config, '--out', out, '--suite', 'conformance'], { timeoutMs: BOUND_MS + 5_000 });
  return { run, ms: Date.now() - started, out };
}

describe('an unreachable bank is one clear line, exit 3, in bounded time (real CLI)', () => {
  it('unknown host (reserved .invalid name: resolution fails fast, even offline)', async () => {
    const { run, ms } = await certifyTimed('http://bank.invalid:8080');
    expectCannotRun(run, /cannot reach the bank at http:\/\/bank\.invalid:8080: unknown host/);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('TLS failure: an https:// URL answered by a plain-HTTP server', async () => {
    const server = createHttpServer((_req, res) => res.end('plain'));
    const port = await listen(server);
    try {
      const { run, ms } = await certifyTimed(`https://127.0.0.1:${port}`);
      expectCannotRun(run, /TLS: the server does not speak TLS there .*http:\/\//);
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a server that accepts the connection but never answers: preflight gives up at its deadline', async () => {
    // Accepts and holds every socket, never writes: a hung bank or a black-holing proxy.
    const held: Socket[] = [];
    const server = createServer((socket) => {
      held.push(socket);
    });
    const port = await listen(server);
    try {
      const { run, ms, out } = await certifyTimed(`http://127.0.0.1:${port}`);
      expectCannotRun(run, /cannot reach the bank at http:\/\/127\.0\.0\.1:\d+: connected, but no answer within \d+ ms/);
      expect(ms).toBeLessThan(BOUND_MS);
      // The connection was made, so the wait was the preflight's deadline, not a refused dial.
      expect(held.length).toBeGreaterThan(0);
      // Preflight stops the run before any output exists: nothing half-written that looks like a result.
      expect(run.stdout).not.toMatch(/verdict:/);
      expect(existsSync(join(out, 'result.json'))).toBe(false);
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
