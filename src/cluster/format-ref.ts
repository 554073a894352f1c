import type { ObjectRef } from './types.js';

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects), the one way diffs and errors name an object. */
export function formatRef(r: ObjectRef): string {
  return r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}
