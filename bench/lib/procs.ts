import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

// Processes the bench starts, and what it reads about them from /proc (Linux only, like the bench).

export const CLOCK_TICKS = 100; // USER_HZ: /proc/PID/stat times are in 1/100 s on every Linux the bench targets

/** user + system CPU seconds of a live process, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine spent busy since boot (every core; /proc/stat, idle and iowait excluded). */
export function busyCpuSeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

/** Resident set now (VmRSS) and at its peak (VmHWM) of a live process in KiB, or undefined once it is gone. */
export function residentKiB(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(text);
    const rss = /VmRSS:\s+(\d+) kB/.exec(text);
    return hwm ? { hwm: Number(hwm[1]), rss: Number(rss?.[1] ?? Number.NaN) } : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set (VmHWM) of a live process in KiB, or undefined once it is gone. */
export function peakRssKiB(pid: number): number | undefined {
  return residentKiB(pid)?.hwm;
}

/**
 * Follows a process until it exits: its last CPU reading and its VmHWM (monotonic, so the last reading
 * before exit is the peak up to 20 ms before the end).
 */
export function watch(pid: number): { stop(): { cpuS: number; wallS: number; peakRssKiB: number } } {
  const started = performance.now();
  let cpuS = cpuSeconds(pid) ?? 0;
  const cpuAtStart = cpuS;
  let hwm = peakRssKiB(pid) ?? 0;
  let lastSeen = started;
  const timer = setInterval(() => {
    const c = cpuSeconds(pid);
    const h = peakRssKiB(pid);
    if (c !== undefined) {
      cpuS = c;
      lastSeen = performance.now();
    }
    if (h !== undefined) hwm = Math.max(hwm, h);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      const c = cpuSeconds(pid);
      if (c !== undefined) {
        cpuS = c;
        lastSeen = performance.now();
      }
      return { cpuS: cpuS - cpuAtStart, wallS: (lastSeen - started) / 1000, peakRssKiB: hwm };
    },
  };
}

export interface Bank {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * `node dist/bankcert.mjs bank --port 0 --quiet ...` on the bank's core (BENCH_BANK_CPU), waiting for its
 * "listening on URL" line. Bounded: 20 s to start, SIGKILL 5 s after SIGTERM.
 */
export async function startBank(root: string, args: readonly string[], env: Record<string, string> = {}, unpinned = false): Promise<Bank> {
  const cpu = unpinned ? undefined : process.env.BENCH_BANK_CPU;
  const argv = [process.execPath, `${root}/dist/bankcert.mjs`, 'bank', '--port', '0', '--quiet', ...args];
  const child =
    cpu !== undefined
      ? spawn('taskset', ['-c', cpu, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(argv[0] as string, argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (d: string) => output.push(d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the reference bank did not start within 20 s: ${output.join('')}`));
    }, 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const m = /listening on (http\S+)/.exec(line);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the reference bank exited with ${code}: ${output.join('')}`));
    });
  });
  return { url, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a command to completion with a hard deadline; stdout and stderr as text. */
export function runCommand(
  cmd: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string; onStart?: (pid: number) => void },
): Promise<{ code: number | null; stdout: string; stderr: string; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) options.onStart?.(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, pid: child.pid ?? 0 });
    });
  });
}

/**
 * A stand-in bank for the start-up measurement: answers like a compliant bank (every reserveFunds 0000,
 * every transactResult 200) and notes when the first reserveFunds arrived (performance.now()).
 */
export async function startTimestampServer(): Promise<{ url: string; firstReserveAt(): number | undefined; reset(): void; close(): Promise<void> }> {
  let first: number | undefined;
  let n = 0;
  const server: Server = createServer((req, res) => {
    const at = performance.now();
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/reserveFunds') {
        first ??= at;
        n += 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"responseCode":"0000","reserveFundsTxnRef":"ts-${n}"}`);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    firstReserveAt: () => first,
    reset: () => {
      first = undefined;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Runs `fn` with this process (and so every child it starts meanwhile) allowed on every core, then puts
 * it back on the generator's core. No-op when the bench is not pinned.
 */
export async function unpinned<T>(fn: () => Promise<T>): Promise<T> {
  const gen = process.env.BENCH_GEN_CPU;
  if (gen === undefined) return fn();
  const all = `0-${Math.max(1, availableParallelism() - 1)}`;
  await runCommand('taskset', ['-a', '-p', '-c', all, String(process.pid)], { timeoutMs: 10_000 });
  try {
    return await fn();
  } finally {
    await runCommand('taskset', ['-a', '-p', '-c', gen, String(process.pid)], { timeoutMs: 10_000 });
  }
}
