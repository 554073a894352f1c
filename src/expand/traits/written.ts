import { joinPointer } from '../../load/json-pointer.js';

/**
 * For TraitDef.written: the longest prefix of `segments` (at least `min` of them) that a trait's
 * value has, as a JSON pointer relative to it; undefined when even `min` are not there.
 */
export function deepestWritten(value: unknown, segments: readonly (string | number)[], min = 0): string | undefined {
  let n = 0;
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, s) || (v as Record<string, unknown>)[s] === undefined) break;
    v = (v as Record<string, unknown>)[s];
    n++;
  }
  return n >= min ? joinPointer('', ...segments.slice(0, n)) : undefined;
}
