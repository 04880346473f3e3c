import { readFileSync } from 'node:fs';

// How busy the load generator's machine was while k6 ran. A saturated generator delays its own requests
// and iterations, so its latency figures describe the generator as much as the bank.

export interface CpuTimes {
  busy: number;
  total: number;
}

/** The aggregate "cpu" line of /proc/stat: busy = everything but idle and iowait. Null when unreadable. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest and guest_nice are already inside user and nice)
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  if ([user, nice, system, idle].some((v) => v === undefined || !Number.isFinite(v))) return null;
  const idleAll = (idle ?? 0) + iowait;
  const total = (user ?? 0) + (nice ?? 0) + (system ?? 0) + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

export interface CpuSampler {
  start(): void;
  /** Stops sampling and returns the highest busy fraction (0..1) of any interval; 0 when nothing was measured. */
  stop(): number;
}

export interface CpuSamplerOptions {
  intervalMs?: number;
  /**
   * Measure this process (k6) instead of the whole machine: its share of all cores. Other work on the
   * machine (a test runner, the bank itself) then does not count as the generator saturating; a
   * starved generator shows up as schedule lag instead.
   */
  pid?: number;
  /** Several processes (k6 instances) measured together: their shares add up per interval. */
  pids?: () => readonly number[];
  /** For tests; defaults to reading /proc/stat, null when it cannot be read (not Linux, no procfs). */
  read?: () => string | null;
}

/**
 * Samples whole-machine CPU every second (Linux /proc/stat: every core, whatever else runs there, including
 * a local reference bank; in a container it shows the host's CPUs, not the cgroup quota). Returns the
 * worst one-second interval: a short saturation is enough to distort the latency of that second.
 */
export function cpuSampler(options: CpuSamplerOptions = {}): CpuSampler {
  const read = options.read ?? readProcStat;
  const intervalMs = options.intervalMs ?? 1000;
  let previous: CpuTimes | null = null;
  let max = 0;
  let timer: NodeJS.Timeout | undefined;
  const sample = () => {
    const text = read();
    const machine = text === null ? null : parseProcStat(text);
    // For a process: its utime + stime against the machine's total ticks, so "busy" is its share of all cores.
    const watched = options.pids ? options.pids() : options.pid === undefined ? undefined : [options.pid];
    const own = watched === undefined ? undefined : sumTicks(watched);
    const now = machine && own !== null ? { busy: own ?? machine.busy, total: machine.total } : null;
    if (now && previous && now.total > previous.total) max = Math.max(max, (now.busy - previous.busy) / (now.total - previous.total));
    if (now) previous = now;
  };
  return {
    start() {
      if (timer) return;
      previous = null;
      max = 0;
      sample();
      timer = setInterval(sample, intervalMs);
      timer.unref(); // never keep the CLI alive for a sampler someone forgot to stop
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      sample(); // the last partial interval counts too
      return Math.min(1, Math.max(0, max));
    },
  };
}

function readProcStat(): string | null {
  try {
    return readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
}

/** utime + stime of a process in clock ticks (/proc/PID/stat fields 14 and 15); null once it has exited. */
function readProcessTicks(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ")".
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Summed ticks of the processes still alive; a process that exited keeps its last count so deltas stay sane. */
const lastTicks = new Map<number, number>();
function sumTicks(pids: readonly number[]): number | null {
  if (pids.length === 0) return null;
  let total = 0;
  for (const pid of pids) {
    const ticks = readProcessTicks(pid) ?? lastTicks.get(pid) ?? 0;
    lastTicks.set(pid, ticks);
    total += ticks;
  }
  return total;
}
