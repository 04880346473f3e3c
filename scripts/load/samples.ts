// Reading one line of k6's `--out json` output cheaply. Most lines are metrics bankcert ignores
// (http_req_waiting, data_sent, ...): their name is read off the end of the line and nothing else is parsed.

/** The metrics the aggregate reads; every other metric only counts as a sample. */
export const RELEVANT_METRICS = ['http_req_duration', 'iterations', 'dropped_iterations', 'bankcert_schedule_lag', 'bankcert_started', 'vus'] as const;
export type RelevantMetric = (typeof RELEVANT_METRICS)[number];

const RELEVANT = new Set<string>(RELEVANT_METRICS);
const METRIC_KEY = '"metric":"';
const POINT_MARK = '"type":"Point"';

export interface Point {
  metric: RelevantMetric;
  time: string;
  value: number;
  tags: Readonly<Record<string, unknown>>;
}

export type LineKind =
  | { kind: 'point'; point: Point }
  /** A sample of a metric bankcert does not read: counted, not parsed. */
  | { kind: 'other-point' }
  /** A metric definition, a blank line. */
  | { kind: 'skip' }
  /** Not JSON or not the shape k6 writes (a truncated last line after k6 was killed, say). */
  | { kind: 'malformed' };

/**
 * Classifies one NDJSON line. k6 (Go's encoding/json) writes `{"type":"Point","data":{"time":"…","value":…,
 * "tags":{…}},"metric":"name"}` with no spaces. Lines of exactly that shape take a fast path (string
 * searches, no JSON.parse: parsing every line was most of the run time); anything else, including any line
 * the fast path is not sure of, goes through JSON.parse, so an unusual line is never misread, only slower.
 */
export function classifyLine(line: string): LineKind {
  if (line.length === 0) return { kind: 'skip' };
  const name = tailMetric(line);
  if (name !== null && !RELEVANT.has(name)) {
    return line.startsWith(POINT_PREFIX) || line.includes(POINT_MARK) ? { kind: 'other-point' } : { kind: 'skip' };
  }
  if (name !== null) {
    const point = fastPoint(line, name as RelevantMetric);
    if (point) return { kind: 'point', point };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: 'malformed' };
  }
  return classifyJson(parsed);
}

const POINT_PREFIX = '{"type":"Point"';
const DATA_PREFIX = '{"type":"Point","data":{"time":"';
const VALUE_KEY = '","value":';
const TAGS_KEY = ',"tags":';

/** The metric name when the line ends with `"metric":"name"}` (k6's layout), else null. */
function tailMetric(line: string): string | null {
  if (!line.endsWith('"}')) return null;
  const at = line.lastIndexOf(METRIC_KEY);
  if (at < 0) return null;
  const name = line.slice(at + METRIC_KEY.length, line.length - 2);
  return name.includes('"') || name.includes('\\') ? null : name;
}

/**
 * The Point of a line in k6's exact layout, or null to let JSON.parse decide. In JSON text every quote inside
 * a string is preceded by a backslash, so a `"` preceded by `{` or `,` is always structural: a key found that
 * way cannot be part of a tag value, and a tag value with any backslash falls back to the slow path.
 */
function fastPoint(line: string, metric: RelevantMetric): Point | null {
  if (!line.startsWith(DATA_PREFIX)) return null;
  const timeEnd = line.indexOf('"', DATA_PREFIX.length);
  if (timeEnd < 0 || !line.startsWith(VALUE_KEY, timeEnd)) return null;
  const valueStart = timeEnd + VALUE_KEY.length;
  const valueEnd = line.indexOf(TAGS_KEY, valueStart);
  if (valueEnd <= valueStart) return null;
  const value = Number(line.slice(valueStart, valueEnd));
  if (!Number.isFinite(value)) return null;
  // What follows the tags must be exactly the close of "data" and the metric name.
  const tagsEnd = line.length - (METRIC_KEY.length + metric.length + 4); // `},"metric":"` + name + `"}`
  if (line.charCodeAt(tagsEnd) !== 125 /* } */ || line.charCodeAt(tagsEnd + 1) !== 44 /* , */) return null;
  const tags = line.slice(valueEnd + TAGS_KEY.length, tagsEnd);
  const time = line.slice(DATA_PREFIX.length, timeEnd);
  if (metric !== 'http_req_duration') return tags === 'null' || isFlatObject(tags) ? { metric, time, value, tags: {} } : null;
  if (tags === 'null') return { metric, time, value, tags: {} };
  if (!isFlatObject(tags)) return null;
  const endpoint = tagValue(tags, 'endpoint');
  const status = tagValue(tags, 'status');
  if (endpoint === null || status === null) return null;
  const found: Record<string, string> = {};
  if (endpoint !== undefined) found.endpoint = endpoint;
  if (status !== undefined) found.status = status;
  return { metric, time, value, tags: found };
}

/** `{…}` with no nested object after it (a `},"` would mean another field follows, which k6 does not write). */
function isFlatObject(text: string): boolean {
  return text.startsWith('{') && text.endsWith('}') && !text.includes('},"');
}

/** A tag's value; undefined when absent; null when it has an escape the fast path does not decode. */
function tagValue(tags: string, key: string): string | null | undefined {
  const needle = `"${key}":"`;
  for (let at = tags.indexOf(needle); at >= 0; at = tags.indexOf(needle, at + 1)) {
    const before = tags.charCodeAt(at - 1);
    if (before !== 123 /* { */ && before !== 44 /* , */) continue;
    const start = at + needle.length;
    const end = tags.indexOf('"', start);
    if (end < 0) return null;
    const value = tags.slice(start, end);
    return value.includes('\\') ? null : value;
  }
  return undefined;
}

/** The slow path: what a parsed line is, by its JSON alone. Exported so tests can hold the fast path to it. */
export function classifyJson(value: unknown): LineKind {
  if (!isRecord(value)) return { kind: 'malformed' };
  if (value.type !== 'Point') return value.type === 'Metric' ? { kind: 'skip' } : { kind: 'malformed' };
  const { metric, data } = value;
  if (typeof metric !== 'string' || !isRecord(data)) return { kind: 'malformed' };
  if (!RELEVANT.has(metric)) return { kind: 'other-point' };
  const { time, value: sample, tags } = data;
  if (typeof time !== 'string' || typeof sample !== 'number' || !Number.isFinite(sample)) return { kind: 'malformed' };
  return { kind: 'point', point: { metric: metric as RelevantMetric, time, value: sample, tags: isRecord(tags) ? tags : {} } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses k6's RFC 3339 times with nanoseconds ("2026-11-25T00:00:01.123456789Z" or "...+02:00") to
 * milliseconds since the first whole second this parser read (negative for earlier times), fraction kept.
 * Relative, because an epoch in milliseconds (~1.8e12) leaves a double only ~0.2 µs of precision and a
 * sample at x.999999999 s would round into the next second. Date.parse only takes milliseconds and is the
 * slow part, so the whole second is parsed once per distinct second (cached: samples arrive nearly in time
 * order) and the fraction is read digit by digit. NaN for an unreadable time.
 */
export function createTimeParser(): ((time: string) => number) & { baseEpochMs(): number } {
  // A sentinel no time starts with, so the first call always parses.
  let cachedSecond = '\u0000';
  let cachedZone = '';
  let cachedMs = Number.NaN;
  let baseMs = Number.NaN;
  const parse = (time: string): number => {
    if (time.length < 20) return Number.NaN;
    let i = 19;
    let fraction = 0;
    if (time.charCodeAt(19) === 46 /* . */) {
      i = 20;
      let scale = 100; // first fractional digit is hundreds of milliseconds
      for (; i < time.length; i++) {
        const digit = time.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) break;
        fraction += digit * scale;
        scale /= 10;
      }
    }
    const zoneLength = time.length - i;
    if (!(zoneLength === cachedZone.length && time.startsWith(cachedSecond) && time.endsWith(cachedZone))) {
      cachedSecond = time.slice(0, 19);
      cachedZone = time.slice(i);
      const epochMs = Date.parse(cachedSecond + cachedZone);
      if (Number.isNaN(baseMs)) baseMs = epochMs;
      cachedMs = epochMs - baseMs; // whole milliseconds: exact
    }
    return cachedMs + fraction;
  };
  /** The epoch milliseconds that relative time 0 stands for (NaN before the first time was read). */
  return Object.assign(parse, { baseEpochMs: () => baseMs });
}

/** LD-ERRORS: a transport error (k6 status "0") or a 5xx. A sample without a status cannot prove success. */
export function isErrorStatus(status: unknown): boolean {
  if (typeof status !== 'string' || status === '') return true;
  const code = Number(status);
  return !Number.isFinite(code) || code === 0 || code >= 500;
}
