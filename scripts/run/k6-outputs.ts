import { usageError } from '../util/errors.ts';

/**
 * `certify --k6-out <output>`: k6's own outputs (`k6 run --out`), passed through to every k6 run of the
 * certification so its metrics land where the bank's teams already look (Prometheus remote write,
 * InfluxDB, OpenTelemetry, StatsD, …). Every metric carries the run id and the bank as tags.
 */

/** The outputs the pinned k6 (v2.2.0) knows (`k6 run --out nosuch` lists them). */
export const K6_OUTPUT_TYPES = [
  'experimental-prometheus-rw',
  'opentelemetry',
  'experimental-opentelemetry',
  'influxdb',
  'statsd',
  'csv',
  'json',
  'web-dashboard',
  'cloud',
] as const;

/**
 * k6's outputs read their credentials from the environment (K6_PROMETHEUS_RW_PASSWORD,
 * K6_PROMETHEUS_RW_BEARER_TOKEN, K6_PROMETHEUS_RW_HEADERS_*, K6_INFLUXDB_PASSWORD, K6_CLOUD_TOKEN, …) and
 * their addresses from URLs that may carry a password (K6_PROMETHEUS_RW_SERVER_URL, K6_INFLUXDB_ADDR, …).
 */
const SECRET_ENV = /^K6_\w*(PASSWORD|TOKEN|SECRET|HEADERS)\w*$/;
const URL_ENV = /^K6_\w*(URL|ADDR|ENDPOINT)$/;

export interface K6Outputs {
  /** `k6 run` arguments: one `--out` per output, then the tags. Empty without --k6-out. */
  args: string[];
  /** The outputs as safe to print: passwords and tokens in a URL replaced. */
  shown: string[];
  /** Credentials found in the outputs and in k6's output environment, for the scrubber. */
  secrets: string[];
}

const TOKEN_PARAM = /^(password|pass|pwd|token|access_token|api[-_]?key|secret|auth|authorization)$/i;

/** A URL's password and secret-looking query values: what must never be printed. */
function urlSecrets(text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  const found = [url.password, decodeURIComponent(url.password)];
  for (const [name, value] of url.searchParams) if (TOKEN_PARAM.test(name)) found.push(value);
  return found.filter((s) => s.length > 0);
}

/** Replaces every secret in `text` (longest first, so a secret's prefix never survives in part). */
function redact(text: string, secrets: readonly string[]): string {
  return [...secrets].sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join('***'), text);
}

/**
 * Checks each `--k6-out` (TYPE or TYPE=ARGUMENT, as `k6 run --out` takes it) before any traffic, and
 * builds the k6 arguments: the outputs, then `--tag run_id=…` and `--tag bank=…` so every metric of every
 * k6 run (each suite, each load instance and capacity step) carries the run and the bank. No output, no
 * tags: the raw load samples stay as small as they are.
 */
export function parseK6Outputs(given: readonly string[] | undefined, tags: { runId: string; bank: string }, env: NodeJS.ProcessEnv): K6Outputs {
  const values = (given ?? []).map((v) => v.trim());
  if (values.length === 0) return { args: [], shown: [], secrets: [] };
  const fromEnv = Object.entries(env)
    .flatMap(([name, value]) => (SECRET_ENV.test(name) ? [value ?? ''] : URL_ENV.test(name) ? urlSecrets(value ?? '') : []))
    .filter((s) => s.length > 0);
  const secrets: string[] = [...fromEnv];
  const args: string[] = [];
  const shown: string[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    const type = eq === -1 ? value : value.slice(0, eq);
    if (!(K6_OUTPUT_TYPES as readonly string[]).includes(type)) {
      throw usageError(`--k6-out ${redact(value, urlSecrets(value.slice(eq + 1)))}: ${type === '' ? 'no output type' : `unknown k6 output "${type}"`}`, [
        `k6 outputs: ${K6_OUTPUT_TYPES.join(', ')}; give TYPE or TYPE=ARGUMENT as for \`k6 run --out\`, e.g. --k6-out experimental-prometheus-rw (with K6_PROMETHEUS_RW_SERVER_URL set).`,
      ]);
    }
    if (eq !== -1 && eq === value.length - 1) throw usageError(`--k6-out ${value}: nothing after "="`, [`Give ${type} alone, or ${type}=ARGUMENT.`]);
    const own = eq === -1 ? [] : urlSecrets(value.slice(eq + 1));
    secrets.push(...own);
    args.push('--out', value);
    shown.push(redact(value, own));
  }
  args.push('--tag', `run_id=${tags.runId}`, '--tag', `bank=${tags.bank}`);
  return { args, shown, secrets: [...new Set(secrets)] };
}
