import { describe, expect, it } from 'vitest';
import type { Exchange } from '../checks/events.ts';
import {
  BODY_LIMIT,
  exchangeLine,
  exchangeText,
  headerLines,
  markdownCell,
  prettyBody,
  statusIcon,
  statusMark,
  stripXmlIllegal,
  visibleControls,
} from './text.ts';

const request: Exchange['request'] = {
  method: 'POST',
  url: 'https://bank.example/reserveFunds',
  headers: { 'content-type': 'application/json' },
  body: '{"a":1}',
};

describe('stripXmlIllegal', () => {
  it.each([
    ['C0 controls except tab, newline, return', 'a\u0000b\u0001c\u0008d\u000be\u000cf\u001fg\th\ni\rj', 'abcdefg\th\ni\rj'],
    ['lone surrogates', 'x\ud800y\udfffz', 'xyz'],
    ['U+FFFE and U+FFFF', 'a\ufffeb\uffffc', 'abc'],
    ['keeps astral characters and DEL', 'money 💸 \u007f ünï', 'money 💸 \u007f ünï'],
  ])('%s', (_, input, output) => {
    expect(stripXmlIllegal(input)).toBe(output);
  });
});

describe('visibleControls', () => {
  it.each([
    ['C0 controls', 'a\u0001b', 'a\\u0001b'],
    ['DEL and C1', '\u007f\u0085', '\\u007F\\u0085'],
    ['lone surrogate', '\ud800', '\\uD800'],
    ['non-characters', '\uffff', '\\uFFFF'],
    ['keeps whitespace and unicode', 'a\tb\nc 💸 é', 'a\tb\nc 💸 é'],
  ])('%s', (_, input, output) => {
    expect(visibleControls(input)).toBe(output);
  });
});

describe('markdownCell', () => {
  it.each([
    ['pipes', 'a|b', 'a\\|b'],
    ['backticks', '`code`', '\\`code\\`'],
    ['markup', '<script>&', '&lt;script&gt;&amp;'],
    ['newlines become spaces', 'a\nb\r\nc', 'a b c'],
    ['link and emphasis syntax', '[x](y) *b* _i_', '\\[x\\](y) \\*b\\* \\_i\\_'],
    ['backslashes first', '\\|', '\\\\\\|'],
    ['control characters', 'a\u0001', 'a\\\\u0001'],
    ['numbers', 42, '42'],
    ['undefined', undefined, ''],
  ])('%s', (_, input, output) => {
    expect(markdownCell(input)).toBe(output);
  });
});

describe('prettyBody', () => {
  it('pretty-prints JSON objects', () => {
    expect(prettyBody('{"responseCode":"0000"}')).toBe('{\n  "responseCode": "0000"\n}');
  });
  it.each([
    ['not JSON', 'not json', 'not json'],
    ['a JSON scalar stays as sent', '"0000"', '"0000"'],
    ['empty', '', '(empty)'],
  ])('%s', (_, input, output) => {
    expect(prettyBody(input)).toBe(output);
  });
  it('caps huge bodies and says how much was left out', () => {
    const text = prettyBody('x'.repeat(BODY_LIMIT + 10));
    expect(text).toBe(`${'x'.repeat(BODY_LIMIT)}\n… (10 more characters)`);
  });
});

describe('exchanges', () => {
  it('formats headers one per line', () => {
    expect(headerLines({ a: '1', b: '2' })).toBe('a: 1\nb: 2');
    expect(headerLines({})).toBe('(no headers)');
  });

  it.each<[string, Exchange, string]>([
    [
      'response',
      { step: 's', request, response: { status: 404, headers: {}, body: '', durationMs: 7 } },
      'POST https://bank.example/reserveFunds → HTTP 404 in 7 ms',
    ],
    ['transport error', { step: 's', request, error: 'ECONNREFUSED' }, 'POST https://bank.example/reserveFunds → transport error: ECONNREFUSED'],
    ['nothing', { step: 's', request }, 'POST https://bank.example/reserveFunds → no response'],
  ])('one line for a %s', (_, exchange, line) => {
    expect(exchangeLine(exchange)).toBe(line);
  });

  it('writes the full exchange as text', () => {
    const text = exchangeText({ step: 'reserve', request, response: { status: 200, headers: { x: 'y' }, body: '{"responseCode":"2010"}', durationMs: 3 } });
    expect(text).toBe(
      'reserve\n> POST https://bank.example/reserveFunds\ncontent-type: application/json\n{\n  "a": 1\n}\n< HTTP 200 (3 ms)\nx: y\n{\n  "responseCode": "2010"\n}',
    );
    expect(exchangeText({ step: 'r', request, error: 'timeout' })).toMatch(/\n< transport error: timeout$/);
  });
});

describe('status symbols', () => {
  it('has one per status', () => {
    expect((['pass', 'fail', 'warn', 'skip'] as const).map((s) => `${statusIcon(s)}${statusMark(s)}`)).toEqual(['✅✓', '❌✗', '⚠️!', '⏭️–']);
  });
});
