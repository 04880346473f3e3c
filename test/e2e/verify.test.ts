import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../checks/events.ts';
import type { LedgerRow } from '../../checks/ledger.ts';
import type { Result } from '../../checks/result.ts';
import { fileSha256, resultDigest } from '../../scripts/util/digest.ts';
import { bankState } from '../helpers/bank-state.ts';
import { configFor, readResult, runCli, startBank, type BankProcess, type CliRun } from '../helpers/cli.ts';

/**
 * A certificate someone received: `bankcert verify` re-derives it from the run's records, catches what
 * was edited (carelessly, or with every digest recomputed as a forger would), `bankcert report` marks an
 * edited result NOT VALID, and a spot-check ties the certificate to the bank. The run is a demo (the
 * compliant reference bank, every suite, a short load), made once and copied per case.
 */
let work: string;
let demo: string;
let demoRun: CliRun;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bankcert-verify-'));
  demo = join(work, 'demo');
  demoRun = await runCli(['demo', '--out', demo], { timeoutMs: 300_000 });
}, 360_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

let copies = 0;
function copyOfDemo(): string {
  copies += 1;
  const dir = join(work, `copy-${copies}`);
  cpSync(demo, dir, { recursive: true });
  return dir;
}

const resultOf = (dir: string): Result => readResult(dir);
const writeResult = (dir: string, result: Result) => writeFileSync(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);

/** What a forger does after an edit: the record file's digest in result.json, then result.json's own digest. */
async function recomputeDigests(dir: string, changedFile?: string): Promise<void> {
  const result = resultOf(dir);
  if (changedFile && result.evidence) result.evidence.files[changedFile] = await fileSha256(join(dir, changedFile));
  const { digest: _old, ...unsigned } = result;
  writeResult(dir, { ...unsigned, digest: resultDigest(unsigned) });
}

interface Edit {
  name: string;
  /** The file the edit changes (result.json unless it is a record file). */
  file?: string;
  apply(dir: string): void;
  /** What verify must name when the digests were recomputed (the re-derivation catches it). */
  named: RegExp;
  /** What it names when they were not (the digest or the file's SHA-256 catches it first). */
  careless: RegExp;
}

const editResult = (dir: string, edit: (r: Result) => void) => {
  const r = resultOf(dir);
  edit(r);
  writeResult(dir, r);
};

const EDITS: Edit[] = [
  {
    name: 'the verdict',
    apply: (dir) => editResult(dir, (r) => (r.verdict = r.verdict === 'not-certified' ? 'certified' : 'not-certified')),
    named: /✗ verdict: result\.json says "(not-)?certified", the records give "/,
    careless: /✗ result\.json was changed after the run: its digest does not match/,
  },
  {
    name: "one check's status",
    apply: (dir) =>
      editResult(dir, (r) => {
        const check = r.checks.find((c) => c.id === 'RF-2040');
        if (check) check.status = check.status === 'pass' ? 'fail' : 'pass';
      }),
    named: /✗ checks RF-2040 status: result\.json says "(fail|pass)", the records give "/,
    careless: /✗ result\.json was changed after the run/,
  },
  {
    name: 'a latency figure',
    apply: (dir) => editResult(dir, (r) => r.load && (r.load.endpoints.reserveFunds.p95Ms = r.load.endpoints.reserveFunds.p95Ms / 2 + 0.5)),
    named: /✗ load\.endpoints\.reserveFunds\.p95Ms: result\.json says [\d.]+, the records give [\d.]+/,
    careless: /✗ result\.json was changed after the run/,
  },
  {
    name: 'a ledger row removed',
    file: 'ledger.ndjson',
    apply: (dir) => {
      const lines = readFileSync(join(dir, 'ledger.ndjson'), 'utf8').split('\n');
      // The first reservation the bank granted in the conformance suite.
      const i = lines.findIndex((l) => l.includes('"kind":"reserve"') && l.includes('-conformance-') && l.includes('"code":"0000"'));
      lines.splice(i, 1);
      writeFileSync(join(dir, 'ledger.ndjson'), lines.join('\n'));
    },
    named:
      /✗ conformance: ledger\.ndjson row \d+ of the suite \(reserve bc-[\w-]+-conformance-1-\d+-r\)|✗ ledger\.reservations: result\.json says \d+, the records give \d+/,
    careless: /✗ ledger\.ndjson was changed after the run/,
  },
  {
    name: "a recorded answer's response code",
    file: 'exchanges.ndjson.gz',
    apply: (dir) => {
      const path = join(dir, 'exchanges.ndjson.gz');
      const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
      const i = lines.findIndex((l) => l.includes('"t":"x"') && l.includes('maximumAmount + 1'));
      const rec = JSON.parse(lines[i] ?? '') as ExchangeRecord;
      if (!rec.response || typeof rec.response.body !== 'string') throw new Error('no recorded answer to edit');
      rec.response.body = rec.response.body.replace('"2040"', '"2050"');
      lines[i] = JSON.stringify(rec);
      writeFileSync(path, gzipSync(lines.join('\n')));
    },
    named: /✗ checks RF-2040 status: result\.json says "pass", the records give "fail"/,
    careless: /✗ exchanges\.ndjson\.gz was changed after the run/,
  },
];

describe('bankcert verify: a certificate re-derived from its own records', () => {
  it('an untouched demo folder verifies (exit 0), naming each stage', async () => {
    expect(demoRun.code, demoRun.stdout + demoRun.stderr).toBe(0);
    const files = readdirSync(demo);
    for (const name of ['exchanges.ndjson.gz', 'load-runs.json', 'ledger.ndjson', 'plan.json', 'records-load.ndjson']) expect(files).toContain(name);
    const run = await runCli(['verify', demo]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ result\.json matches its digest/);
    expect(run.stdout).toMatch(/✓ \d+ record files match the SHA-256/);
    for (const suite of ['conformance', 'safety', 'security'])
      expect(run.stdout).toMatch(new RegExp(`✓ ${suite}: \\d+ exchanges replayed through the suite's own code`));
    expect(run.stdout).toMatch(/✓ load figures re-derived/);
    expect(run.stdout).toMatch(/✓ 29 checks, the ledger summary, the load figures and the verdict are what the records give/);
    expect(run.stdout).toMatch(/^verified in [\d.]+ s/m);
  });

  describe.each(EDITS)('$name edited', (edit) => {
    it('carelessly: verify exits 4 and names it', async () => {
      const dir = copyOfDemo();
      edit.apply(dir);
      const run = await runCli(['verify', dir]);
      expect(run.code, run.stdout + run.stderr).toBe(4);
      expect(run.stdout).toMatch(edit.careless);
      expect(run.stdout).toMatch(/^NOT VALID: \d+ difference/m);
    });

    it('with every digest recomputed (the forger): the re-derivation names it, exit 4', async () => {
      const dir = copyOfDemo();
      edit.apply(dir);
      await recomputeDigests(dir, edit.file);
      const run = await runCli(['verify', dir]);
      expect(run.code, run.stdout + run.stderr).toBe(4);
      expect(run.stdout).toMatch(/✓ result\.json matches its digest/);
      expect(run.stdout).toMatch(/✓ \d+ record files match/);
      expect(run.stdout).toMatch(edit.named);
    });
  });

  it('a result from another bankcert version is one clear line (exit 3), not a list of differences', async () => {
    const dir = copyOfDemo();
    editResult(dir, (r) => (r.harness.version = '0.0.1'));
    await recomputeDigests(dir);
    const run = await runCli(['verify', dir]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^bankcert: verify needs bankcert 0\.0\.1 \(this is bankcert /m);
  });
});

describe('bankcert report on an edited result.json', () => {
  it('exits 4 and renders every format NOT VALID instead of the verdict', async () => {
    const dir = copyOfDemo();
    editResult(dir, (r) => (r.bank = 'Another Bank'));
    const run = await runCli(['report', dir]);
    expect(run.code, run.stdout + run.stderr).toBe(4);
    expect(run.stdout).toMatch(/NOT VALID: result\.json was changed after the run/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(
      /<div class="verdict not-valid">\s*<span class="verdict-badge not-valid">NOT VALID: result.json was changed after the run<\/span>/,
    );
    expect(readFileSync(join(dir, 'report.md'), 'utf8').split('\n')[0]).toBe('## ⛔ NOT VALID: result.json was changed after the run: Another Bank');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<property name="verdict" value="not-valid"/>');
    expect(junit).toMatch(/<testcase classname="bankcert\.validity" name="NOT VALID: result.json was changed after the run">\s*<failure/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toMatch(/verdict-badge certified/);
  });

  it('an intact result renders with its verdict and exit code', async () => {
    const dir = copyOfDemo();
    const run = await runCli(['report', dir]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('NOT VALID');
  });
});

describe('bankcert verify --against: spot-checking the certificate against the bank', () => {
  const SECRET_ENV = 'BANKCERT_SPOT_SECRET';
  const env = { [SECRET_ENV]: 'spot-check-secret-Ω' };

  async function against(bankArgs: string[]): Promise<{ run: CliRun; bank: BankProcess; dir: string }> {
    const bank = await startBank(['--quiet', '--secret-env', SECRET_ENV, ...bankArgs], env);
    const { config } = configFor(bank.url, [
      [['signing', 'enabled'], true],
      [['signing', 'secretEnv'], SECRET_ENV],
    ]);
    const dir = copyOfDemo();
    // More than the run recorded: every exchange a spot-check can send goes out.
    const run = await runCli(['verify', dir, '--against', config, '--sample', '1000'], { env });
    return { run, bank, dir };
  }

  it('a bank that no longer refuses above the maximum fails it, naming the exchange and RF-2040; nothing stays held', async () => {
    const { run, bank, dir } = await against(['--fault', 'no-maximum']);
    try {
      expect(run.code, run.stdout + run.stderr).toBe(4);
      expect(run.stdout).toMatch(/seed \d+ \(repeat with --seed \d+\)/);
      expect(run.stdout).toMatch(
        /✗ conformance #\d+ reserveFunds "reserveFunds on funded for maximumAmount \+ 1 \(\d+\)" \(RF-2040\): recorded HTTP 200, 2040, now HTTP 200, 0000/,
      );
      expect(run.stdout.match(/^ {2}✗ /gm)).toHaveLength(1);
      expect(run.stdout).toMatch(/spot-check: NOT VALID against this bank: 1 of \d+ exchanges answered differently/);
      expect((await bankState(bank)).held).toEqual([]);
      // Its ledger is kept beside the run's, and reconcile reads it too: nothing left to finish.
      const ledger = readdirSync(join(dir, 'resent')).map((s) => readFileSync(join(dir, 'resent', s, 'ledger.ndjson'), 'utf8'));
      const rows = ledger
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as LedgerRow);
      expect(rows.some((r) => r.kind === 'reserve' && r.code === '0000')).toBe(true);
      const reconciled = await runCli(['reconcile', dir], { env });
      expect(reconciled.code, reconciled.stdout + reconciled.stderr).toBe(0);
      // The run's records are untouched: the certificate still verifies.
      expect((await runCli(['verify', dir])).code).toBe(0);
    } finally {
      await bank.stop();
    }
  });

  it('the compliant bank answers every recorded exchange as the certificate says (exit 0), nothing held', async () => {
    const { run, bank } = await against([]);
    try {
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/spot-check: all \d+ exchanges sent again were answered as recorded/);
      expect(run.stdout).not.toMatch(/^ {2}✗ /m);
      expect((await bankState(bank)).held).toEqual([]);
    } finally {
      await bank.stop();
    }
  });
});
