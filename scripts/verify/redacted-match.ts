import { REDACTED } from '../../checks/redact.ts';

// A record keeps "[redacted]" where a secret was (checks/redact.ts, the scrubber); the same code run again
// without the secrets puts something else there. These compare a recorded value with a re-derived one,
// reading each "[redacted]" in the recorded one as "some text that was a secret".

/** True when `actual` is `recorded` with each "[redacted]" standing for some non-empty text. */
export function matchesRedacted(recorded: string, actual: string): boolean {
  if (recorded === actual) return true;
  if (!recorded.includes(REDACTED)) return false;
  const pieces = recorded.split(REDACTED);
  const first = pieces[0] ?? '';
  const last = pieces[pieces.length - 1] ?? '';
  if (!actual.startsWith(first)) return false;
  let at = first.length;
  // Leftmost placement of each middle piece, at least one character after the previous one, is optimal.
  for (const piece of pieces.slice(1, -1)) {
    const found = actual.indexOf(piece, at + 1);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return actual.length - last.length >= at + 1 && actual.endsWith(last);
}

/** Deep equality of JSON-like values, strings compared with matchesRedacted (a redacted number reads as its text). */
export function sameRedacted(recorded: unknown, actual: unknown): boolean {
  if (typeof recorded === 'string') {
    if (typeof actual === 'string') return matchesRedacted(recorded, actual);
    return recorded.includes(REDACTED) && actual !== undefined && matchesRedacted(recorded, JSON.stringify(actual));
  }
  if (Array.isArray(recorded)) return Array.isArray(actual) && recorded.length === actual.length && recorded.every((v, i) => sameRedacted(v, actual[i]));
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const r = recorded as Record<string, unknown>;
    const keys = new Set([...Object.keys(r), ...Object.keys(a)]);
    return [...keys].every((k) => sameRedacted(r[k], a[k]));
  }
  return Object.is(recorded, actual);
}
