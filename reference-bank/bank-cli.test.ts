import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startBank } from '../test/helpers/cli.ts';
import { CHAOS_MODES } from './chaos.ts';
import { FAULTS } from './faults.ts';

const NO_STACK = /\n\s+at .+:\d+:\d+/;

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('bankcert bank (real CLI process)', () => {
  it('a busy port is one line naming the port, the address and the reason (exit 2)', async () => {
    const { server, port } = await listening();
    try {
      const run = await runCli(['bank', '--port', String(port), '--quiet'], { timeoutMs: 15_000 });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`bankcert: port ${port} on 127.0.0.1 is already in use (EADDRINUSE): pick another with --port, or --port 0 for any free port\n`);
      expect(run.stdout).toBe('');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('--minimal with --fault is a usage error (exit 2), before anything listens', async () => {
    const run = await runCli(['bank', '--port', '0', '--minimal', '--fault', 'no-maximum'], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "bankcert: --minimal and --fault no-maximum do not go together: faults break the strict bank's rules; drop --minimal to run a faulty bank\n",
    );
    expect(run.stdout).not.toContain('listening');
  });

  it('demo --minimal with --fault is a usage error (exit 2)', async () => {
    const run = await runCli(['demo', '--minimal', '--fault', 'no-maximum'], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^bankcert: --minimal and --fault no-maximum do not go together\n/);
    expect(run.stderr).not.toMatch(NO_STACK);
  });

  it('an unknown chaos mode is a usage error that lists the modes (exit 2)', async () => {
    const run = await runCli(['bank', '--port', '0', '--chaos', 'gremlins'], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    for (const mode of Object.keys(CHAOS_MODES)) expect(run.stderr).toContain(mode);
  });

  it('a corrupt --state file is one line naming it (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bankcert-cli-state-'));
    try {
      const file = join(dir, 'state.json');
      writeFileSync(file, 'not json');
      const run = await runCli(['bank', '--port', '0', '--state', file], { timeoutMs: 15_000 });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`bankcert: --state ${file}: not a reference-bank state file (invalid JSON); delete it to start from the fixtures\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help has a line per chaos mode; --list-faults still lists exactly the faults', async () => {
    const help = await runCli(['bank', '--help'], { timeoutMs: 15_000 });
    expect(help.code).toBe(0);
    for (const [mode, what] of Object.entries(CHAOS_MODES)) expect(help.stdout).toContain(`  ${mode.padEnd(22)} ${what}`);
    for (const flag of ['--minimal', '--state <file>', '--chaos <mode>']) expect(help.stdout).toContain(flag);
    const list = await runCli(['bank', '--list-faults'], { timeoutMs: 15_000 });
    expect(list.code).toBe(0);
    expect(
      list.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(Object.keys(FAULTS));
  });

  it('--minimal and --state start and say so; the state endpoint names the personality', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bankcert-cli-state-'));
    const file = join(dir, 'state.json');
    const bank = await startBank(['--minimal', '--state', file]);
    try {
      expect(bank.output[1]).toBe(`faults: none (compliant, minimal personality); request signing: off; state kept in ${file}`);
      const state = (await (await fetch(`${bank.url}/__reference/state`)).json()) as Record<string, unknown>;
      expect(state).toMatchObject({ personality: 'minimal', chaos: null, faults: [] });
    } finally {
      await bank.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--chaos combines with --fault, and is refused with --minimal (exit 2)', async () => {
    const bank = await startBank(['--chaos', 'invalid-utf8', '--fault', 'unmatched-cancel']);
    try {
      expect(bank.output[1]).toBe('faults: unmatched-cancel; request signing: off; chaos: invalid-utf8');
      const state = (await (await fetch(`${bank.url}/__reference/state`)).json()) as Record<string, unknown>;
      expect(state).toMatchObject({ personality: 'strict', chaos: 'invalid-utf8', faults: ['unmatched-cancel'] });
    } finally {
      await bank.stop();
    }
    const refused = await runCli(['bank', '--port', '0', '--minimal', '--chaos', 'huge-body'], { timeoutMs: 15_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^bankcert: --minimal and --chaos huge-body do not go together: .*drop --minimal\n$/);
  });
});
