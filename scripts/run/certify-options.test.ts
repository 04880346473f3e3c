import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { starterConfigText } from '../config/starter.ts';
import { UserError } from '../util/errors.ts';
import { Scrubber } from '../util/scrub.ts';
import type { Ui } from '../util/terminal.ts';
import { checkOutDir, prepareCertification, type CertifyOptions } from './certify-options.ts';

const ui: Ui = { info: () => undefined, warn: () => undefined, verbose: false, scrubber: new Scrubber() };

function workspace(edits: [string[], unknown][] = []): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bankcert-options-'));
  let text = starterConfigText();
  for (const [path, value] of edits) text = applyEdits(text, modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  const config = join(dir, 'bankcert.config.json');
  writeFileSync(config, text);
  return { dir, config };
}

function refusal(options: Partial<CertifyOptions>, edits: [string[], unknown][] = []): UserError {
  const { dir, config } = workspace(edits);
  try {
    prepareCertification({ configPath: config, outDir: join(dir, 'out'), suites: [], env: {}, ui, ...options });
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('prepareCertification refuses before any traffic, naming the option (exit 2)', () => {
  const { dir } = workspace();
  const aFile = join(dir, 'a-file');
  writeFileSync(aFile, 'x');
  const notAResult = join(dir, 'not-a-run');
  mkdirSync(notAResult);
  writeFileSync(join(notAResult, 'result.json'), '{"verdict": "certified"}');
  const cases: { name: string; options: Partial<CertifyOptions>; edits?: [string[], unknown][]; message: RegExp; exit?: number }[] = [
    { name: 'a mistyped profile', options: { profile: 'lod' }, message: /^--profile lod: unknown load profile/ },
    { name: 'a mistyped profile even when the load suite does not run', options: { profile: 'lod', suites: ['safety'] }, message: /^--profile lod/ },
    { name: 'two fixed profiles', options: { profile: 'load,stress' }, message: /^--profile load,stress: one load profile per run/ },
    { name: 'instances not a number', options: { instances: 'abc' }, message: /^--instances abc: use a whole number from 1 to 64/ },
    { name: 'instances 0', options: { instances: '0' }, message: /^--instances 0/ },
    { name: 'instances 65', options: { instances: 65 }, message: /^--instances 65/ },
    { name: 'instances 1.5', options: { instances: '1.5' }, message: /^--instances 1\.5/ },
    { name: 'an unknown suite', options: { suites: ['conformance,nonsense'] }, message: /^--suite nonsense: unknown/ },
    { name: 'a baseline folder without result.json', options: { baselineDir: dir }, message: /^--baseline .*: cannot read .*result\.json/ },
    { name: 'a baseline that is not a bankcert result', options: { baselineDir: notAResult }, message: /^--baseline .*: .* is not a bankcert result/ },
    {
      name: 'a baseline without the load suite',
      options: { baselineDir: notAResult, suites: ['safety'] },
      message: /^--baseline .*: the comparison is of load figures, and the load suite does not run/,
    },
    { name: '--out is a file', options: { outDir: aFile }, message: /^--out .*a-file: it is a file, not a folder/ },
    { name: '--out under a file', options: { outDir: join(aFile, 'sub') }, message: /^--out .*: .*a-file is a file, so the folder cannot be created there/ },
    {
      name: 'a config file that does not exist',
      options: { configPath: join(dir, 'missing.json') },
      message: /cannot read config .*missing\.json: no such file/,
    },
    {
      name: 'a TLS file that does not exist',
      options: {},
      edits: [
        [['target', 'baseUrl'], 'https://127.0.0.1:8443'],
        [['target', 'tls'], { caFile: 'nope.pem' }],
      ],
      message: /target\.tls\.caFile: cannot use .*nope\.pem.*: no such file/,
    },
    {
      name: 'signing on without its secret',
      options: {},
      edits: [
        [['signing', 'enabled'], true],
        [['signing', 'secretEnv'], 'BANKCERT_OPTIONS_TEST_UNSET'],
      ],
      message: /BANKCERT_OPTIONS_TEST_UNSET is not set/,
    },
  ];
  it.each(cases)('$name', ({ options, edits, message, exit = 2 }) => {
    const err = refusal(options, edits);
    expect(err.message).toMatch(message);
    expect(err.exitCode).toBe(exit);
  });

  it('a refusal leaves no output folder behind', () => {
    const { dir: d, config } = workspace();
    expect(() => prepareCertification({ configPath: config, outDir: join(d, 'out'), suites: [], profile: 'lod', env: {}, ui })).toThrow(UserError);
    expect(existsSync(join(d, 'out'))).toBe(false);
  });
});

describe('checkOutDir', () => {
  it('creates a missing folder, nested, and proves it writable', () => {
    const { dir } = workspace();
    const out = join(dir, 'a', 'b', 'c');
    expect(checkOutDir(out)).toBe(out);
    expect(existsSync(out)).toBe(true);
  });

  // Root writes anywhere; the e2e chaos table runs this case as an unprivileged user.
  it.skipIf(process.getuid?.() === 0)('refuses a folder it cannot write', () => {
    const { dir } = workspace();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    expect(() => checkOutDir(locked)).toThrow(/--out .*locked: the folder is not writable \(permission denied\)/);
  });
});
