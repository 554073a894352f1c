import { isDeepStrictEqual } from 'node:util';
import { normalizeObject } from '../diff/normalize.js';
import type { K8sObject } from '../k8s/types.js';
import { INITIAL_REPLICAS_MANAGER, replicasOf, replicasOnly, replicasStep, withReplicas } from './replicas-handover.js';
import { ClusterError, type ClusterClient } from './types.js';
import { refOf } from '../k8s/object-ref.js';

/** The field manager kubemin applies as (diff, apply and the watch daemon alike). */
export const FIELD_MANAGER = 'kubemin';

/** What an apply did to one object (kapp and Flux's ssa call these the same). */
export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ServerSideApplyResult {
  readonly action: ApplyAction;
  /** The object before; undefined when it did not exist. */
  readonly live: K8sObject | undefined;
  /** What the server returned: the object after (or, with dryRun, as it would be). */
  readonly result: K8sObject;
  /** With `conflicts: 'report'`: the server's conflict message (the fields were then taken over, in a dry-run). */
  readonly conflict?: string;
}

export interface ServerSideApplyOptions {
  readonly dryRun: boolean;
  /**
   * Fields owned by another field manager: `fail` (a ClusterError with reason Conflict), `force`
   * (take them over), or `report` (take them over and say so in `conflict`: for dry-runs).
   */
  readonly conflicts: 'fail' | 'force' | 'report';
  /**
   * The object is a workload that an autoscaler of the bundle scales from this many replicas:
   * created at that count, and its count never owned by kubemin (replicas-handover.ts).
   */
  readonly minReplicas?: number;
  /**
   * The live object as already read (e.g. by a LIST, live-objects.ts; `object` undefined: there
   * is none): no GET is sent.
   */
  readonly live?: { readonly object: K8sObject | undefined };
}

/**
 * Server-side apply of one object as `kubemin`, and what it changed: two requests, the live
 * object and the apply, or one when the live object is given (`live`) (a third, forced, only after a reported conflict). An autoscaled workload
 * takes one more apply (of `replicas` alone, as `kubemin-initial`) when it is created or its count
 * is handed over, two when its count is taken back (replicas-handover.ts); a dry-run never does,
 * and shows the count those applies would leave. Unchanged means the object after equals the
 * object before, server bookkeeping (managedFields, resourceVersion, status...) aside.
 */
export async function serverSideApply(client: ClusterClient, object: K8sObject, opts: ServerSideApplyOptions): Promise<ServerSideApplyResult> {
  const live = opts.live ? opts.live.object : await client.get(refOf(object));
  const replicas = replicasStep(object, live, { minReplicas: opts.minReplicas, fieldManager: FIELD_MANAGER });
  // A dry-run of a take-back applies the live count (kubemin-initial's: no conflict with it), then shows the new one.
  const sent = opts.dryRun && replicas.step === 'take-back' && live ? withReplicas(object, replicasOf(live) ?? replicas.replicas) : object;
  const apply = (force: boolean) => client.apply(sent, { fieldManager: FIELD_MANAGER, force, dryRun: opts.dryRun });
  const real = !opts.dryRun;
  if (real && (replicas.step === 'hand-over' || replicas.step === 'take-back')) await applyInitialReplicas(client, object, replicas.replicas);
  let result: K8sObject;
  let conflict: string | undefined;
  try {
    result = await apply(opts.conflicts === 'force');
  } catch (err) {
    if (opts.conflicts !== 'report' || !(err instanceof ClusterError) || err.reason !== 'Conflict') throw err;
    conflict = err.message;
    result = await apply(true);
  }
  if (real && replicas.step === 'start') result = (await applyInitialReplicas(client, object, replicas.replicas)) ?? result;
  if (real && replicas.step === 'take-back') result = (await applyInitialReplicas(client, object, undefined)) ?? result;
  if (!real && replicas.step !== 'none') result = withReplicas(result, replicas.replicas);
  const action: ApplyAction = !live ? 'created' : isDeepStrictEqual(normalizeObject(live), normalizeObject(result)) ? 'unchanged' : 'configured';
  return { action, live, result, ...(conflict !== undefined ? { conflict } : {}) };
}

/**
 * `replicas` alone (undefined: nothing, letting go of it) applied as `kubemin-initial`, never
 * forced: a count another manager (the autoscaler) owns is left to it. Returns the object after,
 * or undefined after such a conflict.
 */
async function applyInitialReplicas(client: ClusterClient, object: K8sObject, replicas: number | undefined): Promise<K8sObject | undefined> {
  try {
    return await client.apply(replicasOnly(object, replicas), { fieldManager: INITIAL_REPLICAS_MANAGER, force: false, dryRun: false });
  } catch (err) {
    if (err instanceof ClusterError && err.reason === 'Conflict') return undefined;
    throw err;
  }
}
