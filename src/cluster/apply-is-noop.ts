import { isDeepStrictEqual } from 'node:util';
import type { K8sObject } from '../k8s/types.js';

type Json = unknown;
interface FieldsNode {
  [field: string]: FieldsNode;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: FieldsNode;
  subresource?: string;
}

/**
 * Whether a server-side apply of `object` as `fieldManager` would leave `live` as it is, told
 * from `live` alone (no dry-run): true only when
 * - the manager's one Apply entry in live's managedFields (same apiVersion) lists exactly the
 *   fields `object` sets (so the apply removes nothing it owned before), and
 * - every value `object` sets is already the live value (strictly equal, lists element by element
 *   in the same order).
 * Then the apply sets nothing new and takes nothing away: the API server would not even write the
 * object. Anything else (a value written differently, `0.5` for `500m`, a key field left to its
 * default, another manager's list element, a field set by `kubectl edit`) answers false, and the
 * caller asks the server (a dry-run): false is always safe, true must be exact. Not seen from here:
 * a mutating admission webhook that changes the object on every write.
 */
export function applyIsNoop(object: K8sObject, live: K8sObject, fieldManager: string): boolean {
  const meta = live.metadata as K8sObject['metadata'] & { managedFields?: ManagedFieldsEntry[]; deletionTimestamp?: string };
  if (meta.deletionTimestamp) return false;
  const entries = (meta.managedFields ?? []).filter((e) => e.manager === fieldManager && e.operation === 'Apply' && !e.subresource);
  const entry = entries.length === 1 ? entries[0]! : undefined;
  if (!entry || entry.apiVersion !== object.apiVersion || entry.fieldsType !== 'FieldsV1' || !entry.fieldsV1) return false;
  // apiVersion, kind, name and namespace identify the object: they are not in the field set.
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const { name: _n, namespace: _ns, ...ownMeta } = metadata;
  const applied: Record<string, Json> = { ...rest, ...(Object.keys(ownMeta).length ? { metadata: ownMeta } : {}) };
  return sameFieldsAndValues(applied, live, entry.fieldsV1, serverDefaultsOf(object), '');
}

/** A field the API server fills into each element of an atomic list when the element leaves it out, with its value. */
interface ElementDefault {
  readonly path: readonly string[];
  readonly value: Json;
}

/**
 * What the API server defaults inside atomic lists, by `group/Kind` and the list's path: an atomic
 * list is compared whole, so without these the live list never equals the bundle's. Only
 * defaults the server always writes, whatever the rest of the element (tested against the real
 * server: test/diff/apply-is-noop-cluster.test.ts). A StatefulSet's claim templates are stored as
 * whole PersistentVolumeClaims: `apiVersion`, `kind`, `spec.volumeMode` and `status.phase`.
 */
const ATOMIC_LIST_DEFAULTS: Readonly<Record<string, Readonly<Record<string, readonly ElementDefault[]>>>> = {
  'apps/StatefulSet': {
    'spec.volumeClaimTemplates': [
      { path: ['apiVersion'], value: 'v1' },
      { path: ['kind'], value: 'PersistentVolumeClaim' },
      { path: ['spec', 'volumeMode'], value: 'Filesystem' },
      { path: ['status'], value: { phase: 'Pending' } },
    ],
  },
};

function serverDefaultsOf(object: K8sObject): Readonly<Record<string, readonly ElementDefault[]>> | undefined {
  const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.indexOf('/')) : '';
  return ATOMIC_LIST_DEFAULTS[`${group}/${object.kind}`];
}

/**
 * The live element without the server's defaults that the applied element leaves out; undefined
 * when one of them is not in the live element at exactly its default value (then the apply could
 * change it: not provably the same).
 */
function withoutDefaults(applied: Json, live: Json, defaults: readonly ElementDefault[]): Json {
  if (!isMap(applied) || !isMap(live)) return live;
  let out: Record<string, Json> = live;
  for (const d of defaults) {
    if (getPath(applied, d.path) !== undefined) continue;
    if (!isDeepStrictEqual(getPath(out, d.path), d.value)) return undefined;
    out = removePath(out, d.path);
  }
  return out;
}

function getPath(v: Json, path: readonly string[]): Json {
  let at = v;
  for (const p of path) at = isMap(at) ? at[p] : undefined;
  return at;
}

/** A copy without the field at `path` (and without a map left empty by that on the way). */
function removePath(v: Record<string, Json>, path: readonly string[]): Record<string, Json> {
  const [head, ...tail] = path as [string, ...string[]];
  const { [head]: child, ...rest } = v;
  if (!tail.length || !isMap(child)) return rest;
  const inner = removePath(child, tail);
  return Object.keys(inner).length ? { ...rest, [head]: inner } : rest;
}

const isMap = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field set entries of a node, without `.` (the node itself). */
const children = (node: FieldsNode): string[] => Object.keys(node).filter((k) => k !== '.');

type Defaults = Readonly<Record<string, readonly ElementDefault[]>> | undefined;

function sameFieldsAndValues(value: Json, live: Json, node: FieldsNode, defaults: Defaults, path: string): boolean {
  if (value === null || value === undefined || live === undefined) return false;
  const keys = children(node);
  if (Array.isArray(value)) {
    // A leaf: an atomic list, replaced whole (elements compared without what the server defaults into them).
    if (!keys.length) {
      const filled = defaults?.[path];
      if (!filled) return isDeepStrictEqual(value, live);
      return Array.isArray(live) && live.length === value.length && value.every((v, i) => isDeepStrictEqual(v, withoutDefaults(v, live[i], filled)));
    }
    return Array.isArray(live) && sameListElements(value, live, node, keys, defaults, `${path}[]`);
  }
  if (isMap(value)) {
    // A leaf: an atomic map (e.g. a label selector), replaced whole.
    if (!keys.length) return isDeepStrictEqual(value, live);
    if (!isMap(live)) return false;
    const fields = Object.keys(value).filter((k) => value[k] !== undefined);
    if (fields.length !== keys.length) return false;
    return fields.every((f) => {
      const child = node[`f:${f}`];
      return child !== undefined && sameFieldsAndValues(value[f], live[f], child, defaults, path ? `${path}.${f}` : f);
    });
  }
  return !keys.length && value === live;
}

/**
 * A list whose elements the field set names: `k:{"name":"web"}` (a map list, by its key fields)
 * or `v:"x"` (a set). The applied list and the live one have the same length, and each element
 * is named in the set, in the same order. A key field the applied element leaves out (a
 * container port's `protocol`) was defaulted into the key when the server applied it before:
 * the same element left out the same field then, since the set does not list it as set.
 */
function sameListElements(value: readonly Json[], live: readonly Json[], node: FieldsNode, keys: readonly string[], defaults: Defaults, path: string): boolean {
  if (value.length !== keys.length || live.length !== value.length) return false;
  return value.every((v, i) => {
    const key = keys.find((k) => namesElement(k, v, node[k]));
    return key !== undefined && namesElement(key, live[i]) && sameFieldsAndValues(v, live[i], node[key]!, defaults, path);
  });
}

/** Whether a field set's list key names this element (with `applied`, the element's own field set: key fields it leaves out were defaulted). */
function namesElement(key: string, element: Json, applied?: FieldsNode): boolean {
  let parsed: Json;
  try {
    parsed = JSON.parse(key.slice(2));
  } catch {
    return false;
  }
  if (key.startsWith('v:')) return isDeepStrictEqual(parsed, element);
  if (!key.startsWith('k:') || !isMap(parsed) || !isMap(element)) return false;
  return Object.entries(parsed).every(
    ([f, v]) => isDeepStrictEqual(element[f], v) || (applied !== undefined && element[f] === undefined && applied[`f:${f}`] === undefined),
  );
}
