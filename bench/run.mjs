// `npm run bench`: builds bankcert, makes sure wrk is there, bundles the bench (TypeScript, like the CLI)
// and runs it with the load generators pinned to one core and the reference bank to another, so the
// figures compare one core of harness against one core of bank. Writes bench/RESULTS.md.
// Plain JS so it runs before anything is compiled. Options are environment variables (bench/README.md).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'node_modules', '.cache', 'bankcert-bench');

/** @param {string} cmd */
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function ensureWrk() {
  if (has('wrk')) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !has('apt-get')) {
    console.log(
      'bench: wrk is not installed; the wrk figures will be missing. Install it with `sudo apt-get install wrk` (Debian/Ubuntu) or your package manager, then run `npm run bench` again.',
    );
    return;
  }
  console.log('bench: installing wrk (apt-get install wrk)');
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', 'wrk'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    if (!install()) console.log('bench: apt-get could not install wrk; the wrk figures will be missing.');
  }
}

console.log('bench: building bankcert (node scripts/build/build.mjs)');
execFileSync(process.execPath, [join(root, 'scripts', 'build', 'build.mjs')], { stdio: 'inherit', cwd: root });
ensureWrk();

const { build } = await import('esbuild');
mkdirSync(out, { recursive: true });
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const entry of ['bench', 'report-scale', 'long-run']) {
  await build({
    entryPoints: [join(root, 'bench', `${entry}.ts`)],
    outfile: join(out, `${entry}.mjs`),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    loader: { '.hbs': 'text' },
    define: { BANKCERT_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  });
}

// Two cores or more: the bank gets core 0, everything that generates load (wrk, k6, and this process,
// which reads k6's event stream as the CLI does) gets core 1. Children inherit the generator's affinity.
const cpus = availableParallelism();
const pin = cpus >= 2 && has('taskset') && process.env.BENCH_NO_PIN !== '1';
const env = { ...process.env, BENCH_ROOT: root, BENCH_OUT: out, ...(pin ? { BENCH_BANK_CPU: '0', BENCH_GEN_CPU: '1' } : {}) };
// `node bench/run.mjs long` (npm run bench:long): the CLI's memory over a long load run instead (bench/long-run.ts).
const script = join(out, process.argv[2] === 'long' ? 'long-run.mjs' : 'bench.mjs');
const [file, args] = pin ? ['taskset', ['-c', '1', process.execPath, script]] : [process.execPath, [script]];
if (!pin) console.log(`bench: not pinning processes to cores (${cpus} core(s)${has('taskset') ? '' : ', no taskset'}); figures are noisier`);
const child = spawn(file, args, { stdio: 'inherit', env, cwd: root });
/** @param {NodeJS.Signals} signal */
const stop = (signal) => child.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('close', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
