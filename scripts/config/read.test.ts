import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { loadConfig } from './read.ts';
import { buildPlan } from './plan.ts';
import { starterConfigText } from './starter.ts';

type Obj = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'bankcert-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
writeFileSync(join(dir, 'ca.pem'), PEM);
writeFileSync(join(dir, 'client.pem'), PEM);
writeFileSync(join(dir, 'not-pem.der'), Buffer.from([0x30, 0x82, 0x01, 0x0a]));

/** Distinctive PINs: any message containing one of them leaked a secret. */
const SECRETS = ['739182', '55501937', '4820571', 's3cr3t-hmac-value'];

function base(): Obj {
  const c = parse(starterConfigText()) as Obj;
  setPath(c, 'accounts.funded.authCode', '739182');
  setPath(c, 'accounts.lowBalance.authCode', '55501937');
  setPath(c, 'accounts.probe.authCode', '4820571');
  return c;
}

function parentOf(c: Obj, path: string): [Obj, string] {
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let o: Obj = c;
  for (const k of keys) o = o[k] as Obj;
  return [o, last];
}
function setPath(c: Obj, path: string, value: unknown): void {
  const [o, k] = parentOf(c, path);
  o[k] = value;
}
function delPath(c: Obj, path: string): void {
  const [o, k] = parentOf(c, path);
  delete o[k];
}

let counter = 0;
function writeConfig(text: string): string {
  const file = join(dir, `config-${counter++}.json`);
  writeFileSync(file, text);
  return file;
}

interface Row {
  name: string;
  mutate?: (c: Obj) => void;
  text?: string;
  file?: string;
  /** Build a plan with this environment after loading. */
  planEnv?: NodeJS.ProcessEnv;
  field: string | RegExp;
  fix: string;
}

const https = (c: Obj) => setPath(c, 'target.baseUrl', 'https://bank.example.com/api');

const ROWS: Row[] = [
  { name: 'missing bank', mutate: (c) => delPath(c, 'bank'), field: 'config bank:', fix: 'add it (Display name' },
  { name: 'missing target.baseUrl', mutate: (c) => delPath(c, 'target.baseUrl'), field: 'config target.baseUrl:', fix: 'add it' },
  {
    name: 'baseUrl ftp://',
    mutate: (c) => setPath(c, 'target.baseUrl', 'ftp://bank.example.com'),
    field: 'config target.baseUrl: uses the unsupported scheme "ftp"',
    fix: 'use http:// or https://',
  },
  {
    name: 'baseUrl not a URL',
    mutate: (c) => setPath(c, 'target.baseUrl', 'bank.example.com:8480'),
    field: 'config target.baseUrl: is not an absolute URL',
    fix: 'http:// or https://',
  },
  {
    name: 'baseUrl with credentials',
    mutate: (c) => setPath(c, 'target.baseUrl', 'https://u:p@bank.example.com'),
    field: 'config target.baseUrl: contains credentials',
    fix: 'remove user:password@',
  },
  {
    name: 'path without /',
    mutate: (c) => setPath(c, 'target.paths.reserveFunds', 'reserveFunds'),
    field: 'config target.paths.reserveFunds: must start with "/"',
    fix: 'e.g. "/reserveFunds"',
  },
  {
    name: 'unknown top-level key with did-you-mean',
    mutate: (c) => setPath(c, 'thresholdz', {}),
    field: 'config thresholdz: is not a known key',
    fix: 'did you mean "thresholds"?',
  },
  {
    name: 'unknown nested key',
    mutate: (c) => setPath(c, 'target.retries', 3),
    field: 'config target.retries: is not a known key',
    fix: 'remove it (allowed here: baseUrl, paths, timeoutMs, tls)',
  },
  {
    name: 'typo baseURL suggests baseUrl',
    mutate: (c) => {
      setPath(c, 'target.baseURL', 'http://127.0.0.1:8480');
      delPath(c, 'target.baseUrl');
    },
    field: 'config target.baseURL:',
    fix: 'did you mean "baseUrl"?',
  },
  {
    name: 'quoted number',
    mutate: (c) => setPath(c, 'limits.maximumAmount', '500000'),
    field: 'config limits.maximumAmount: must be a whole number, not string',
    fix: 'remove the quotes',
  },
  {
    name: 'word where number expected',
    mutate: (c) => setPath(c, 'product.productId', 'airtime'),
    field: 'config product.productId:',
    fix: 'use a whole number',
  },
  { name: 'decimal amount', mutate: (c) => setPath(c, 'limits.minimumAmount', 5.5), field: 'config limits.minimumAmount:', fix: 'minor units' },
  {
    name: 'negative amount',
    mutate: (c) => setPath(c, 'limits.minimumAmount', -5),
    field: 'config limits.minimumAmount: must be at least 0 (found -5)',
    fix: 'use a value ≥ 0',
  },
  {
    name: 'min ≥ max',
    mutate: (c) => setPath(c, 'limits.minimumAmount', 500_000),
    field: 'config limits.minimumAmount: must be below limits.maximumAmount',
    fix: 'minimumAmount < maximumAmount',
  },
  {
    name: 'lowBalance.balance ≥ max',
    mutate: (c) => setPath(c, 'accounts.lowBalance.balance', 500_000),
    field: 'config accounts.lowBalance.balance: is too high: balance + 1 exceeds limits.maximumAmount',
    fix: 'RF-2010 reserves balance + 1',
  },
  {
    name: 'lowBalance.balance < min',
    mutate: (c) => setPath(c, 'accounts.lowBalance.balance', 10),
    field: 'config accounts.lowBalance.balance: is below limits.minimumAmount',
    fix: 'at least 500',
  },
  {
    name: 'numeric authCode',
    mutate: (c) => setPath(c, 'accounts.funded.authCode', 739182),
    field: 'config accounts.funded.authCode: must be a string in double quotes, not number (found (hidden))',
    fix: 'quote it',
  },
  {
    name: 'numeric sourceIdentifier',
    mutate: (c) => setPath(c, 'accounts.inactive.sourceIdentifier', 27820000003),
    field: 'config accounts.inactive.sourceIdentifier: must be a string in double quotes, not number (found 27820000003)',
    fix: 'quote it: "27820000003"',
  },
  {
    name: 'secret inside signing',
    mutate: (c) => setPath(c, 'signing.secret', 's3cr3t-hmac-value'),
    field: 'config signing.secret: would put a secret in the config file',
    fix: 'signing.secretEnv',
  },
  {
    name: 'bad secretEnv name',
    mutate: (c) => setPath(c, 'signing.secretEnv', '1BAD-NAME'),
    field: 'config signing.secretEnv: is not a valid environment variable name (found (hidden))',
    fix: 'letters, digits and "_"',
  },
  {
    name: 'certFile without keyFile',
    mutate: (c) => {
      https(c);
      setPath(c, 'target.tls', { certFile: 'client.pem' });
    },
    field: 'config target.tls.keyFile: is missing while certFile is set',
    fix: 'give both certFile and keyFile',
  },
  {
    name: 'unreadable caFile',
    mutate: (c) => {
      https(c);
      setPath(c, 'target.tls', { caFile: 'missing-ca.pem' });
    },
    field: 'config target.tls.caFile: cannot use',
    fix: `relative paths are resolved against ${dir}`,
  },
  {
    name: 'caFile not PEM',
    mutate: (c) => {
      https(c);
      setPath(c, 'target.tls', { caFile: 'not-pem.der' });
    },
    field: 'config target.tls.caFile: cannot use',
    fix: 'check the path',
  },
  {
    name: 'tls on http URL',
    mutate: (c) => setPath(c, 'target.tls', { insecureSkipVerify: true }),
    field: 'config target.tls: is set but target.baseUrl uses http://',
    fix: 'use an https:// baseUrl, or remove target.tls',
  },
  {
    name: 'JSON syntax error with line:col',
    text: '{\n  "bank": "x"\n  "target": {}\n}\n',
    field: /config-\d+\.json:3:3: syntax error: expected a comma/,
    fix: 'separate entries with ","',
  },
  {
    name: 'trailing garbage',
    text: '{ "bank": "x" }\n}',
    field: /config-\d+\.json:2:1: syntax error: unexpected content after the end/,
    fix: 'remove what follows the final "}"',
  },
  { name: 'empty file', text: '  \n// only a comment\n', field: 'is empty', fix: 'bankcert init' },
  { name: 'file missing', file: join(dir, 'nope.json'), field: `cannot read config ${join(dir, 'nope.json')}: no such file`, fix: 'run `bankcert init`' },
  { name: 'duplicate JSON key', text: '{ "bank": "a", "bank": "b" }', field: /config-\d+\.json:1:16: duplicate key "bank"/, fix: 'remove one of them' },
  {
    name: 'duplicate identifiers across roles',
    mutate: (c) => setPath(c, 'accounts.unmapped.sourceIdentifier', '27820000001'),
    field: 'config accounts.unmapped.sourceIdentifier: is also used by accounts.funded',
    fix: 'give each role its own account',
  },
  {
    name: 'load pool contains the unmapped id',
    mutate: (c) => setPath(c, 'accounts.load', [{ sourceIdentifier: '27829999999' }]),
    field: 'config accounts.load[0].sourceIdentifier: is accounts.unmapped',
    fix: 'only active, funded accounts',
  },
  {
    name: 'authCode on unmapped is an unknown key, value hidden',
    mutate: (c) => setPath(c, 'accounts.unmapped.authCode', '739182'),
    field: 'config accounts.unmapped.authCode: is not a known key',
    fix: 'remove it',
  },
  {
    name: 'enum typo',
    mutate: (c) => setPath(c, 'cancel.reserveFundsTxnRef', 'emtpy'),
    field: 'config cancel.reserveFundsTxnRef: must be one of',
    fix: 'did you mean "empty"?',
  },
  {
    name: 'unknown load profile',
    mutate: (c) => setPath(c, 'load.profile', 'smoek'),
    field: 'config load.profile: is not a load profile',
    fix: 'use one of smoke, load',
  },
  {
    name: 'threshold looser than the spec',
    mutate: (c) => setPath(c, 'thresholds.p95Ms', 3000),
    field: 'config thresholds.p95Ms: must be at most 2000',
    fix: '≤ 2000',
  },
  {
    name: 'typicalAmount above the maximum',
    mutate: (c) => setPath(c, 'product.typicalAmount', 600_000),
    field: 'config product.typicalAmount: is outside the limits',
    fix: 'within limits',
  },
  { name: 'top level is a list', text: '[]', field: 'config (top level): must be an object', fix: 'use an object' },
  {
    name: 'signing enabled but env var unset (buildPlan)',
    mutate: (c) => setPath(c, 'signing.enabled', true),
    planEnv: {},
    field: 'signing.enabled is true but environment variable BANKCERT_SIGNING_SECRET is not set',
    fix: 'export BANKCERT_SIGNING_SECRET=<the shared secret>',
  },
];

function problemsOf(row: Row): string[] {
  let file = row.file;
  if (file === undefined) {
    let text = row.text;
    if (text === undefined) {
      const c = base();
      row.mutate?.(c);
      text = JSON.stringify(c, null, 2);
    }
    file = writeConfig(text);
  }
  try {
    const config = loadConfig(file);
    if (row.planEnv !== undefined) buildPlan(config, { suites: ['conformance'], runId: 'r1', env: row.planEnv });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`${row.name}: expected a ConfigError, the config loaded`);
}

describe('bad configurations', () => {
  it('has a broad table', () => expect(ROWS.length).toBeGreaterThanOrEqual(22));

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const problems = problemsOf(row);
    const match = problems.find((p) => (typeof row.field === 'string' ? p.includes(row.field) : row.field.test(p)));
    expect(match, `no problem names ${String(row.field)} in:\n${problems.join('\n')}`).toBeDefined();
    expect(match).toContain(`Fix: `);
    expect(match?.slice(match.indexOf('Fix: '))).toContain(row.fix);
    for (const p of problems) {
      expect(p).toContain('Fix: ');
      for (const secret of SECRETS) expect(p).not.toContain(secret);
    }
  });

  it('reports every problem at once, with source positions', () => {
    const mutate = (c: Obj) => {
      delPath(c, 'bank');
      setPath(c, 'limits.minimumAmount', -1);
      setPath(c, 'target.baseUrl', 'ftp://x');
    };
    const problems = problemsOf({ name: 'many', mutate, field: '', fix: '' });
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.find((p) => p.startsWith('config target.baseUrl'))).toMatch(/ at .*config-\d+\.json:\d+:\d+\. Fix: /);
  });

  it('a configuration error is a usage error (exit 2) carrying every problem', () => {
    const error = new ConfigError(['config a: x. Fix: y', 'config b: x. Fix: y'], { file: 'f.json' });
    expect(error.exitCode).toBe(2);
    expect(error.problems).toEqual(['config a: x. Fix: y', 'config b: x. Fix: y']);
  });

  it('accepts comments, trailing commas and a BOM', () => {
    const file = writeConfig(`\uFEFF${starterConfigText().replace('"timeoutMs": 5000', '"timeoutMs": 5000,')}`);
    expect(loadConfig(file).target.timeoutMs).toBe(5000);
  });

  it('resolves relative TLS paths against the config file directory', () => {
    const c = base();
    https(c);
    setPath(c, 'target.tls', { caFile: 'ca.pem', certFile: 'client.pem', keyFile: join(dir, 'client.pem') });
    const config = loadConfig(writeConfig(JSON.stringify(c)));
    expect(config.target.tls).toEqual({
      caFile: join(dir, 'ca.pem'),
      certFile: join(dir, 'client.pem'),
      keyFile: join(dir, 'client.pem'),
      insecureSkipVerify: false,
    });
  });
});
