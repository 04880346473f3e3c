import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { cannotRun } from '../util/errors.ts';
import { ROOT, TOOLS } from '../util/paths.ts';

const run = promisify(execFile);

/** The k6 release bankcert builds when none is installed: the newest the Go module proxy serves in full (v2.3.0's zip is refused there). */
export const PINNED_K6 = 'v2.2.0';
const SUPPORTED_MAJORS = [1, 2];

export interface K6 {
  path: string;
  version: string;
  source: 'K6_BINARY' | 'project tools' | 'PATH';
}

export const INSTALL_HINTS = [
  'Install k6 in one of these ways, then run bankcert again:',
  '  • Go 1.24+ on PATH: bankcert builds it for you (`npm run setup:k6`, a few minutes the first time)',
  '  • Debian/Ubuntu: follow https://grafana.com/docs/k6/latest/set-up/install-k6/ (apt repository), or `brew install k6` on macOS',
  '  • Container image grafana/k6, or a release binary; point K6_BINARY=/path/to/k6 at it',
];

export const localK6Path = () => join(TOOLS, 'bin', 'k6');

/** Env for every k6 process: offline-safe (no usage report, no automatic extension download). */
export function k6Env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false', ...extra };
}

async function versionOf(path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(path, ['version'], { env: k6Env(), timeout: 15_000 });
    return /k6 (v\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

function supported(version: string): boolean {
  const major = Number(/^v(\d+)/.exec(version)?.[1]);
  return SUPPORTED_MAJORS.includes(major);
}

/** The first executable `name` on PATH, like `command -v`. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** K6_BINARY wins; then the project's own build; then a supported k6 on PATH. */
export async function findK6(): Promise<K6 | undefined> {
  const named = process.env.K6_BINARY;
  if (named) {
    const version = await versionOf(named);
    if (!version) throw cannotRun(`K6_BINARY=${named} is not a runnable k6 binary`, ['Unset K6_BINARY or point it at a k6 executable.']);
    if (!supported(version)) throw cannotRun(`K6_BINARY=${named} is k6 ${version}; bankcert needs k6 v1 or v2`);
    return { path: named, version, source: 'K6_BINARY' };
  }
  const local = localK6Path();
  if (existsSync(local)) {
    const version = await versionOf(local);
    if (version && supported(version)) return { path: local, version, source: 'project tools' };
  }
  const path = onPath('k6');
  if (path) {
    const version = await versionOf(path);
    if (version && supported(version)) return { path, version, source: 'PATH' };
  }
  return undefined;
}

/**
 * Builds the pinned k6 from source into .tools/bin. The pin and its checksums live in tools/k6
 * (go.mod, go.sum); they are copied to a scratch module so the build never touches tracked files.
 */
export async function installK6(progress: (line: string) => void): Promise<K6> {
  const go = onPath('go');
  if (!go) throw cannotRun('k6 is not installed and Go is not available to build it', INSTALL_HINTS);
  const work = join(TOOLS, 'k6-build');
  mkdirSync(work, { recursive: true });
  for (const f of ['go.mod', 'go.sum']) copyFileSync(join(ROOT, 'tools', 'k6', f), join(work, f));
  progress(`building k6 ${PINNED_K6} from source with ${go} (a few minutes the first time, cached afterwards)`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['build', '-mod=mod', '-trimpath', '-o', localK6Path(), 'go.k6.io/k6/v2'], {
      cwd: work,
      env: { ...process.env, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const tail: string[] = [];
    let downloads = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.startsWith('go: downloading')) downloads += 1;
      }
    });
    const heartbeat = setInterval(() => {
      progress(`still building k6 (${Math.round((Date.now() - started) / 1000)} s, ${downloads} modules downloaded)`);
    }, 15_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(cannotRun(`could not start go: ${err.message}`, INSTALL_HINTS, err));
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve();
      else reject(cannotRun(`building k6 with Go failed (exit ${code}): ${tail.slice(-3).join(' | ')}`, INSTALL_HINTS));
    });
  });
  const version = await versionOf(localK6Path());
  if (!version) throw cannotRun(`the k6 built at ${localK6Path()} does not run`, INSTALL_HINTS);
  progress(`k6 ${version} ready at ${localK6Path()} (${Math.round((Date.now() - started) / 1000)} s)`);
  return { path: localK6Path(), version, source: 'project tools' };
}

export async function ensureK6(progress: (line: string) => void): Promise<K6> {
  return (await findK6()) ?? installK6(progress);
}
