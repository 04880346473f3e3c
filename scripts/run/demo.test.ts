import { describe, expect, it } from 'vitest';
import { plannedIterations, scheduleFor } from '../../checks/load-profile.ts';
import { parseConfigText } from '../config/read.ts';
import { answersNeededWithNone } from '../../checks/judge/confidence.ts';
import { demoConfigText } from './demo.ts';
import { loadOptions } from './load-run.ts';

describe('the demo load', () => {
  it('is short, yet large enough to judge p95 and p99 at 95 % confidence (at least 300 iterations)', () => {
    const o = loadOptions(parseConfigText(demoConfigText('http://127.0.0.1:1', true), 'demo.json'), undefined);
    expect(o).toMatchObject({ profile: 'smoke', capacity: true, chosenBy: 'explicit' });
    const iterations = plannedIterations(scheduleFor('smoke', o.rate, o.durationS));
    expect(iterations).toBeGreaterThanOrEqual(300);
    expect(iterations).toBeGreaterThan(answersNeededWithNone(0.01));
    expect(o.durationS).toBeLessThanOrEqual(15);
  });
});
