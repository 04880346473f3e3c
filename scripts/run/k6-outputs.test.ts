import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors.ts';
import { parseK6Outputs } from './k6-outputs.ts';

const tags = { runId: 'ab12cd34', bank: 'Bank, "Test" = 1' };

describe('parseK6Outputs: certify --k6-out', () => {
  it('no output: no k6 arguments at all (the raw load samples stay small)', () => {
    expect(parseK6Outputs(undefined, tags, {})).toEqual({ args: [], shown: [], secrets: [] });
  });

  it('each output becomes a --out, then the run id and bank as tags', () => {
    const o = parseK6Outputs(['experimental-prometheus-rw', 'json=metrics.json'], tags, {});
    expect(o.args).toEqual(['--out', 'experimental-prometheus-rw', '--out', 'json=metrics.json', '--tag', 'run_id=ab12cd34', '--tag', 'bank=Bank, "Test" = 1']);
    expect(o.shown).toEqual(['experimental-prometheus-rw', 'json=metrics.json']);
  });

  it('an unknown output type is a usage error listing the outputs k6 has, with any password hidden', () => {
    let err: unknown;
    try {
      parseK6Outputs(['prometheus=http://me:hunter2@db:9090'], tags, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    expect((err as UserError).message).toBe('--k6-out prometheus=http://me:***@db:9090: unknown k6 output "prometheus"');
    expect((err as UserError).hint.join(' ')).toContain('experimental-prometheus-rw');
  });

  it('"TYPE=" with nothing after is refused', () => {
    expect(() => parseK6Outputs(['influxdb='], tags, {})).toThrow('nothing after "="');
  });

  it('credentials in an output URL or in k6 output variables are shown masked and handed to the scrubber', () => {
    const env = {
      K6_PROMETHEUS_RW_SERVER_URL: 'https://rw-user:rw-pass@prom.example/api/v1/write',
      K6_PROMETHEUS_RW_BEARER_TOKEN: 'bearer-xyz',
      K6_PROMETHEUS_RW_HEADERS_X_SCOPE_ORGID: 'org-1',
      K6_INFLUXDB_PASSWORD: 'influx-pw',
      PATH: '/usr/bin',
    };
    const o = parseK6Outputs(['influxdb=https://k6:db-pass@influx.example:8086/k6?token=t0k3n&db=k6'], tags, env);
    expect(o.shown).toEqual(['influxdb=https://k6:***@influx.example:8086/k6?token=***&db=k6']);
    expect(o.secrets).toEqual(expect.arrayContaining(['rw-pass', 'bearer-xyz', 'org-1', 'influx-pw', 'db-pass', 't0k3n']));
    expect(o.secrets).not.toContain('/usr/bin');
  });
});
