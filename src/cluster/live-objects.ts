import type { K8sObject } from '../k8s/types.js';
import { mapBounded } from './bounded.js';
import { instanceSelectors } from './instance-selectors.js';
import { type ClusterClient } from './types.js';
import { refKey, type ObjectRef } from '../k8s/object-ref.js';

/** A kind: `apiVersion/kind`. */
const kindKey = (r: ObjectRef): string => `${r.apiVersion}/${r.kind}`;
/** Where a kind's objects are listed: `apiVersion/kind/namespace`. */
const scopeKey = (r: ObjectRef): string => `${kindKey(r)}/${r.namespace ?? ''}`;
/** An object within its kind: `namespace/name`. */
const nameKey = (r: ObjectRef): string => `${r.namespace ?? ''}/${r.name}`;

/** Why a scope was read object by object instead of listed. */
export interface ListFallback {
  readonly apiVersion: string;
  readonly kind: string;
  /** The namespace; '' for a LIST across namespaces (then the namespaces were listed one by one instead). */
  readonly namespace: string;
  /** The LIST's error reason (`Forbidden`: RBAC allows GET but not LIST). */
  readonly reason: string;
}

/**
 * LISTs that RBAC refused, remembered beyond one LiveObjects (the watch daemon keeps one across its
 * drift rounds): a refused LIST is not sent again while it is remembered, its objects are read by
 * GET at once. Whoever keeps it forgets it now and then (clear()), so that rights granted later are used.
 */
export class RefusedLists {
  private readonly keys = new Set<string>();
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
  }
  get size(): number {
    return this.keys.size;
  }
  clear(): void {
    this.keys.clear();
  }
}

export interface LiveObjectsOptions {
  /** LISTs refused before (see RefusedLists); default: none remembered beyond this instance. */
  readonly refused?: RefusedLists;
}

export interface PrefetchOptions {
  /**
   * The apps (their `app.kubernetes.io/instance`) the objects belong to. A kind whose wanted
   * objects are in two or more namespaces is then first listed once across all namespaces,
   * selected by this label; what that does not find is read as without it.
   */
  readonly instances?: readonly string[];
}

/**
 * The live state of many objects, read with few LISTs instead of one GET per object (kapp and
 * Flux read the same way), found by name in what was listed.
 *
 * - A namespaced kind whose wanted objects are in several namespaces, with `instances` given: one
 *   LIST across namespaces, selected by the apps' instance label (chunked when the apps are many).
 *   An object it finds is the live object. One it does not find (a new object, or one whose
 *   labels were removed by hand) is read as if there were no such LIST, below: a label selector
 *   never makes an object that exists look absent. The LIST is refused when the credentials may
 *   only list in some namespaces (RBAC): then the namespaces are listed one by one, and
 *   `fallbacks` says so with namespace ''.
 * - The wanted objects of a kind in one namespace not found so far, when there are at least two:
 *   one LIST of that namespace, without a selector. A single object costs one request either way,
 *   and a GET carries only it. Cluster-scoped kinds (Namespaces, CRDs, ClusterRoles) are always
 *   read one by one: a cluster may hold thousands.
 * - A LIST that fails (forbidden by RBAC, a kind not served yet because its CRD is applied later,
 *   the server unavailable) is not an error: each object of that scope is then read with a GET
 *   when asked for, which reports its own error about the object. `fallbacks` says which scopes.
 * - A namespace that does not exist lists as empty: its objects do not exist.
 *
 * What was read is kept for the life of this instance: one per diff (all its apps share it: one
 * LIST per kind, not one per app), per apply, per drift round of the watch daemon.
 */
export class LiveObjects {
  /** Namespaces listed whole (undefined: the LIST failed). */
  private readonly scopes = new Map<string, Promise<Map<string, K8sObject> | undefined>>();
  /** Per kind, the objects found by LISTs across namespaces (by `namespace/name`): what is not there may still exist. */
  private readonly selected = new Map<string, Map<string, K8sObject>>();
  /** Per kind, the prefetch work under way (calls chained): a get() waits for it rather than sending a GET of its own. */
  private readonly kinds = new Map<string, Promise<void>>();
  private readonly gets = new Map<string, Promise<K8sObject | undefined>>();
  /** Objects taken (take()): read again with a GET when asked for again. */
  private readonly taken = new Set<string>();
  readonly fallbacks: ListFallback[] = [];

  private readonly refused: RefusedLists;

  constructor(
    private readonly client: ClusterClient,
    opts: LiveObjectsOptions = {},
  ) {
    this.refused = opts.refused ?? new RefusedLists();
  }

  /** Lists what is worth listing (see above) for `refs` that is not read yet, `concurrency` kinds at once. */
  async prefetch(refs: readonly ObjectRef[], concurrency: number, opts: PrefetchOptions = {}): Promise<void> {
    const byKind = new Map<string, ObjectRef[]>();
    for (const r of refs) {
      if (!r.namespace) continue;
      const k = kindKey(r);
      const group = byKind.get(k);
      if (group) group.push(r);
      else byKind.set(k, [r]);
    }
    await mapBounded([...byKind], concurrency, async ([k, group]) => {
      const work = (this.kinds.get(k) ?? Promise.resolve()).then(() => this.prefetchKind(group, opts, concurrency));
      this.kinds.set(k, work);
      await work;
    });
  }

  /** The live object (undefined: there is none), from a LIST when one found it or listed its namespace, else by a GET (one per object, however often asked). */
  async get(ref: ObjectRef): Promise<K8sObject | undefined> {
    const key = refKey(ref);
    if (this.taken.has(key)) return this.client.get(ref);
    await this.kinds.get(kindKey(ref));
    const scope = await this.scopes.get(scopeKey(ref));
    if (scope) return scope.get(ref.name);
    const found = this.selected.get(kindKey(ref))?.get(nameKey(ref));
    if (found) return found;
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

  /** The objects of one kind: across namespaces when worth it, then namespace by namespace what is still not found. Never throws. */
  private async prefetchKind(refs: readonly ObjectRef[], opts: PrefetchOptions, concurrency: number): Promise<void> {
    const first = refs[0]!;
    const namespaced = await this.client.resourceFor(first.apiVersion, first.kind).then(
      (i) => i?.namespaced,
      () => undefined,
    );
    if (!namespaced) return; // not served (yet) or cluster-scoped: one GET per object
    const k = kindKey(first);
    const unread = (): ObjectRef[] => refs.filter((r) => !this.scopes.has(scopeKey(r)) && !this.selected.get(k)?.has(nameKey(r)));
    const instances = [...new Set(opts.instances ?? [])].sort();
    if (instances.length && !this.selected.has(k) && new Set(unread().map((r) => r.namespace)).size >= 2) {
      // Tried once per kind: after a refused LIST, the namespaces are listed one by one.
      this.selected.set(k, (await this.listSelected(first, instances)) ?? new Map());
    }
    const counts = new Map<string, { ref: ObjectRef; n: number }>();
    for (const r of unread()) {
      const c = counts.get(scopeKey(r));
      if (c) c.n++;
      else counts.set(scopeKey(r), { ref: r, n: 1 });
    }
    const wanted = [...counts].filter(([, c]) => c.n >= 2);
    for (const [s, { ref }] of wanted) this.scopes.set(s, this.list(ref));
    await mapBounded(wanted, concurrency, ([s]) => this.scopes.get(s)!);
  }

  /** The kind's objects of these apps in every namespace, by `namespace/name`; undefined when a LIST failed (the reason in `fallbacks`). */
  private async listSelected(ref: ObjectRef, instances: readonly string[]): Promise<Map<string, K8sObject> | undefined> {
    return this.refusable(ref, '', async () => {
      const lists = await Promise.all(instanceSelectors(instances).map((labelSelector) => this.client.list(ref.apiVersion, ref.kind, { labelSelector })));
      return new Map(lists.flat().map((o) => [nameKey({ ...ref, namespace: o.metadata.namespace, name: o.metadata.name }), o]));
    });
  }

  private async list(ref: ObjectRef): Promise<Map<string, K8sObject> | undefined> {
    return this.refusable(ref, ref.namespace!, async () => {
      const items = await this.client.list(ref.apiVersion, ref.kind, { namespace: ref.namespace! });
      return new Map(items.map((o) => [o.metadata.name, o]));
    });
  }

  /** A LIST (namespace '': across namespaces), unless refused before; a failure is a fallback (undefined), a refusal remembered. */
  private async refusable<T>(ref: ObjectRef, namespace: string, list: () => Promise<T>): Promise<T | undefined> {
    const key = `${kindKey(ref)}/${namespace}`;
    const fallback = (reason: string): undefined => void this.fallbacks.push({ apiVersion: ref.apiVersion, kind: ref.kind, namespace, reason });
    if (this.refused.has(key)) return fallback('Forbidden');
    try {
      return await list();
    } catch (err) {
      const reason = (err as { reason?: string }).reason ?? 'Error';
      if (reason === 'Forbidden') this.refused.add(key);
      return fallback(reason);
    }
  }
}
