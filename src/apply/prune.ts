import { mapBounded } from '../cluster/bounded.js';
import { FIELD_MANAGER } from '../cluster/server-side-apply.js';
import { type ClusterClient } from '../cluster/types.js';
import { DEFAULT_OBJECT_CONCURRENCY } from '../defaults.js';
import type { InventoryEntry } from '../inventory/inventory.js';
import type { K8sObject } from '../k8s/types.js';
import { kindRank } from '../plan/kind-order.js';
import type { PruneResult } from './types.js';

/** Whether kubemin applied (server-side, as its field manager) this object. */
export function appliedByKubemin(o: K8sObject): boolean {
  const fields = (o.metadata as { managedFields?: Array<{ manager?: string; operation?: string }> }).managedFields ?? [];
  return fields.some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply');
}

/** Prune order: later phases first, and within a phase the reverse of the apply order. */
export function pruneOrder(a: InventoryEntry, b: InventoryEntry): number {
  return (
    (b.phase ?? 0) - (a.phase ?? 0) ||
    kindRank(b.kind) - kindRank(a.kind) ||
    (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/**
 * Deletes objects kubemin applied that the bundle no longer has, in reverse phase order (one
 * phase's objects at a time, `concurrency` at once). Never deletes what kubemin did not apply
 * (no `kubemin` apply in its managedFields), nor Namespaces (that would delete everything in
 * them). Deletes with a uid precondition, so an object recreated meanwhile is left alone.
 */
export async function pruneObjects(
  client: ClusterClient,
  entries: readonly InventoryEntry[],
  concurrency = DEFAULT_OBJECT_CONCURRENCY,
): Promise<PruneResult[]> {
  const sorted = [...entries].sort(pruneOrder);
  const out: PruneResult[] = [];
  for (const phase of [...new Set(sorted.map((e) => e.phase ?? 0))]) {
    const batch = sorted.filter((e) => (e.phase ?? 0) === phase);
    out.push(...(await mapBounded(batch, concurrency, (e) => pruneOne(client, e))));
  }
  return out;
}

async function pruneOne(client: ClusterClient, entry: InventoryEntry): Promise<PruneResult> {
  const ref = { apiVersion: entry.apiVersion, kind: entry.kind, ...(entry.namespace ? { namespace: entry.namespace } : {}), name: entry.name };
  try {
    const live = await client.get(ref);
    if (!live) return { ref, action: 'gone' };
    if (entry.kind === 'Namespace') {
      return {
        ref,
        action: 'kept',
        reason: 'a Namespace is never pruned: deleting it deletes everything in it; delete it by hand when it is no longer needed',
      };
    }
    if (!appliedByKubemin(live)) return { ref, action: 'kept', reason: 'not applied by kubemin (it has no kubemin field manager): left alone' };
    const uid = (live.metadata as { uid?: string }).uid;
    const deleted = await client.delete(ref, { propagationPolicy: 'Background', ...(uid ? { uid } : {}) });
    return { ref, action: deleted ? 'deleted' : 'gone' };
  } catch (err) {
    return { ref, action: 'failed', reason: `could not be deleted: ${err instanceof Error ? err.message : String(err)}` };
  }
}
