import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../checks/result.ts';
import { ROOT } from '../../scripts/util/paths.ts';

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const work = mkdtempSync(join(tmpdir(), 'bankcert-pack-'));
const npm = (args: string[], cwd: string, timeoutMs = 300_000) => {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { code: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
};

/**
 * The lock an empty project gets when it installs the tarball: bankcert from the tarball, its runtime
 * dependencies at the versions (and integrity) of bankcert's own package-lock.json. On a machine where
 * `npm ci` ran, npm's cache holds exactly those tarballs, though not the registry metadata a plain
 * `npm install --offline` would need to choose versions.
 */
function lockFor(tarball: string, name: string): unknown {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
    dependencies: Record<string, string>;
    bin: unknown;
    engines: unknown;
  };
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const wanted = new Set<string>();
  const walk = (dep: string) => {
    if (wanted.has(dep)) return;
    wanted.add(dep);
    const entry = repoLock.packages[`node_modules/${dep}`];
    for (const next of Object.keys({ ...entry?.dependencies, ...entry?.optionalDependencies })) walk(next);
  };
  for (const dep of Object.keys(pkg.dependencies)) walk(dep);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const spec = `file:${tarball}`;
  return {
    name,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name, dependencies: { bankcert: spec } },
      'node_modules/bankcert': {
        version: pkg.version,
        resolved: spec,
        integrity,
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: pkg.bin,
        engines: pkg.engines,
      },
      ...Object.fromEntries([...wanted].sort().map((dep) => [`node_modules/${dep}`, repoLock.packages[`node_modules/${dep}`]])),
    },
  };
}

describe('installable as a package: npm pack, install the tarball in an empty folder, npx bankcert demo', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs what it needs and nothing else, installs offline, and `npx bankcert demo` certifies', () => {
    // npm pack runs `prepare`, which is the build.
    const packed = npm(['pack', '--pack-destination', work], ROOT);
    expect(packed.code, packed.output).toBe(0);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) ?? 'missing.tgz');
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(listing).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/dist/bankcert.mjs',
        'package/dist/scenarios/load.js',
        'package/tools/k6/go.mod',
        'package/tools/k6/go.sum',
        'package/README.md',
      ]),
    );
    // No tests, no sources the bundles already hold, no tools folder with a k6 binary.
    expect(listing.filter((f) => /^package\/(test|\.tools|scripts|checks|reference-bank|bench|node_modules)\//.test(f) || f.endsWith('.test.ts'))).toEqual([]);

    const project = join(work, 'empty-project');
    mkdirSync(project);
    const name = 'bankcert-install-check';
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
    let installed = npm(['install', '--offline', '--no-audit', '--no-fund', tarball], project);
    if (installed.code !== 0 && installed.output.includes('ENOTCACHED')) {
      // The cache has the dependencies' tarballs (from `npm ci`) but not the registry metadata to pick versions:
      // pin them as bankcert's own lock does, still offline.
      writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name, private: true, dependencies: { bankcert: `file:${tarball}` } }, null, 2)}\n`);
      writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lockFor(tarball, name), null, 2)}\n`);
      installed = npm(['ci', '--offline', '--no-audit', '--no-fund'], project);
    }
    expect(installed.code, `${installed.output}\n(npm's cache lacks bankcert's dependencies: run \`npm ci\` in the repository first)`).toBe(0);
    expect(existsSync(join(project, 'node_modules', '.bin', 'bankcert'))).toBe(true);

    const out = join(project, 'demo-report');
    const demo = spawnSync('npx', ['--offline', 'bankcert', 'demo', '--out', out], {
      cwd: project,
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    expect(demo.status, `${demo.stdout}${demo.stderr}`).toBe(0);
    expect(demo.stdout).toContain('verdict: CERTIFIED');
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as Result;
    expect(result.verdict).toBe('certified');
    // The installed copy found its own bundles and templates: the report is rendered, with the package's version.
    expect(result.harness.version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('CERTIFIED');
  }, 900_000);
});
