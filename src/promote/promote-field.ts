import { formatFieldPath, type FieldPath } from './field-paths.js';
import { applyMergePatch, deepEqual, holdsNull, isPlainObject, mergePatchBetween, type Plain, type PlainObject } from './merge-patch.js';
import { PromoteError } from './promote-error.js';

/** How a target's override changed for one field. */
export type OverrideEdit = 'set' | 'removed';

/** The value at `path` (mapping keys only); a list or a scalar on the way is an error for the path. */
export function valueAt(value: Plain | undefined, path: FieldPath): Plain | undefined {
  let at = value;
  for (let i = 0; i < path.length; i++) {
    if (at === undefined || at === null) return undefined;
    if (Array.isArray(at)) {
      throw new PromoteError(`--fields ${formatFieldPath(path)}: ${formatFieldPath(path.slice(0, i))} is a list, which is promoted whole: name it instead`);
    }
    if (!isPlainObject(at)) return undefined;
    at = at[path[i]!];
  }
  return at;
}

/**
 * The override (an RFC 7386 patch over `base`) changed as little as it can so that the merged
 * component holds the source's value at `path` (withValueOf), everything else as before:
 * - where the base (under the rest of the override) already holds `want`, the override of the
 *   field is removed, and the mappings left empty by that with it, rather than repeated;
 * - otherwise the override holds the merge patch from that base to `want` (changed keys only).
 * The override is walked down `path` as far as it has mappings; where it holds something else
 * (a value that replaces the base's whole, or null), that entry is the one rewritten.
 */
export function promoteField(
  base: PlainObject,
  override: PlainObject,
  path: FieldPath,
  source: PlainObject,
): { override: PlainObject; edit: OverrideEdit; merged: PlainObject } {
  const expected = withValueOf(applyMergePatch(base, override) as PlainObject, path, source);
  const merges = (candidate: PlainObject): boolean => deepEqual(applyMergePatch(base, candidate), expected);
  // The override's own entry to rewrite: `path`, or the first prefix where it is no mapping.
  let depth = 1;
  for (let at: Plain | undefined = override; depth < path.length; depth++) {
    at = isPlainObject(at) ? at[path[depth - 1]!] : undefined;
    if (at === undefined || !isPlainObject(at)) break;
  }
  // Where the mappings above the field change too (left empty, and gone), an entry higher up is.
  for (; depth >= 1; depth--) {
    const entry = path.slice(0, depth);
    const rest = removeAt(override, entry);
    const wanted = valueAt(expected, entry);
    const patch = mergePatchBetween(valueAt(applyMergePatch(base, rest), entry), wanted);
    if (patch === undefined) {
      const result = pruneEmpty(rest, entry, merges);
      if (merges(result)) return { override: result, edit: 'removed', merged: expected };
      continue;
    }
    if (holdsNull(wanted)) {
      throw new PromoteError(`${formatFieldPath(path)}: the source's value holds null, which an override cannot write (null removes a field there)`);
    }
    // Set where it is written (rest + entry, in the override's own key order).
    const result = setAt(override, entry, patch) as PlainObject;
    if (merges(result)) return { override: result, edit: 'set', merged: expected };
  }
  throw new Error(`promoting ${formatFieldPath(path)} would not give the source's value (a bug in kubemin promote)`);
}

/**
 * `value` with the source's value at `path`; where the source has none, the mappings above it
 * that this leaves empty and that the source does not have either go too.
 */
function withValueOf(value: PlainObject, path: FieldPath, source: PlainObject): PlainObject {
  let out = setAt(value, path, valueAt(source, path)) as PlainObject;
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const parent = path.slice(0, depth);
    const at = valueAt(out, parent);
    if (!isPlainObject(at) || Object.keys(at).length || valueAt(source, parent) !== undefined) break;
    out = removeAt(out, parent);
  }
  return out;
}

/** A copy of `value` with `want` at `path` (mappings created on the way); undefined removes what is there. */
export function setAt(value: Plain | undefined, path: FieldPath, want: Plain | undefined): Plain | undefined {
  if (!path.length) return want;
  const [key, ...rest] = path as [string, ...string[]];
  if (want === undefined && !(isPlainObject(value) && Object.hasOwn(value, key))) return value;
  const out: PlainObject = isPlainObject(value) ? { ...value } : {};
  const child = setAt(out[key], rest, want);
  if (child === undefined) delete out[key];
  else out[key] = child;
  return out;
}

function removeAt(value: PlainObject, path: FieldPath): PlainObject {
  return setAt(value, path, undefined) as PlainObject;
}

/**
 * Removes the mappings that `path`'s removal left empty, innermost first, while the result still
 * merges to what is expected (an empty mapping over nothing makes an empty field).
 */
function pruneEmpty(value: PlainObject, path: FieldPath, keeps: (candidate: PlainObject) => boolean): PlainObject {
  let out = value;
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const parent = path.slice(0, depth);
    const at = valueAt(out, parent);
    if (!isPlainObject(at) || Object.keys(at).length) break;
    const candidate = removeAt(out, parent);
    if (!keeps(candidate)) break;
    out = candidate;
  }
  return out;
}
