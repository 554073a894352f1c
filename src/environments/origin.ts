import { joinPointer, splitPointer } from '../load/json-pointer.js';
import type { EnvironmentSpec } from '../spec/types.js';

/** What an environment's merge did, to find where each value of the merged spec is written. */
export interface Provenance {
  /** The environment's pointer in the document. */
  readonly environment: string;
  readonly env: EnvironmentSpec;
  /** For each merged component, its index in the document. */
  readonly componentIndex: readonly number[];
  readonly componentNames: readonly string[];
  /** For each merged step, its index in the document. */
  readonly stepIndex: readonly number[];
  /** The field of a merged step that lists components. */
  stepListField(step: number): string | undefined;
  /** For a merged step whose list lost disabled components: each kept entry's index in the document. */
  readonly listIndex: ReadonlyMap<number, readonly number[]>;
  /** Lists of the merged components that lost entries (peers of disabled components): each kept entry's index in the written list. */
  readonly lists: ReadonlyMap<string, readonly number[]>;
}

/**
 * The pointer in the document of the value at `pointer` of the merged spec: inside an override
 * (or the environment's policies or namespace) where the environment wrote it, else in the base,
 * with the indices of the components and steps the environment left out accounted for.
 */
export function originOf(p: Provenance, pointer: string): string {
  const t = splitPointer(writtenIndices(p, pointer));
  if (t[0] === 'spec' && t[1] === 'components' && t.length >= 3) {
    const i = Number(t[2]);
    const base = p.componentIndex[i];
    if (base === undefined) return pointer;
    const rest = t.slice(3);
    const patch = p.env.components?.[p.componentNames[i]!];
    const written = rest.length && patch && rest[0] !== 'disabled' ? writtenIn(patch, rest) : undefined;
    return written ? joinPointer(p.environment, 'components', p.componentNames[i]!, ...written) : joinPointer(`/spec/components/${base}`, ...rest);
  }
  if (t[0] === 'spec' && t[1] === 'policies' && t.length >= 3 && p.env.policies) {
    const written = writtenIn(p.env.policies, t.slice(2));
    if (written) return joinPointer(p.environment, 'policies', ...written);
  }
  if (t[0] === 'metadata' && t[1] === 'namespace' && p.env.namespace) return joinPointer(p.environment, 'namespace');
  if (t[0] === 'spec' && t[1] === 'workflow' && t[2] === 'steps' && t.length >= 4) {
    const i = Number(t[3]);
    const base = p.stepIndex[i];
    if (base === undefined) return pointer;
    const rest = t.slice(4);
    const kept = p.listIndex.get(i);
    if (kept && rest[0] === p.stepListField(i) && rest.length >= 2) rest[1] = String(kept[Number(rest[1])] ?? rest[1]);
    return joinPointer(`/spec/workflow/steps/${base}`, ...rest);
  }
  return pointer;
}

/**
 * The part of `path` the merge patch wrote: all of it when the patch has it; the prefix that
 * reaches a value the patch replaced whole (a list, a scalar); none when the value comes from
 * the base (the patch's maps do not reach it).
 */
function writtenIn(patch: unknown, path: readonly string[]): string[] | undefined {
  let cur: unknown = patch;
  // Under a list, everything is the patch's: a list replaces the base's whole.
  let whole = false;
  for (let k = 0; k < path.length; k++) {
    if (cur === null || typeof cur !== 'object') return path.slice(0, k);
    whole ||= Array.isArray(cur);
    if (!Object.hasOwn(cur, path[k]!)) return whole ? path.slice(0, k) : undefined;
    cur = (cur as Record<string, unknown>)[path[k]!];
  }
  return [...path];
}

/**
 * The fields an override removes (RFC 7386: `null`) right under the value at `pointer` of the
 * merged spec, as pointers in the document: a required field gone is the override's doing.
 */
export function removedUnder(p: Provenance, pointer: string): string[] {
  const t = splitPointer(pointer);
  if (t[0] !== 'spec' || t[1] !== 'components' || t.length < 3) return [];
  const name = p.componentNames[Number(t[2])];
  let cur: unknown = name === undefined ? undefined : p.env.components?.[name];
  for (const k of t.slice(3)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return [];
    cur = (cur as Record<string, unknown>)[k];
  }
  if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return [];
  return Object.entries(cur)
    .filter(([, v]) => v === null)
    .map(([k]) => joinPointer(p.environment, 'components', name!, ...t.slice(3), k));
}

/** The pointer with the index into each list that lost entries taken back to the written list's. */
function writtenIndices(p: Provenance, pointer: string): string {
  if (!p.lists.size) return pointer;
  const t = splitPointer(pointer);
  for (let k = 0; k < t.length - 1; k++) {
    const kept = p.lists.get(joinPointer('', ...t.slice(0, k + 1)));
    if (kept && kept[Number(t[k + 1])] !== undefined) t[k + 1] = String(kept[Number(t[k + 1])]);
  }
  return joinPointer('', ...t);
}
