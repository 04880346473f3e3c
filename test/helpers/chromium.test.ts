import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureChromium, type BrowserSetupDeps } from './chromium.ts';

/** A PATH folder holding fake executables: the decisions are tested without touching the machine. */
function binDir(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bankcert-bin-'));
  for (const n of names) addExecutable(dir, n);
  return dir;
}

function addExecutable(dir: string, name: string): void {
  writeFileSync(join(dir, name), '#!/bin/sh\n');
  chmodSync(join(dir, name), 0o755);
}

function deps(bin: string, { statuses: given = [], ...over }: Partial<BrowserSetupDeps> & { statuses?: number[] } = {}) {
  const calls: string[] = [];
  const lines: string[] = [];
  const statuses = [...given];
  const d: BrowserSetupDeps = {
    env: { PATH: bin },
    isRoot: true,
    run(command, args) {
      calls.push(`${command} ${args.join(' ')}`);
      const status = statuses.shift() ?? 0;
      if (status === 0 && args[0] === 'install') addExecutable(bin, 'chromium');
      return status;
    },
    log: (l) => lines.push(l),
    ...over,
  };
  return { d, calls, lines };
}

describe('global setup: headless Chromium for the report-safety test', () => {
  it('uses chromium on PATH and installs nothing', () => {
    const bin = binDir('chromium', 'apt-get');
    const { d, calls } = deps(bin);
    expect(ensureChromium(d)).toBe(join(bin, 'chromium'));
    expect(calls).toEqual([]);
  });

  it('as root with apt-get: apt-get update, then install chromium without recommends, with progress lines', () => {
    const bin = binDir('apt-get');
    const { d, calls, lines } = deps(bin);
    expect(ensureChromium(d)).toBe(join(bin, 'chromium'));
    expect(calls).toEqual(['apt-get update', 'apt-get install -y --no-install-recommends chromium']);
    expect(lines.join('\n')).toMatch(/running `apt-get update`[\s\S]*running `apt-get install[\s\S]*chromium installed/);
  });

  it('a failing apt-get fails the run naming the command and its exit status', () => {
    const { d, calls } = deps(binDir('apt-get'), { statuses: [0, 100] });
    expect(() => ensureChromium(d)).toThrow(/`apt-get install -y --no-install-recommends chromium` failed with exit status 100/);
    expect(calls).toHaveLength(2);
  });

  it('not root: installs nothing and says what to do', () => {
    const { d, calls, lines } = deps(binDir('apt-get'), { isRoot: false });
    expect(ensureChromium(d)).toBeUndefined();
    expect(calls).toEqual([]);
    expect(lines.join('\n')).toMatch(/BANKCERT_SKIP_BROWSER=1/);
  });

  it('BANKCERT_SKIP_BROWSER=1 is the one way to skip, and says so', () => {
    const { d, calls, lines } = deps(binDir('apt-get'), { env: { PATH: '', BANKCERT_SKIP_BROWSER: '1' } });
    expect(ensureChromium(d)).toBeUndefined();
    expect(calls).toEqual([]);
    expect(lines).toHaveLength(1);
  });
});
