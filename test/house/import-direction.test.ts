import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/util/paths.ts';

/**
 * Imports go one way (ARCHITECTURE.md): scripts → checks/reports, reports → checks, never back;
 * scenarios and the reference bank use checks only; a command never imports another command. Tests and
 * fixtures may reach anywhere (they drive the real thing).
 */
const RULES: { from: RegExp; mayNot: RegExp; why: string }[] = [
  { from: /^checks\//, mayNot: /^(scripts|reports|scenarios|reference-bank)\//, why: 'checks/ is shared by k6 bundles and Node: it imports only checks/' },
  { from: /^reports\//, mayNot: /^(scripts|scenarios|reference-bank)\//, why: 'reports/ renders results: it imports only checks/ and reports/' },
  { from: /^scenarios\//, mayNot: /^(scripts|reports|reference-bank)\//, why: 'scenarios/ are k6 entry points wiring checks/' },
  { from: /^reference-bank\//, mayNot: /^(scripts|reports|scenarios)\//, why: 'the reference bank is a bank: it shares only the protocol in checks/' },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name.startsWith('.') || name === 'dist' ? [] : sources(path);
    return /\.(ts|mjs)$/.test(name) && !/\.test\.ts$/.test(name) && !path.includes('__fixtures__') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*?from '(\.{1,2}\/[^']+)'/gm)].map((m) => relative(ROOT, resolve(dirname(file), m[1] ?? '')));
}

describe('imports go one way', () => {
  const files = ['checks', 'reports', 'scenarios', 'reference-bank', 'scripts'].flatMap((d) => sources(join(ROOT, d))).map((f) => relative(ROOT, f));

  it.each(RULES)('$why', ({ from, mayNot }) => {
    const backward = files
      .filter((f) => from.test(f))
      .flatMap((f) =>
        importsOf(join(ROOT, f))
          .filter((target) => mayNot.test(target))
          .map((target) => `${f} → ${target}`),
      );
    expect(backward).toEqual([]);
  });

  it('commands never import each other', () => {
    const crossing = files
      .filter((f) => f.startsWith('scripts/commands/'))
      .flatMap((f) =>
        importsOf(join(ROOT, f))
          .filter((target) => target.startsWith('scripts/commands/'))
          .map((target) => `${f} → ${target}`),
      );
    expect(crossing).toEqual([]);
  });

  it('scripts/ has only cli.ts and folders at its top level', () => {
    const top = readdirSync(join(ROOT, 'scripts')).filter((name) => !statSync(join(ROOT, 'scripts', name)).isDirectory());
    expect(top).toEqual(['cli.ts']);
  });
});
