import { isDeepStrictEqual } from 'node:util';
import { normalizeObject } from '../diff/normalize.js';
import type { K8sObject } from '../k8s/types.js';
import { ClusterError, refOf, type ClusterClient } from './types.js';

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
}

/**
 * Server-side apply of one object as `kubemin`, and what it changed: two requests, the live
 * object and the apply (a third, forced, only after a reported conflict). Unchanged means the object after equals the object before, server
 * bookkeeping (managedFields, resourceVersion, status...) aside.
 */
export async function serverSideApply(client: ClusterClient, object: K8sObject, opts: ServerSideApplyOptions): Promise<ServerSideApplyResult> {
  const live = await client.get(refOf(object));
  const apply = (force: boolean) => client.apply(object, { fieldManager: FIELD_MANAGER, force, dryRun: opts.dryRun });
  let result: K8sObject;
  let conflict: string | undefined;
  try {
    result = await apply(opts.conflicts === 'force');
  } catch (err) {
    if (opts.conflicts !== 'report' || !(err instanceof ClusterError) || err.reason !== 'Conflict') throw err;
    conflict = err.message;
    result = await apply(true);
  }
  const action: ApplyAction = !live ? 'created' : isDeepStrictEqual(normalizeObject(live), normalizeObject(result)) ? 'unchanged' : 'configured';
  return { action, live, result, ...(conflict !== undefined ? { conflict } : {}) };
}
