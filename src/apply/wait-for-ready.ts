import { mapBounded } from '../cluster/bounded.js';
import { ClusterError, refKey, type ClusterClient, type ObjectRef } from '../cluster/types.js';
import type { ReadinessRule, Readiness } from '../readiness/types.js';
import type { K8sObject } from '../k8s/types.js';
import type { Clock } from './clock.js';

export type WaitOutcome = 'ready' | 'failed' | 'unschedulable' | 'timeout' | 'interrupted';

export interface WaitOptions {
  /** When to give up, in the clock's milliseconds. */
  readonly deadline: number;
  readonly pollMs: number;
  readonly concurrency: number;
  readonly clock: Clock;
  readonly ruleFor: (o: Pick<K8sObject, 'apiVersion' | 'kind'>) => ReadinessRule;
  readonly signal?: AbortSignal;
  readonly onProgress?: (ready: number, total: number, waitingFor: string | null) => void;
  /**
   * Objects as the API server returned them a moment ago (the apply's response), by refKey: the
   * first look at them uses these instead of a GET (the same object a GET would return then).
   */
  readonly known?: ReadonlyMap<string, K8sObject>;
}

export interface WaitResult {
  readonly outcome: WaitOutcome;
  /** The last readiness seen of every object, by refKey. */
  readonly states: ReadonlyMap<string, Readiness>;
}

/** Errors worth waiting out: the API server restarting or overloaded. */
function transient(err: unknown): boolean {
  return err instanceof ClusterError && (err.reason === 'Unavailable' || err.reason === 'Timeout' || (err.status ?? 0) >= 500);
}

/** One look at an object: the object, and only while it is not ready, what its rule asks for. */
async function observe(client: ClusterClient, ref: ObjectRef, rule: ReadinessRule, known: K8sObject | undefined): Promise<Readiness> {
  const live = known ?? (await client.get(ref));
  if (!live) return { state: 'progressing', message: 'not found (deleted since it was applied?)' };
  let r = rule.check(live, []);
  if (r.state !== 'ready' && rule.related) {
    const lists = await Promise.all(
      rule.related(live).map((q) =>
        client
          .list(q.apiVersion, q.kind, {
            namespace: q.namespace ?? live.metadata.namespace,
            ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}),
            ...(q.fieldSelector ? { fieldSelector: q.fieldSelector } : {}),
          })
          // Related objects only explain a wait: one the credentials may not list (a daemon's
          // RBAC without Events, say) is none, not a failure of the object.
          .catch((err: unknown) => {
            if (err instanceof ClusterError && err.reason === 'Forbidden') return [];
            throw err;
          }),
      ),
    );
    r = rule.check(live, lists);
  }
  return r;
}

/**
 * Polls the objects until all are ready (kapp and `kubectl rollout status` alike), returning at
 * once when one has failed or was refused by the scheduler instead of waiting for the deadline.
 * Ready objects are not looked at again. Transient API errors are waited out.
 */
export async function waitForReady(client: ClusterClient, refs: readonly ObjectRef[], opts: WaitOptions): Promise<WaitResult> {
  const states = new Map<string, Readiness>();
  let pending = [...refs];
  let lastReported = -1;
  let first = true;
  for (;;) {
    if (opts.signal?.aborted) return { outcome: 'interrupted', states };
    const seen = await mapBounded(pending, opts.concurrency, async (ref) => {
      try {
        return await observe(client, ref, opts.ruleFor(ref), first ? opts.known?.get(refKey(ref)) : undefined);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (transient(err)) return { state: 'progressing', message: `cannot ask the API server: ${message}` } satisfies Readiness;
        return { state: 'failed', reason: err instanceof ClusterError ? err.reason : 'Error', message } satisfies Readiness;
      }
    });
    first = false;
    seen.forEach((r, i) => {
      const key = refKey(pending[i]!);
      const before = states.get(key);
      // Keep the last failure seen (and its pod) when the newer look no longer shows it.
      states.set(key, !r.detail && before?.detail ? { ...r, detail: before.detail, ...(r.pod ? {} : before.pod ? { pod: before.pod } : {}) } : r);
    });
    if (seen.some((r) => r.state === 'failed')) return { outcome: 'failed', states };
    if (seen.some((r) => r.state === 'unschedulable')) return { outcome: 'unschedulable', states };
    pending = pending.filter((_, i) => seen[i]!.state !== 'ready');
    const readyCount = refs.length - pending.length;
    if (readyCount !== lastReported || pending.length) {
      const first = pending[0];
      opts.onProgress?.(readyCount, refs.length, first ? `${first.kind} ${first.name}: ${states.get(refKey(first))?.message ?? ''}` : null);
      lastReported = readyCount;
    }
    if (!pending.length) return { outcome: 'ready', states };
    const left = opts.deadline - opts.clock.now();
    if (left <= 0) return { outcome: 'timeout', states };
    await opts.clock.sleep(Math.min(opts.pollMs, left), opts.signal);
  }
}
