import type { K8sObject } from '../k8s/types.js';
import { mapBounded } from './bounded.js';
import { refKey, type ClusterClient, type ObjectRef } from './types.js';

/** Where a kind's objects are listed: `apiVersion/kind/namespace`. */
const scopeKey = (r: ObjectRef): string => `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}`;

/** Why a scope was read object by object instead of listed. */
export interface ListFallback {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  /** The LIST's error reason (`Forbidden`: RBAC allows GET but not LIST). */
  readonly reason: string;
}

/**
 * The live state of many objects, read with one LIST per (apiVersion, kind, namespace) instead of
 * one GET per object (kapp and Flux read the same way). A LIST has no label or field selector, so
 * it also finds objects that lost kubemin's labels; the objects are then found by name.
 *
 * - Only namespaced kinds with at least two wanted objects in a namespace are listed: a single
 *   object costs one request either way, and a GET carries only it. Cluster-scoped kinds
 *   (Namespaces, CRDs, ClusterRoles) are always read one by one: a cluster may hold thousands.
 * - A LIST that fails (forbidden by RBAC, a kind not served yet because its CRD is applied later,
 *   the server unavailable) is not an error: each object of that scope is then read with a GET
 *   when asked for, which reports its own error about the object. `fallbacks` says which scopes.
 * - A namespace that does not exist lists as empty: its objects do not exist.
 */
export class LiveObjects {
  private readonly scopes = new Map<string, Promise<Map<string, K8sObject> | undefined>>();
  private readonly gets = new Map<string, Promise<K8sObject | undefined>>();
  /** Objects taken (take()): read again with a GET when asked for again. */
  private readonly taken = new Set<string>();
  readonly fallbacks: ListFallback[] = [];

  constructor(private readonly client: ClusterClient) {}

  /** Lists the scopes of `refs` worth listing (see above) that are not listed yet, `concurrency` at once. */
  async prefetch(refs: readonly ObjectRef[], concurrency: number): Promise<void> {
    const counts = new Map<string, { ref: ObjectRef; n: number }>();
    for (const r of refs) {
      if (!r.namespace) continue;
      const k = scopeKey(r);
      const c = counts.get(k);
      if (c) c.n++;
      else counts.set(k, { ref: r, n: 1 });
    }
    const wanted = [...counts].filter(([k, c]) => c.n >= 2 && !this.scopes.has(k));
    await mapBounded(wanted, concurrency, async ([k, { ref }]) => {
      const namespaced = await this.client.resourceFor(ref.apiVersion, ref.kind).then((i) => i?.namespaced, () => undefined);
      if (!namespaced) return; // not served (yet) or cluster-scoped: one GET per object
      const listed = this.list(ref);
      this.scopes.set(k, listed);
      await listed;
    });
  }

  /** The live object (undefined: there is none), from its scope's LIST when that was listed, else by a GET (one per object, however often asked). */
  async get(ref: ObjectRef): Promise<K8sObject | undefined> {
    const key = refKey(ref);
    if (this.taken.has(key)) return this.client.get(ref);
    const scope = await this.scopes.get(scopeKey(ref));
    if (scope) return scope.get(ref.name);
    let got = this.gets.get(key);
    if (!got) {
      got = this.client.get(ref);
      this.gets.set(key, got);
      got.catch(() => this.gets.delete(key));
    }
    return got;
  }

  /**
   * As get(), for an object about to be changed (applied): the state read before is used once,
   * and asking again (a retried phase) reads it anew with a GET.
   */
  async take(ref: ObjectRef): Promise<K8sObject | undefined> {
    const got = await this.get(ref);
    this.taken.add(refKey(ref));
    this.gets.delete(refKey(ref));
    return got;
  }

  private async list(ref: ObjectRef): Promise<Map<string, K8sObject> | undefined> {
    try {
      const items = await this.client.list(ref.apiVersion, ref.kind, { namespace: ref.namespace! });
      return new Map(items.map((o) => [o.metadata.name, o]));
    } catch (err) {
      this.fallbacks.push({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace!, reason: (err as { reason?: string }).reason ?? 'Error' });
      return undefined;
    }
  }
}
