import type { z } from 'zod';
import { allowedKeys, describeField, didYouMean, isIntegerField } from './keys.ts';
import { ConfigSchema } from './schema.ts';

/**
 * Turns zod issues into one actionable line each:
 *   config <path>: <what is wrong> (found <value>) at FILE:LINE:COL. Fix: <fix>
 * Values of secret-looking keys and everything under `signing` print as "(hidden)": these lines
 * end up in terminals and CI logs, and a 4-digit PIN is a secret even when misconfigured.
 */

type Issue = z.core.$ZodIssue;
/** Where a path is in the source text ("FILE:LINE:COL"), when known. `key` points at the property name. */
export type Locate = (path: readonly PropertyKey[], at: 'key' | 'value') => string | undefined;

const SECRET_KEY = /authcode|secret|passw|passcode|^pin$|token/i;
const HIDDEN = '(hidden)';
const MAX_FOUND = 40;

export function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path[0] === 'signing' || path.some((k) => typeof k === 'string' && SECRET_KEY.test(k));
}

/** Short JSON of a value for a message, with nested secrets hidden. */
export function shortJson(value: unknown): string {
  const text = JSON.stringify(value, (key, v: unknown) => (key === 'signing' || SECRET_KEY.test(key) ? HIDDEN : v)) ?? String(value);
  return text.length > MAX_FOUND ? `${text.slice(0, MAX_FOUND - 1)}…` : text;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(top level)' : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isInteger(v)) return 'decimal number';
  return typeof v;
}

const TYPE_PHRASE: Record<string, string> = {
  string: 'a string in double quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object { … }',
  array: 'a list [ … ]',
};

interface Line {
  path: readonly PropertyKey[];
  what: string;
  fix: string;
  /** False when the value is irrelevant (unknown key) or absent (missing key). */
  showFound: boolean;
  at: 'key' | 'value';
}

export function describeIssues(issues: readonly Issue[], input: unknown, locate?: Locate): string[] {
  return issues.flatMap((issue) => explain(issue, input)).map((line) => render(line, input, locate));
}

function render(line: Line, input: unknown, locate?: Locate): string {
  const shown = line.showFound && valueAt(input, line.path) !== undefined;
  const found = shown ? ` (found ${isSecretPath(line.path) ? HIDDEN : shortJson(valueAt(input, line.path))})` : '';
  const where = locate?.(line.path, line.at);
  return `config ${formatPath(line.path)}: ${line.what}${found}${where ? ` at ${where}` : ''}. Fix: ${line.fix}`;
}

function explain(issue: Issue, input: unknown): Line[] {
  const path = issue.path;
  const value = valueAt(input, path);
  const line = (what: string, fix: string): Line[] => [{ path, what, fix, showFound: true, at: 'value' }];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey([...path, key]));
    case 'invalid_type': {
      if (value === undefined) {
        const purpose = describeField(ConfigSchema, path);
        return [{ path, what: 'is required but missing', fix: purpose ? `add it (${purpose.replace(/\.$/, '')})` : 'add it', showFound: false, at: 'value' }];
      }
      const expected = issue.expected === 'number' && isIntegerField(ConfigSchema, path) ? 'int' : issue.expected;
      return line(`must be ${TYPE_PHRASE[expected] ?? expected}, not ${kindOf(value)}`, typeFix(path, expected, value));
    }
    case 'too_small':
    case 'too_big': {
      const [what, fix] = bound(issue);
      // Threshold caps are the spec's own bounds: say why a bigger number is refused.
      const why = issue.code === 'too_big' && path[0] === 'thresholds' ? ': thresholds may be stricter than the spec, never looser' : '';
      return line(what, fix + why);
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const guess = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : undefined;
      return line(`must be one of ${options.join(', ')}`, guess ? `did you mean "${guess}"?` : `use one of ${options.join(', ')}`);
    }
    case 'invalid_format':
      return line('has the wrong format', issue.pattern ? `match the pattern ${issue.pattern}` : `use a valid ${issue.format}`);
    case 'custom': {
      const fix: unknown = issue.params?.fix;
      return line(issue.message, typeof fix === 'string' ? fix : 'see the comments in a fresh `bankcert init` config');
    }
    default:
      return line(issue.message, 'see the comments in a fresh `bankcert init` config');
  }
}

function unknownKey(path: readonly PropertyKey[]): Line {
  const parent = path.slice(0, -1);
  const key = String(path[path.length - 1]);
  const allowed = allowedKeys(ConfigSchema, parent);
  const guess = didYouMean(key, allowed);
  const base = { path, what: 'is not a known key', showFound: false, at: 'key' as const };
  if (parent[0] === 'signing' && guess === undefined && /secret|key|pass|token|hmac/i.test(key)) {
    return {
      ...base,
      what: 'would put a secret in the config file',
      fix: "remove it: export the shared secret in an environment variable and put that variable's NAME in signing.secretEnv (default BANKCERT_SIGNING_SECRET)",
    };
  }
  if (guess !== undefined) return { ...base, fix: `remove it, or did you mean "${guess}"? (allowed here: ${allowed.join(', ')})` };
  return { ...base, fix: allowed.length > 0 ? `remove it (allowed here: ${allowed.join(', ')})` : 'remove it' };
}

function typeFix(path: readonly PropertyKey[], expected: string, value: unknown): string {
  const last = path[path.length - 1];
  if (last === 'authCode' && typeof value === 'number') {
    return 'quote it, e.g. "authCode": "0123": as a JSON number its leading zeros are lost';
  }
  if (expected === 'string' && typeof value === 'number') {
    return isSecretPath(path)
      ? 'quote it: write the value in double quotes'
      : `quote it: ${JSON.stringify(String(value))} (identifiers are strings; a number loses leading zeros)`;
  }
  if ((expected === 'number' || expected === 'int') && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    return 'remove the quotes: numbers are written without them';
  }
  if (expected === 'int' && typeof value === 'number') {
    return 'use a whole number; amounts are in minor units (250.00 is 25000)';
  }
  return `use ${TYPE_PHRASE[expected] ?? expected}`;
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): [string, string] {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    return small
      ? [Number(limit) <= 1 ? 'must not be empty' : `must have at least ${limit} characters`, 'fill it in']
      : [`must have at most ${limit} characters`, `shorten it to ${limit} characters or fewer`];
  }
  if (issue.origin === 'array') return small ? [`needs at least ${limit} entries`, 'add entries'] : [`has more than ${limit} entries`, 'remove entries'];
  const inclusive = issue.inclusive !== false;
  const what = small
    ? inclusive
      ? `must be at least ${limit}`
      : `must be greater than ${limit}`
    : inclusive
      ? `must be at most ${limit}`
      : `must be less than ${limit}`;
  const fix = small ? `use a value ${inclusive ? '≥' : '>'} ${limit}` : `use a value ${inclusive ? '≤' : '<'} ${limit}`;
  return [what, fix];
}
