import { applyEdits, modify } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { holdAtPeakS, MIN_PEAK_SAMPLES, PEAK_HOLD_S, peakRate, plannedIterations, scheduleFor } from '../../checks/load-profile.ts';
import { ConfigError } from '../config/errors.ts';
import { parseConfigText } from '../config/read.ts';
import type { Config } from '../config/schema.ts';
import { STARTER_PEAK_RATE, starterConfigText } from '../config/starter.ts';
import { UserError } from '../util/errors.ts';
import { loadOptions } from './load-run.ts';

function config(edits: [string[], unknown][] = []): Config {
  let text = starterConfigText();
  for (const [path, value] of edits) text = applyEdits(text, modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  return parseConfigText(text, 'bankcert.config.json');
}

const NO_PEAK: [string[], unknown] = [['load', 'expectedPeakRate'], undefined];

describe('loadOptions: what a run without a chosen profile certifies', () => {
  it('the starter config declares a peak: the load profile at that rate, held at least 2 minutes and 3,000 iterations', () => {
    const o = loadOptions(config(), undefined);
    expect(o).toMatchObject({ profile: 'load', capacity: false, chosenBy: 'peak', rate: STARTER_PEAK_RATE, expectedPeakRate: STARTER_PEAK_RATE });
    const schedule = scheduleFor('load', o.rate, o.durationS);
    expect(peakRate(schedule)).toBe(STARTER_PEAK_RATE);
    expect(holdAtPeakS(schedule)).toBeGreaterThanOrEqual(PEAK_HOLD_S);
    expect(holdAtPeakS(schedule) * o.rate).toBeGreaterThanOrEqual(MIN_PEAK_SAMPLES);
    // ramp, hold, ramp down
    expect(schedule.startRate).toBe(0);
    expect(schedule.stages.map((s) => s.target)).toEqual([STARTER_PEAK_RATE, STARTER_PEAK_RATE, 0]);
  });

  it('a low peak holds longer, so the run still has 3,000 iterations at the peak', () => {
    const o = loadOptions(config([[['load', 'expectedPeakRate'], 5]]), undefined);
    expect(o.durationS).toBe(600);
    expect(plannedIterations(scheduleFor('load', o.rate, o.durationS))).toBeGreaterThanOrEqual(MIN_PEAK_SAMPLES);
  });

  it('load.duration shortens the hold (the certificate then says the peak was not proven)', () => {
    expect(loadOptions(config([[['load', 'duration'], '12s']]), undefined)).toMatchObject({ profile: 'load', durationS: 12, rate: STARTER_PEAK_RATE });
  });

  it('thresholds.minCapacity adds the capacity search', () => {
    expect(loadOptions(config([[['thresholds', 'minCapacity'], 40]]), undefined)).toMatchObject({ profile: 'load', capacity: true, chosenBy: 'peak' });
  });

  it('without load.expectedPeakRate and without a profile: a configuration error naming the key and the fix (exit 2)', () => {
    const attempt = () => loadOptions(config([NO_PEAK]), undefined);
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).exitCode).toBe(2);
      expect((err as UserError).message).toMatch(
        /^config load\.expectedPeakRate: is missing.*Fix: add "expectedPeakRate": .* or choose a profile .*--profile smoke/,
      );
    }
  });
});

describe('loadOptions: a profile chosen explicitly', () => {
  it.each([
    ['--profile', config([NO_PEAK]), 'smoke'],
    ['load.profile in the config', config([NO_PEAK, [['load', 'profile'], 'smoke']]), undefined],
  ])('%s needs no declared peak', (_how, c, override) => {
    expect(loadOptions(c, override)).toMatchObject({ profile: 'smoke', chosenBy: 'explicit', rate: 5, durationS: 20, expectedPeakRate: null });
  });

  it('--profile overrides load.profile', () => {
    expect(loadOptions(config([[['load', 'profile'], 'smoke']]), 'stress').profile).toBe('stress');
  });

  it('profiles defined relative to the expected rate run at the declared peak; smoke stays low', () => {
    const c = config([[['load', 'expectedPeakRate'], 40]]);
    expect(loadOptions(c, 'load').rate).toBe(40);
    expect(loadOptions(c, 'stress').rate).toBe(40);
    expect(loadOptions(c, 'smoke').rate).toBe(5);
    expect(
      loadOptions(
        config([
          [['load', 'expectedPeakRate'], 40],
          [['load', 'rate'], 12],
        ]),
        'load',
      ).rate,
    ).toBe(12);
  });

  it('capacity alone starts at load.rate; after a profile at its own start rate', () => {
    expect(loadOptions(config([[['load', 'rate'], 7]]), 'capacity')).toMatchObject({ profile: undefined, capacity: true, capacityStartRate: 7 });
    expect(loadOptions(config(), 'load,capacity')).toMatchObject({ profile: 'load', capacity: true, capacityStartRate: 5 });
  });

  it('passes every load threshold on', () => {
    const o = loadOptions(
      config([
        [['thresholds', 'declineRate'], 0.01],
        [['thresholds', 'p99Ms'], 1500],
        [['thresholds', 'p95Ms'], 1000],
      ]),
      'smoke',
    );
    expect(o.thresholds).toEqual({ p95Ms: 1000, p99Ms: 1500, errorRate: 0.001, declineRate: 0.01 });
  });

  it.each([
    ['smoek', /--profile smoek: unknown load profile/],
    ['smoke,load', /one load profile per run/],
  ])('refuses --profile %s', (profile, message) => {
    expect(() => loadOptions(config(), profile)).toThrow(message);
  });

  it('refuses a bad --instances', () => {
    expect(() => loadOptions(config(), 'smoke', 0)).toThrow(/--instances 0/);
  });
});

describe('config: the keys the load options read', () => {
  it('thresholds.minCapacity above load.maxRate is refused with the fix', () => {
    expect(() =>
      config([
        [['thresholds', 'minCapacity'], 500],
        [['load', 'maxRate'], 200],
      ]),
    ).toThrow(/thresholds\.minCapacity: is above load\.maxRate \(200\)[\s\S]*raise load\.maxRate to at least 500/);
  });

  it('declineRate defaults to 0.1 %', () => {
    expect(config().thresholds.declineRate).toBe(0.001);
  });
});
