import { describe, expect, it } from 'vitest';
import { cpuSampler, honestyProblems } from './honesty.ts';
import { parseProcStat } from './cpu.ts';

const honest = { droppedIterations: 0, achievedRate: 50, plannedIterations: 15_000, durationS: 300 };

describe('honestyProblems', () => {
  it('finds nothing wrong with a run that offered its load', () => {
    expect(honestyProblems(honest, { cpuBusyMax: 0.6 })).toEqual([]);
    expect(honestyProblems({ ...honest, achievedRate: 47.5 })).toEqual([]); // exactly 95 %
  });

  it('flags dropped iterations', () => {
    expect(honestyProblems({ ...honest, droppedIterations: 12 })).toEqual(['k6 dropped 12 iterations: the generator did not offer the planned load']);
    expect(honestyProblems({ ...honest, droppedIterations: 1 })[0]).toBe('k6 dropped 1 iteration: the generator did not offer the planned load');
  });

  it('flags an achieved rate below 95 % of the planned average, with both numbers', () => {
    expect(honestyProblems({ ...honest, achievedRate: 47.49 })).toEqual(['achieved 47.49 iterations/s, below 95 % of the planned average of 50 iterations/s']);
    expect(honestyProblems({ ...honest, durationS: 0 })).toEqual([]);
  });

  it('judges the offered load by the iterations started when known: a slow bank leaves the last ones unfinished', () => {
    expect(honestyProblems({ ...honest, achievedRate: 40, startedIterations: 15_000 })).toEqual([]);
    expect(honestyProblems({ ...honest, achievedRate: 50, startedIterations: 14_000 })).toEqual([
      'started 46.67 iterations/s, below 95 % of the planned average of 50 iterations/s',
    ]);
    expect(honestyProblems({ ...honest, achievedRate: 40, startedIterations: 0 })).toHaveLength(1);
  });

  it('flags a saturated generator CPU', () => {
    expect(honestyProblems(honest, { cpuBusyMax: 0.953 })).toEqual(["the load generator's CPU was saturated (95%)"]);
    expect(honestyProblems(honest, { cpuBusyMax: 0.949 })).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(honestyProblems({ ...honest, droppedIterations: 3, achievedRate: 10 }, { cpuBusyMax: 1 })).toHaveLength(3);
  });
});

describe('cpuSampler', () => {
  const stat = (busy: number, idle: number) => `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 2 3 4\nintr 5`;

  it('parses the aggregate cpu line, counting iowait as idle', () => {
    expect(parseProcStat('cpu  10 2 3 80 5 0 0 0 0 0\n')).toEqual({ busy: 15, total: 100 });
    expect(parseProcStat('nothing here')).toBeNull();
  });

  it('returns the busiest interval', async () => {
    const readings = [stat(0, 0), stat(50, 50), stat(140, 60), stat(150, 150)];
    const sampler = cpuSampler({ intervalMs: 5, read: () => readings.shift() ?? null });
    sampler.start();
    await new Promise((r) => setTimeout(r, 60));
    expect(sampler.stop()).toBeCloseTo(0.9, 5);
  });

  it('returns 0 when /proc/stat cannot be read', () => {
    const sampler = cpuSampler({ read: () => null });
    sampler.start();
    expect(sampler.stop()).toBe(0);
  });

  it('reads the real /proc/stat without throwing', () => {
    const sampler = cpuSampler();
    sampler.start();
    const busy = sampler.stop();
    expect(busy).toBeGreaterThanOrEqual(0);
    expect(busy).toBeLessThanOrEqual(1);
  });
});
