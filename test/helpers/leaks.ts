// Forms in which a secret could end up in bankcert's outputs, and a search over every output file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Handlebars from 'handlebars';

export interface Needle {
  /** What leaked, for the failure message (never the secret itself: the message is printed). */
  label: string;
  find(text: string): boolean;
}

/** A literal string, in the forms the outputs use: raw, JSON-escaped, HTML-escaped, URL-encoded, base64. */
export function literalForms(label: string, value: string): Needle[] {
  const forms: [string, string][] = [
    ['raw', value],
    ['JSON-escaped', JSON.stringify(value).slice(1, -1)],
    ['HTML-escaped', Handlebars.Utils.escapeExpression(value)],
    ['URL-encoded', encodeURIComponent(value)],
    ['base64', Buffer.from(value, 'utf8').toString('base64')],
    ['base64url', Buffer.from(value, 'utf8').toString('base64url')],
  ];
  return forms.map(([form, text]) => ({ label: `${label} (${form})`, find: (haystack: string) => haystack.includes(text) }));
}

/**
 * The base64 body lines of a PEM file. Padding is dropped ('=' is HTML-escaped in report.html) and
 * short lines are skipped: fewer than 16 base64 characters could match by chance.
 */
export function pemBodyLines(label: string, pem: string): Needle[] {
  return pem
    .split('\n')
    .map((l) => l.trim().replace(/=+$/, ''))
    .filter((l) => l.length >= 16 && !l.startsWith('-----'))
    .map((line, i) => ({ label: `${label} line ${i + 1}`, find: (haystack: string) => haystack.includes(line) }));
}

// Quotes and separators as they appear raw, JSON-escaped inside a JSON string, or HTML-escaped.
const QUOTE = String.raw`(?:"|\\"|&quot;|&#34;|&#x22;|'|&#x27;|&#39;)`;
const GAP = String.raw`(?:[^A-Za-z0-9&]|&quot;|&#x?[0-9a-fA-F]+;|&amp;){0,16}`;

/**
 * A short PIN cannot be searched for bare: "1234" turns up inside UUIDs by chance. It leaks as a JSON
 * or quoted string value, or next to the word authCode (only quotes, separators or escapes between).
 */
export function pinForms(pin: string): Needle[] {
  const patterns: [string, RegExp][] = [
    ['authCode then PIN', new RegExp(`authCode${GAP}${pin}(?![0-9])`, 'i')],
    ['PIN then authCode', new RegExp(`(?<![0-9])${pin}${GAP}authCode`, 'i')],
    ['PIN as a quoted string value', new RegExp(`${QUOTE}${pin}${QUOTE}`)],
  ];
  return patterns.map(([label, re]) => ({ label: `authCode ${label}`, find: (haystack: string) => re.test(haystack) }));
}

/** Every file under `dir`, recursively, as [path relative to dir, content]; gzipped ones (exchanges.ndjson.gz) unzipped. */
export function outputFiles(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((path) => [relative(dir, path), path.endsWith('.gz') ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8')]);
}

/** "where: what" for every needle found in every haystack. */
export function findLeaks(haystacks: [string, string][], needles: Needle[]): string[] {
  return haystacks.flatMap(([where, text]) => needles.filter((n) => n.find(text)).map((n) => `${where}: ${n.label}`));
}
