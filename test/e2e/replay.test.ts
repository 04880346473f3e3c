import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankState } from '../helpers/bank-state.ts';
import { configFor, readResult, runCli, startBank } from '../helpers/cli.ts';

const SECRET_ENV = 'BANKCERT_REPLAY_SECRET';
const env = { [SECRET_ENV]: 'replay-secret-ß' };

/**
 * The bank engineer's loop: a certificate failed RF-2040 against a bank without a maximum; `bankcert
 * replay DIR RF-2040` sends the failing request again (fresh references, signed from the environment)
 * and shows the bank still answering 0000, then releases what it granted.
 */
describe('bankcert replay DIR CHECK-ID against a faulty reference bank (real k6, real HTTP)', () => {
  it('reproduces the RF-2040 failure side by side with what was expected, and leaves nothing held', async () => {
    const bank = await startBank(['--quiet', '--fault', 'no-maximum', '--secret-env', SECRET_ENV], env);
    try {
      const { config, out } = configFor(bank.url, [
        [['signing', 'enabled'], true],
        [['signing', 'secretEnv'], SECRET_ENV],
      ]);
      const certified = await runCli(['certify', '--config', config, '--out', out, '--suite', 'conformance'], { env });
      expect(certified.code, certified.stdout + certified.stderr).toBe(1);
      expect(readResult(out).checks.find((c) => c.id === 'RF-2040')?.status).toBe('fail');
      const ledgerBefore = readFileSync(join(out, 'ledger.ndjson'), 'utf8');

      // The funded account asks for an authCode, which the run's folder never holds: replay says where to get it.
      const withoutConfig = await runCli(['replay', out, 'RF-2040'], { env });
      expect(withoutConfig.code, withoutConfig.stdout + withoutConfig.stderr).toBe(2);
      expect(withoutConfig.stderr).toMatch(/carry an account's authCode.*\n.*--config/);

      const run = await runCli(['replay', out, 'RF-2040', '--config', config], { env });
      expect(run.code, run.stdout + run.stderr).toBe(1);
      expect(run.stdout).toMatch(/^ {2}expected: responseCode 2040$/m);
      expect(run.stdout).toMatch(/^exchange 1 of 1: reserveFunds on funded for maximumAmount \+ 1 \(\d+\)$/m);
      expect(run.stdout).toMatch(
        /sent {4}POST http:\/\/127\.0\.0\.1:\d+\/reserveFunds \(fresh references bc-\w+-resent-1-1-c\/-r, signed with \$BANKCERT_REPLAY_SECRET\)/,
      );
      expect(run.stdout).toMatch(/^ {2}responseCode +0000 +0000$/m);
      expect(run.stdout).toMatch(/→ reproduced: the bank answers as it did in the run \(expected: responseCode 2040\)/);
      expect(run.stdout).toMatch(/1 granted, 0 debited, 1 released, 0 open/);
      expect(run.stdout + run.stderr).not.toContain(env[SECRET_ENV]);
      expect((await bankState(bank)).held).toEqual([]);

      // The run's own records are as they were; the replay's ledger is beside them, and reconcile reads it.
      expect(readFileSync(join(out, 'ledger.ndjson'), 'utf8')).toBe(ledgerBefore);
      expect(readdirSync(join(out, 'resent')).filter((d) => d.startsWith('replay-RF-2040-'))).toHaveLength(1);
      expect((await runCli(['reconcile', out], { env })).code).toBe(0);
      expect((await runCli(['verify', out])).code).toBe(0);

      // A check that did not fail has nothing to replay; an unknown id lists the ids.
      const passed = await runCli(['replay', out, 'RF-2050'], { env });
      expect(passed.code).toBe(0);
      expect(passed.stdout).toMatch(/RF-2050 recorded no failing exchange in this run: nothing to replay/);
      const unknown = await runCli(['replay', out, 'RF-9999'], { env });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/RF-9999: not a check id\n {2}Check ids: RF-SCHEMA, /);
    } finally {
      await bank.stop();
    }
  });
});
