import { ClusterError, type ClusterClient } from '../cluster/types.js';
import { refKey, type ObjectRef } from '../k8s/object-ref.js';
import { feedKey, transient, WatchFeed, type FeedQuery } from '../cluster/watch-feed.js';
import { widen } from '../cluster/watch-selector.js';
import type { K8sObject } from '../k8s/types.js';
import { ExtensionError } from '../plugins/extension-error.js';
import type { ReadinessRule, Readiness } from '../readiness/types.js';
import type { Clock } from './clock.js';

type WaitOutcome = 'ready' | 'failed' | 'unschedulable' | 'timeout' | 'interrupted';

export interface WaitOptions {
  /** When to give up, in the clock's milliseconds. */
  readonly deadline: number;
  /**
   * How long to wait before asking again after an error (the API server restarting), and how
   * often to list when the credentials may not watch.
   */
  readonly pollMs: number;
  readonly clock: Clock;
  readonly ruleFor: (o: Pick<K8sObject, 'apiVersion' | 'kind'>) => ReadinessRule;
  readonly signal?: AbortSignal;
  readonly onProgress?: (ready: number, total: number, waitingFor: string | null) => void;
  /**
   * Objects as the API server returned them a moment ago (the apply's response), by refKey: the
   * first look at them uses these instead of a request (the same object a GET would return then).
   */
  readonly known?: ReadonlyMap<string, K8sObject>;
}

export interface WaitResult {
  readonly outcome: WaitOutcome;
  /** The last readiness seen of every object, by refKey. */
  readonly states: ReadonlyMap<string, Readiness>;
}

/** An object waited for, with the feeds its last look used. */
interface Awaited {
  readonly ref: ObjectRef;
  readonly key: string;
  readonly rule: ReadinessRule;
  /** Its kind in its namespace: one feed for all the objects of the phase there. */
  readonly objectFeed: string;
  /** Feeds of its rule's related queries (its pods, events), as of its last look. */
  related: string[];
}

/**
 * Waits until every object is ready (kapp and `kubectl rollout status` alike), returning at once
 * when one has failed or was refused by the scheduler instead of waiting for the deadline.
 *
 * Objects ready as the apply returned them cost no request. For the others: one LIST+WATCH per
 * kind and namespace, and one per related query shape (a rule's pods, ReplicaSets, events; made
 * namespace-wide by watch-selector.ts, so that the workloads of a namespace share one Pod watch),
 * watched only while an object asking for them is not ready. An object's rule is checked again
 * when it or one of its related objects changes, so the wait ends as the event that makes the
 * last object ready arrives. Transient API errors are waited out (the feeds list and watch
 * again). Without the right to watch, or to list, a feed polls (watch-feed.ts).
 */
export async function waitForReady(client: ClusterClient, refs: readonly ObjectRef[], opts: WaitOptions): Promise<WaitResult> {
  const states = new Map<string, Readiness>();
  const record = (key: string, r: Readiness): void => {
    const before = states.get(key);
    // Keep the last failure seen (and its pod) when the newer look no longer shows it.
    states.set(key, !r.detail && before?.detail ? { ...r, detail: before.detail, ...(r.pod ? {} : before.pod ? { pod: before.pod } : {}) } : r);
  };
  let pending: Awaited[] = [];
  for (const ref of refs) {
    const key = refKey(ref);
    const rule = opts.ruleFor(ref);
    const known = opts.known?.get(key);
    const first = known ? judged(() => rule.check(known, [])) : undefined;
    if (first) record(key, first);
    if (first?.state !== 'ready') pending.push({ ref, key, rule, objectFeed: feedKey(objectQuery(ref)), related: [] });
  }
  let lastProgress = '';
  const progress = (): void => {
    const ready = refs.length - pending.length;
    const next = pending[0];
    const waitingFor = next ? `${next.ref.kind} ${next.ref.name}: ${states.get(next.key)?.message ?? ''}` : null;
    const text = `${ready}/${waitingFor}`;
    if (text === lastProgress) return;
    lastProgress = text;
    opts.onProgress?.(ready, refs.length, waitingFor);
  };
  const settled = (): WaitOutcome | undefined => {
    if ([...states.values()].some((r) => r.state === 'failed')) return 'failed';
    if ([...states.values()].some((r) => r.state === 'unschedulable')) return 'unschedulable';
    return pending.length ? undefined : 'ready';
  };
  const early = settled();
  progress();
  if (early) return { outcome: early, states };
  if (opts.signal?.aborted) return { outcome: 'interrupted', states };

  const feeds = new Map<string, WatchFeed>();
  const dirty = new Set<string>();
  let wake: () => void = () => undefined;
  const feedFor = (q: FeedQuery, names?: readonly string[]): WatchFeed => {
    const k = feedKey(q);
    let f = feeds.get(k);
    if (!f) {
      f = new WatchFeed(client, q, {
        retryMs: opts.pollMs,
        ...(names ? { names } : {}),
        sleep: (ms, signal) => opts.clock.sleep(ms, signal),
        onChange: () => {
          dirty.add(k);
          wake();
        },
      });
      feeds.set(k, f);
    }
    return f;
  };
  for (const a of pending)
    feedFor(
      objectQuery(a.ref),
      pending.filter((b) => b.objectFeed === a.objectFeed).map((b) => b.ref.name),
    );

  /** One look at an object, from the feeds as they are now; undefined before its kind was listed. */
  const look = (a: Awaited): Readiness | undefined => {
    const objects = feeds.get(a.objectFeed)!;
    const known = opts.known?.get(a.key);
    let live: K8sObject | undefined;
    if (objects.synced) {
      live = objects.objects.get(`${a.ref.namespace ?? ''}/${a.ref.name}`);
      if (!live) return { state: 'progressing', message: 'not found (deleted since it was applied?)' };
    } else if (objects.error !== undefined && (!transient(objects.error) || !known)) return problem(objects.error);
    else if (known)
      live = known; // as the apply returned it, until its kind is listed: its related feeds start at once
    else return undefined;
    const alone = a.rule.check(live, []);
    if (alone.state === 'ready' || !a.rule.related) {
      a.related = [];
      return alone;
    }
    const related = a.rule.related(live).map((q) => {
      const { feed, matches } = widen({
        apiVersion: q.apiVersion,
        kind: q.kind,
        ...((q.namespace ?? live.metadata.namespace) ? { namespace: q.namespace ?? live.metadata.namespace } : {}),
        ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}),
        ...(q.fieldSelector ? { fieldSelector: q.fieldSelector } : {}),
      });
      return { feed: feedFor(feed), matches };
    });
    a.related = related.map(({ feed }) => feedKey(feed.query));
    const lists: K8sObject[][] = [];
    for (const { feed: f, matches } of related) {
      // Related objects only explain a wait: ones the credentials may not list (a daemon's RBAC
      // without Events, say) are none, not a failure of the object.
      if (f.error instanceof ClusterError && f.error.reason === 'Forbidden') lists.push([]);
      else if (f.error !== undefined && !transient(f.error)) return problem(f.error);
      else if (!f.synced) return alone;
      else lists.push(f.items().filter(matches));
    }
    return a.rule.check(live, lists);
  };

  let firstLook = true;
  try {
    for (;;) {
      if (opts.signal?.aborted) return { outcome: 'interrupted', states };
      for (const a of pending) {
        if (!firstLook && !dirty.has(a.objectFeed) && !a.related.some((k) => dirty.has(k))) continue;
        const r = judged(() => look(a));
        if (r) record(a.key, r);
      }
      dirty.clear();
      firstLook = false;
      pending = pending.filter((a) => states.get(a.key)?.state !== 'ready');
      const outcome = settled();
      progress();
      if (outcome) return { outcome, states };
      stopUnused(feeds, pending);
      const left = opts.deadline - opts.clock.now();
      if (left <= 0) return { outcome: 'timeout', states };
      // Until a feed changes, the deadline, or the signal.
      const nap = new AbortController();
      const changed = new Promise<void>((resolve) => (wake = resolve));
      if (dirty.size) wake();
      await Promise.race([changed, opts.clock.sleep(left, opts.signal ? AbortSignal.any([opts.signal, nap.signal]) : nap.signal)]);
      nap.abort();
      wake = () => undefined;
    }
  } finally {
    for (const f of feeds.values()) f.stop();
  }
}

/**
 * A look with a rule. A plugin's rule that throws, or answers something that is not a readiness
 * (an ExtensionError naming the plugin: plugins/guard.ts), fails the object: waiting would not
 * change what the plugin says. The built-in rules' errors are bugs, and stay errors.
 */
function judged<T extends Readiness | undefined>(look: () => T): T | Readiness {
  try {
    return look();
  } catch (err) {
    if (err instanceof ExtensionError) return { state: 'failed', reason: 'ReadinessRuleFailed', message: err.message };
    throw err;
  }
}

/** The objects of the ref's kind in its namespace. */
function objectQuery(ref: ObjectRef): FeedQuery {
  return { apiVersion: ref.apiVersion, kind: ref.kind, ...(ref.namespace ? { namespace: ref.namespace } : {}) };
}

/** What a failed list says about the objects it was for. */
function problem(err: unknown): Readiness {
  const message = err instanceof Error ? err.message : String(err);
  if (transient(err)) return { state: 'progressing', message: `cannot ask the API server: ${message}` };
  return { state: 'failed', reason: err instanceof ClusterError ? err.reason : 'Error', message };
}

/** Stops the feeds no object still waited for asks for. */
function stopUnused(feeds: Map<string, WatchFeed>, pending: readonly Awaited[]): void {
  const used = new Set(pending.flatMap((a) => [a.objectFeed, ...a.related]));
  for (const [k, f] of feeds) {
    if (used.has(k)) continue;
    f.stop();
    feeds.delete(k);
  }
}
