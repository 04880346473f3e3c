import { describe, expect, it } from 'vitest';
import { lineSplitter } from './lines.ts';
import { classifyJson, classifyLine, createTimeParser, isErrorStatus, type LineKind } from './samples.ts';
import { k6Point, requestTags } from './synthetic.ts';

/** What the aggregate uses of a line: for requests only the endpoint and status tags. */
function used(kind: LineKind): unknown {
  if (kind.kind !== 'point') return kind;
  const { metric, time, value, tags } = kind.point;
  return {
    metric,
    time,
    value,
    endpoint: metric === 'http_req_duration' ? tags.endpoint : undefined,
    status: metric === 'http_req_duration' ? tags.status : undefined,
  };
}

function slow(line: string): LineKind {
  try {
    return classifyJson(JSON.parse(line));
  } catch {
    return { kind: 'malformed' };
  }
}

const T = '2026-11-25T00:00:01.123456789Z';
const LINES = [
  k6Point('http_req_duration', Date.parse(T), 12.5, requestTags('reserveFunds', 200)),
  k6Point('http_req_duration', Date.parse(T), 1e-7, requestTags('transactResult', 0)),
  k6Point('http_req_duration', Date.parse(T), 3, null),
  k6Point('http_req_duration', Date.parse(T), 3, { status: '200' }),
  k6Point('iterations', Date.parse(T), 1, { scenario: 'load' }),
  k6Point('vus', Date.parse(T), 5, null),
  k6Point('http_req_waiting', Date.parse(T), 5, requestTags('reserveFunds', 200)),
  // Tag values that imitate keys, nest braces or need unescaping: the fast path must agree with JSON.parse or step aside.
  k6Point('http_req_duration', Date.parse(T), 7, { name: 'x","status":"500', endpoint: 'reserveFunds', status: '200' }),
  k6Point('http_req_duration', Date.parse(T), 7, { url: 'https://b/{id}},"status":"503"', endpoint: 'transactResult', status: '201' }),
  k6Point('http_req_duration', Date.parse(T), 7, { endpoint: 'reserve\\Funds', status: '200' }),
  k6Point('http_req_duration', Date.parse(T), 7, { endpoint: 'reserveFunds', status: '2\u00e900', metric: 'vus' }),
  k6Point('http_req_duration', Date.parse(T), 7, { metric: 'http_req_duration', endpoint: 'ünï', status: '504' }),
  // Other layouts: metric first, spaces, an extra field after the tags.
  `{"metric":"http_req_duration","type":"Point","data":{"time":"${T}","value":9,"tags":{"endpoint":"reserveFunds","status":"200"}}}`,
  `{ "type": "Point", "data": { "time": "${T}", "value": 9, "tags": { "endpoint": "reserveFunds", "status": "500" } }, "metric": "http_req_duration" }`,
  `{"type":"Point","data":{"time":"${T}","value":9,"tags":{"endpoint":"reserveFunds","status":"200"},"metadata":{"status":"0"}},"metric":"http_req_duration"}`,
  `{"type":"Point","data":{"time":"${T}","value":"9","tags":{"endpoint":"reserveFunds","status":"200"}},"metric":"http_req_duration"}`,
  `{"type":"Point","data":{"time":"${T}","value":9,"tags":{"endpoint":"reserveFunds","status":"200"}},"metric":"http_req_duration"`,
  '{"type":"Metric","data":{"type":"trend","contains":"time","tainted":null,"thresholds":[],"submetrics":null},"metric":"http_req_duration"}',
  '{"type":"Metric","data":{"type":"counter"},"metric":"data_sent"}',
  '[1,2,3]',
  '',
];

describe('classifyLine', () => {
  it.each(LINES.map((line, i) => [i, line]))('line %i reads as JSON.parse reads it', (_, line) => {
    expect(used(classifyLine(line))).toEqual(used(line === '' ? { kind: 'skip' } : slow(line)));
  });

  it('reads the fields the aggregate needs', () => {
    expect(classifyLine(LINES[0] ?? '')).toEqual({
      kind: 'point',
      point: { metric: 'http_req_duration', time: '2026-11-25T00:00:01.123000000Z', value: 12.5, tags: { endpoint: 'reserveFunds', status: '200' } },
    });
    expect(classifyLine(LINES[6] ?? '')).toEqual({ kind: 'other-point' });
    expect(classifyLine(LINES[17] ?? '')).toEqual({ kind: 'skip' });
    expect(classifyLine(LINES[16] ?? '')).toEqual({ kind: 'malformed' });
    expect(used(classifyLine(LINES[7] ?? ''))).toMatchObject({ status: '200' });
  });
});

describe('createTimeParser', () => {
  it('keeps nanosecond order across seconds and zones', () => {
    const parse = createTimeParser();
    const base = parse('2026-11-25T00:00:00Z');
    expect(parse('2026-11-25T02:00:00.000000001+02:00') - base).toBeCloseTo(0.000001, 9);
    expect(parse('2026-11-25T00:00:01.999999999Z') - base).toBeLessThan(2000);
    expect(parse('2026-11-24T19:00:02.5-05:00') - base).toBe(2500);
    expect(parse('2026-11-24T23:59:59.250Z') - base).toBe(-750);
    expect(parse('yesterday')).toBeNaN();
  });
});

describe('isErrorStatus', () => {
  it.each([
    ['0', true],
    ['500', true],
    ['599', true],
    ['', true],
    [undefined, true],
    ['200', false],
    ['404', false],
    ['499', false],
  ])('%s → %s', (status, error) => expect(isErrorStatus(status)).toBe(error));
});

describe('lineSplitter', () => {
  it('splits across chunks, keeps multi-byte characters whole, strips CR and flushes a last line without newline', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('one\r\ntwo ünï💸\n\nthree');
    for (let i = 0; i < bytes.length; i += 3) splitter.push(bytes.subarray(i, i + 3));
    splitter.end();
    expect(lines).toEqual(['one', 'two ünï💸', '', 'three']);
  });
});
