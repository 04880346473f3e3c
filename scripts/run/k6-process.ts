import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EVENT_PREFIX, type ScenarioEvent } from '../../checks/events.ts';
import { k6Env, type K6 } from '../k6/toolchain.ts';

export interface K6LogLine {
  level: string;
  msg: string;
}

export interface K6RunOptions {
  k6: K6;
  bundle: string;
  /** Extra environment (plan file path, secrets, summary path); merged over the offline-safe k6 env. */
  env: Record<string, string>;
  /** Extra `k6 run` arguments (outputs, tags), placed before the script. */
  args?: readonly string[];
  /** A scenario event, and its JSON text as the scenario wrote it. */
  onEvent(event: ScenarioEvent, json: string): void;
  onLog(line: K6LogLine): void;
}

export interface K6Run {
  pid: number | undefined;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Sends SIGINT (k6 stops gracefully and still writes its summary); a second call kills it. */
  interrupt(): void;
  done: Promise<void>;
}

/** How often the console file is read while k6 runs. */
const POLL_MS = 100;

/**
 * Reads a file another process appends lines to, from where it left off: complete lines only, the
 * rest waits for the next read. Synchronous reads of what is there, on a timer: no watcher to miss
 * events or to keep the process alive.
 */
class FileTail {
  private fd: number | undefined;
  private offset = 0;
  private pending = '';
  private readonly buffer = Buffer.alloc(1 << 20);

  constructor(
    private readonly path: string,
    private readonly onLine: (line: string) => void,
  ) {}

  read(): void {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return; // k6 has not created it yet
      }
    }
    for (;;) {
      const n = readSync(this.fd, this.buffer, 0, this.buffer.length, this.offset);
      if (n === 0) break;
      this.offset += n;
      const text = this.pending + this.buffer.toString('utf8', 0, n);
      const lines = text.split('\n');
      this.pending = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) this.onLine(line);
    }
  }

  /** Reads what is left, including a last line without its newline (k6 killed mid-write). */
  close(): void {
    this.read();
    if (this.pending.length > 0) this.onLine(this.pending);
    this.pending = '';
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Starts `k6 run` with JSON logs. Scenario events are console lines whose message is a JSON object (see
 * checks/events.ts). They go to a file (`--console-output`), not through stderr: k6 writes a file
 * line at about a third of the cost of a line through the pipe (bench/RESULTS.md), and the load suite
 * writes one per iteration. Everything else is k6's own log (stderr) and is handed to onLog.
 */
export function startK6(options: K6RunOptions): K6Run {
  const consoleDir = mkdtempSync(join(tmpdir(), 'bankcert-k6-console-'));
  const consoleFile = join(consoleDir, 'console.ndjson');
  const child = spawn(
    options.k6.path,
    ['run', '--quiet', '--no-color', '--log-format=json', `--console-output=${consoleFile}`, ...(options.args ?? []), options.bundle],
    {
      env: k6Env(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const run: K6Run = {
    pid: child.pid,
    exitCode: null,
    signal: null,
    interrupt() {
      if (child.exitCode !== null) return;
      if (interrupted) child.kill('SIGKILL');
      else child.kill('SIGINT');
      interrupted = true;
    },
    done: Promise.resolve(),
  };
  let interrupted = false;

  /** One k6 JSON log line: an event when it is console output whose message is one. */
  const readLine = (line: string, fromConsole: boolean) => {
    let parsed: { level?: string; msg?: string; source?: string } | undefined;
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      options.onLog({ level: 'info', msg: line });
      return;
    }
    const msg = parsed?.msg ?? '';
    if ((fromConsole || parsed?.source === 'console') && msg.startsWith(EVENT_PREFIX)) {
      try {
        options.onEvent(JSON.parse(msg) as ScenarioEvent, msg);
        return;
      } catch {
        // a truncated or foreign line: keep it as a log line below
      }
    }
    options.onLog({ level: parsed?.level ?? 'info', msg });
  };
  const tail = new FileTail(consoleFile, (line) => readLine(line, true));
  const timer = setInterval(() => tail.read(), POLL_MS);
  createInterface({ input: child.stderr }).on('line', (line) => readLine(line, false));
  createInterface({ input: child.stdout }).on('line', (line) => options.onLog({ level: 'info', msg: line }));

  run.done = new Promise((resolve, reject) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      try {
        tail.close();
      } finally {
        rmSync(consoleDir, { recursive: true, force: true });
      }
    };
    child.on('error', (err) => {
      finish();
      reject(err);
    });
    child.on('close', (code, signal) => {
      finish();
      run.exitCode = code;
      run.signal = signal;
      resolve();
    });
  });
  return run;
}
