import { splitPointer } from '../load/json-pointer.js';

/**
 * Which rules can run on a document with schema errors: a rule reads parts of the document
 * (patterns such as `/spec/components/*` + `/name`, `*` standing for one key or index); it can run
 * when no invalid part is at, above or below any of them.
 */

/** Whether `pattern` and the pointer address the same value, or one contains the other. */
export function overlaps(pattern: string, pointer: string): boolean {
  const a = splitPointer(pattern);
  const b = splitPointer(pointer);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== '*' && a[i] !== b[i]) return false;
  return true;
}

/** Whether a rule reading `reads` may run, given the invalid parts of the document. */
export function readsAreValid(reads: readonly string[] | undefined, invalid: readonly string[]): boolean {
  if (invalid.length === 0) return true;
  if (reads === undefined) return false;
  return reads.every((r) => invalid.every((p) => !overlaps(r, p)));
}

/** Whether the pointer is at or below one of the invalid parts. */
export function isUnderInvalid(pointer: string, invalid: readonly string[]): boolean {
  const segments = splitPointer(pointer);
  return invalid.some((p) => {
    const bad = splitPointer(p);
    return bad.length <= segments.length && bad.every((s, i) => s === segments[i]);
  });
}
