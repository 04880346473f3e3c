import type { Result } from '../../checks/result.ts';
import { sameRedacted } from './redacted-match.ts';

/** One thing the certificate says that its records do not give: where, what result.json has, what the records give. */
export interface Mismatch {
  path: string;
  recorded: unknown;
  derived: unknown;
}

/**
 * Every difference between result.json and the certificate re-derived from the run's records. Checks are
 * matched by id; everything else by its place. A "[redacted]" in result.json stands for a secret the
 * re-derivation does not know.
 */
export function compareResults(recorded: Result, derived: Result): Mismatch[] {
  const out: Mismatch[] = [];
  const { checks: recordedChecks, digest: _d1, evidence: _e1, ...recordedRest } = recorded;
  const { checks: derivedChecks, digest: _d2, evidence: _e2, ...derivedRest } = derived;
  diff('', recordedRest, derivedRest, out);
  const byId = new Map(derivedChecks.map((c) => [c.id, c]));
  for (const check of recordedChecks) {
    const again = byId.get(check.id);
    if (!again) out.push({ path: `checks ${check.id}`, recorded: check.status, derived: 'no such check' });
    else diff(`checks ${check.id} `, check, again, out);
    byId.delete(check.id);
  }
  for (const extra of byId.values()) out.push({ path: `checks ${extra.id}`, recorded: 'no such check', derived: extra.status });
  return out;
}

function diff(path: string, recorded: unknown, derived: unknown, out: Mismatch[]): void {
  if (sameRedacted(recorded, derived)) return;
  const bothObjects = isObject(recorded) && isObject(derived);
  const bothArrays = Array.isArray(recorded) && Array.isArray(derived) && recorded.length === derived.length;
  if (bothArrays) {
    recorded.forEach((r, i) => diff(`${path}[${i}]`, r, (derived as unknown[])[i], out));
    return;
  }
  if (bothObjects) {
    const r = recorded;
    const d = derived;
    for (const key of new Set([...Object.keys(r), ...Object.keys(d)]))
      diff(path === '' || path.endsWith(' ') ? `${path}${key}` : `${path}.${key}`, r[key], d[key], out);
    return;
  }
  out.push({ path: path.trim(), recorded, derived });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
