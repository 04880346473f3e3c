// Builds everything bankcert runs: one ESM bundle per k6 scenario and the Node CLI.
// Plain JS so it runs on a fresh clone before anything is compiled.
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const scenarios = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join(root, 'scenarios', f));

await build({
  entryPoints: scenarios,
  outdir: join(root, 'dist', 'scenarios'),
  // k6 runs one self-contained ES module per test: our checks/ and zod must be inside it.
  bundle: true,
  format: 'esm',
  // k6's JS runtime is not Node: no node builtins, no `process`; "neutral" keeps esbuild from assuming either.
  platform: 'neutral',
  // With platform neutral esbuild reads no package.json fields by default; zod publishes ESM under "module"/"exports".
  mainFields: ['module', 'main'],
  // k6's runtime (Sobek) handles ES2020 syntax fully; newer syntax is lowered to be safe.
  target: 'es2020',
  // Provided by the k6 binary at run time. Remote jslib URLs are never imported (k6 runs offline).
  external: ['k6', 'k6/*'],
  // Every VU evaluates the whole bundle: smaller parses faster and uses less memory per VU.
  minify: true,
  // Keeps function names in k6 stack traces readable despite minification.
  keepNames: true,
  // Stack traces from k6 point into the bundle; the map lets a developer find the TS line.
  sourcemap: 'linked',
  logLevel: 'warning',
});

await build({
  entryPoints: [join(root, 'scripts', 'cli.ts')],
  outfile: join(root, 'dist', 'bankcert.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // npm dependencies stay in node_modules: they are installed by `npm ci` and handlebars' CJS
  // entry does not survive bundling cleanly.
  packages: 'external',
  // Report templates travel inside the bundle, so a report renders wherever the CLI runs.
  loader: { '.hbs': 'text' },
  define: { BANKCERT_VERSION: JSON.stringify(version) },
  banner: { js: '#!/usr/bin/env node' },
  sourcemap: 'linked',
  logLevel: 'warning',
});
