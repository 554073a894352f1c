import { mergePatch } from '../expand/json-patch.js';

/**
 * RFC 7386 JSON merge patches on plain values (what YAML gives): applying one (the compiler's
 * own mergePatch, which environments use), and finding the one that turns a value into another.
 * Pure.
 */

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

export function isPlainObject(v: unknown): v is PlainObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386: an object merges key by key (null removes), anything else replaces the target. */
export function applyMergePatch(target: Plain | undefined, patch: Plain | undefined): Plain | undefined {
  return patch === undefined ? target : (mergePatch(target, patch) as Plain);
}

/**
 * The merge patch that turns `from` into `to` (`undefined`: absent), changed keys only:
 * applyMergePatch(from, mergePatchBetween(from, to)) equals `to` whenever `to` holds no null
 * (a merge patch cannot write one). Undefined when they are equal.
 */
export function mergePatchBetween(from: Plain | undefined, to: Plain | undefined): Plain | undefined {
  if (deepEqual(from, to)) return undefined;
  if (to === undefined) return null;
  if (!isPlainObject(to) || !isPlainObject(from)) return to;
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(to)) {
    const patch = mergePatchBetween(from[key], value);
    if (patch !== undefined) out[key] = patch;
  }
  for (const key of Object.keys(from)) if (!(key in to)) out[key] = null;
  return out;
}

/** Whether a value is null or holds one as a member (which a merge patch cannot write; in a list it can). */
export function holdsNull(v: Plain | undefined): boolean {
  if (v === null) return true;
  return isPlainObject(v) && Object.values(v).some(holdsNull);
}

/** Structural equality of plain values; key order does not matter, array order does. */
export function deepEqual(a: Plain | undefined, b: Plain | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
