import type { K8sObject } from '../k8s/types.js';
import type { FeedQuery } from './watch-feed.js';

/**
 * A query made wider so that objects asking alike share one watch: the pods of every workload of
 * a namespace come from one Pod watch of the namespace, each workload's picked out by its labels
 * here (as an informer's cache is indexed), not one watch per selector. Equality terms only
 * (`a=b`, `a==b`, what the readiness rules ask); any other selector is sent as it is.
 *
 * Field terms about one object (`involvedObject.*`, `metadata.name`) are matched here too; the
 * others (`reason=FailedCreate`) stay on the server.
 */
export function widen(q: FeedQuery): { readonly feed: FeedQuery; readonly matches: (o: K8sObject) => boolean } {
  const labels = q.labelSelector ? equalities(q.labelSelector) : [];
  const fields = q.fieldSelector ? equalities(q.fieldSelector) : [];
  if (!labels || !fields) return { feed: q, matches: () => true };
  const local = fields.filter(([path]) => path.startsWith('involvedObject.') || path === 'metadata.name');
  const server = fields.filter((t) => !local.includes(t));
  const { labelSelector: _l, fieldSelector: _f, ...rest } = q;
  return {
    feed: { ...rest, ...(server.length ? { fieldSelector: server.map(([k, v]) => `${k}=${v}`).join(',') } : {}) },
    matches: (o) => labels.every(([k, v]) => o.metadata.labels?.[k] === v) && local.every(([path, v]) => fieldOf(o, path) === v),
  };
}

/** `a=b,c==d` as pairs; undefined when a term is anything else (`!=`, `in`, an existence test). */
function equalities(selector: string): Array<[string, string]> | undefined {
  const terms: Array<[string, string]> = [];
  for (const term of selector.split(',')) {
    const m = /^\s*([A-Za-z0-9_./-]+)\s*==?\s*([A-Za-z0-9_.-]*)\s*$/.exec(term);
    if (!m || term.includes('!=')) return undefined;
    terms.push([m[1]!, m[2]!]);
  }
  return terms;
}

function fieldOf(o: K8sObject, path: string): string | undefined {
  let v: unknown = o;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v === undefined || v === null ? undefined : String(v);
}
