import type { Status } from '../checks/ids.ts';
import type { Exchange } from '../checks/events.ts';

// Pure string helpers shared by the renderers. Everything here treats its input as hostile: evidence
// bodies, headers and observed phrases come from the bank under test.

/** XML 1.0 `Char` production, complemented; with the `u` flag a lone surrogate is one code point and matches too. */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** JUnit consumers reject the whole file on one illegal character, so they are dropped, not escaped. */
export function stripXmlIllegal(text: string): string {
  return text.replace(XML_ILLEGAL, '');
}

/** What XML forbids plus DEL and the C1 controls: legal in XML, but invisible to a reader. */
const INVISIBLE = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** For human-read formats an invisible control byte is itself evidence: show it as a \uXXXX escape. */
export function visibleControls(text: string): string {
  return text.replace(INVISIBLE, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * One Markdown table cell (the Markdown template is compiled with noEscape, so this is its only escaper).
 * HTML-significant characters become entities because GitHub renders inline HTML; Markdown punctuation is
 * backslash-escaped so a bank cannot inject links, emphasis, code spans or extra columns.
 */
export function markdownCell(value: unknown): string {
  return visibleControls(typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value))
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`|*_[\]]/g, '\\$&');
}

/** Large bodies would drown the report; the full exchange stays in the raw k6 output. */
export const BODY_LIMIT = 8_000;

/** Pretty-prints JSON bodies so a reviewer can read them; anything else is shown as sent. */
export function prettyBody(body: string): string {
  if (body === '') return '(empty)';
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) text = JSON.stringify(parsed, null, 2);
  } catch {
    // Not JSON: the raw body is the evidence.
  }
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}\n… (${text.length - BODY_LIMIT} more characters)` : text;
}

export function headerLines(headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return lines.length > 0 ? lines.join('\n') : '(no headers)';
}

/** One line per exchange, for formats too small for full evidence. */
export function exchangeLine(exchange: Exchange): string {
  const request = `${exchange.request.method} ${exchange.request.url}`;
  if (exchange.response) return `${request} → HTTP ${exchange.response.status} in ${exchange.response.durationMs} ms`;
  return `${request} → ${exchange.error ? `transport error: ${exchange.error}` : 'no response'}`;
}

/** The full exchange as plain text, for JUnit failure bodies. */
export function exchangeText(exchange: Exchange): string {
  const { request, response, error } = exchange;
  const parts = [`${exchange.step}`, `> ${request.method} ${request.url}`, headerLines(request.headers), prettyBody(request.body)];
  if (response) parts.push(`< HTTP ${response.status} (${response.durationMs} ms)`, headerLines(response.headers), prettyBody(response.body));
  else parts.push(`< ${error ? `transport error: ${error}` : 'no response'}`);
  return parts.join('\n');
}

const ICONS: Record<Status, string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️', inconclusive: '❓' };
const MARKS: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–', inconclusive: '?' };

export function statusIcon(status: Status): string {
  return ICONS[status];
}

/** Plain symbols for HTML badges: emoji colour fonts are not guaranteed offline or in print. */
export function statusMark(status: Status): string {
  return MARKS[status];
}
