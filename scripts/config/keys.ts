import { z } from 'zod';

/**
 * Reads the schema itself to tell what keys are allowed at a path and what a field is for,
 * so "did you mean" and "add it" hints never drift from the schema.
 */

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** The (wrapped) schema of the field at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const key of path) {
    if (s === undefined) return undefined;
    const inner = unwrap(s);
    if (inner instanceof z.ZodObject && typeof key === 'string') s = (inner.shape as Record<string, z.ZodType>)[key];
    else if (inner instanceof z.ZodArray && typeof key === 'number') s = inner.element as z.ZodType;
    else return undefined;
  }
  return s;
}

/** Keys allowed in the object at `path`, in schema order. */
export function allowedKeys(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const s = schemaAt(root, path);
  const inner = s === undefined ? undefined : unwrap(s);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

/** True for a z.int() field, which zod reports as expecting a "number". */
export function isIntegerField(root: z.ZodType, path: readonly PropertyKey[]): boolean {
  const s = schemaAt(root, path);
  const inner = s === undefined ? undefined : unwrap(s);
  return inner instanceof z.ZodNumber && inner.isInt === true;
}

export function describeField(root: z.ZodType, path: readonly PropertyKey[]): string | undefined {
  return schemaAt(root, path)?.description;
}

/** Optimal string alignment distance: a swapped pair of letters ("bnak") counts as one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The closest candidate, compared case-insensitively, if it is close enough to be a typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const distance = editDistance(lower, key.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && best.distance <= tolerance ? best.key : undefined;
}
