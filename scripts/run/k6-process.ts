import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EVENT_PREFIX, type ScenarioEvent } from '../../checks/observation.ts';
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
  onEvent(event: ScenarioEvent): void;
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

/**
 * Starts `k6 run` with JSON logs on stderr. Scenario events are console lines whose message is a JSON
 * object (see checks/observation.ts); everything else is k6's own log and is handed to onLog.
 */
export function startK6(options: K6RunOptions): K6Run {
  const child = spawn(options.k6.path, ['run', '--quiet', '--no-color', '--log-format=json', ...(options.args ?? []), options.bundle], {
    env: k6Env(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

  createInterface({ input: child.stderr }).on('line', (line) => {
    let parsed: { level?: string; msg?: string; source?: string } | undefined;
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      options.onLog({ level: 'info', msg: line });
      return;
    }
    const msg = parsed?.msg ?? '';
    if (parsed?.source === 'console' && msg.startsWith(EVENT_PREFIX)) {
      try {
        options.onEvent(JSON.parse(msg) as ScenarioEvent);
        return;
      } catch {
        // a truncated or foreign line: keep it as a log line below
      }
    }
    options.onLog({ level: parsed?.level ?? 'info', msg });
  });
  createInterface({ input: child.stdout }).on('line', (line) => options.onLog({ level: 'info', msg: line }));

  run.done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      run.exitCode = code;
      run.signal = signal;
      resolve();
    });
  });
  return run;
}
