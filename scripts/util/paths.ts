import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the folder with bankcert's package.json, whether running from dist/ or from sources in tests. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'bankcert') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the bankcert project root (package.json named "bankcert")');
    dir = parent;
  }
}

export const ROOT = findRoot();
export const DIST = join(ROOT, 'dist');
/** Where bankcert keeps the k6 it builds; BANKCERT_TOOLS moves it (a CI cache folder, say). */
export const TOOLS = process.env.BANKCERT_TOOLS ? resolve(process.env.BANKCERT_TOOLS) : join(ROOT, '.tools');

export function harnessVersion(): string {
  if (typeof BANKCERT_VERSION === 'string') return BANKCERT_VERSION;
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function scenarioBundle(suite: string): string {
  return join(DIST, 'scenarios', `${suite}.js`);
}
