import type { K8sObject } from '../k8s/types.js';
import { refKey, type ObjectRef } from '../k8s/object-ref.js';

/**
 * `spec.replicas` of an autoscaled workload, between kubemin and the autoscaler.
 *
 * kubemin's own apply of such a workload leaves `replicas` out, so that it never fights the
 * autoscaler. Server-side apply alone would then start it at the default, 1, and (when kubemin
 * owned the count before) drop a running workload to 1 when autoscale is added. So a second field
 * manager, `kubemin-initial`, applies `replicas` alone (a partial apply of an existing object, as
 * Kubernetes' "transferring ownership" recipe does): kubemin never owns the count, and the first
 * scale of the autoscaler (an update, which takes a field over) leaves `kubemin-initial` nothing.
 */

/** The field manager that sets only `spec.replicas` of autoscaled workloads. */
export const INITIAL_REPLICAS_MANAGER = 'kubemin-initial';

/**
 * What has to happen to `spec.replicas` around kubemin's apply of one object:
 * - `none`;
 * - `start`: the autoscaled workload is created: after kubemin's apply, `kubemin-initial` sets the
 *   autoscaler's minReplicas;
 * - `hand-over`: it exists and kubemin owns its count (applied before autoscale was added): before
 *   kubemin's apply, `kubemin-initial` takes the current count over, which then stays as it is;
 * - `take-back`: the workload sets `replicas` again (autoscale removed) while `kubemin-initial`
 *   still owns the count: `kubemin-initial` applies the new count, kubemin applies the object
 *   (sharing it), then `kubemin-initial` lets go (applying nothing).
 */
export type ReplicasStep =
  | { readonly step: 'none' }
  | { readonly step: 'start'; readonly replicas: number }
  | { readonly step: 'hand-over'; readonly replicas: number }
  | { readonly step: 'take-back'; readonly replicas: number };

/** The workloads the bundle's autoscalers scale, by refKey: their `minReplicas` (default 1). */
export function autoscaledWorkloads(objects: readonly K8sObject[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) {
    if (o.kind !== 'HorizontalPodAutoscaler' || !o.apiVersion.startsWith('autoscaling/')) continue;
    const spec = o.spec as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string }; minReplicas?: number } | undefined;
    const target = spec?.scaleTargetRef;
    if (!target?.apiVersion || !target.kind || !target.name) continue;
    const ref: ObjectRef = {
      apiVersion: target.apiVersion,
      kind: target.kind,
      name: target.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    };
    out.set(refKey(ref), spec?.minReplicas ?? 1);
  }
  return out;
}

export interface ReplicasStepOptions {
  /** The autoscaler of the bundle that scales the object starts it at this many (undefined: none does). */
  readonly minReplicas: number | undefined;
  /** kubemin's own field manager. */
  readonly fieldManager: string;
}

/** The step for `object` (as the bundle has it), given the live object (undefined: none). */
export function replicasStep(object: K8sObject, live: K8sObject | undefined, opts: ReplicasStepOptions): ReplicasStep {
  const wanted = replicasOf(object);
  if (wanted === undefined) {
    if (opts.minReplicas === undefined) return { step: 'none' };
    if (!live) return { step: 'start', replicas: opts.minReplicas };
    const current = replicasOf(live);
    return current !== undefined && ownsReplicas(live, opts.fieldManager) ? { step: 'hand-over', replicas: current } : { step: 'none' };
  }
  return live && ownsReplicas(live, INITIAL_REPLICAS_MANAGER) ? { step: 'take-back', replicas: wanted } : { step: 'none' };
}

/** The partial object `kubemin-initial` applies: `replicas` alone, or (to let go of it) nothing. */
export function replicasOnly(object: K8sObject, replicas: number | undefined): K8sObject {
  const { name, namespace } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    ...(replicas !== undefined ? { spec: { replicas } } : {}),
  };
}

/** `object` with `spec.replicas` set (for what a dry-run shows, and the take-back's first apply). */
export function withReplicas(object: K8sObject, replicas: number): K8sObject {
  // First among the fields of spec, where the API server writes it.
  const spec: Record<string, unknown> = { replicas, ...(object.spec as Record<string, unknown> | undefined) };
  spec.replicas = replicas;
  return { ...object, spec };
}

export function replicasOf(o: K8sObject): number | undefined {
  const r = (o.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof r === 'number' ? r : undefined;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsV1?: { 'f:spec'?: Record<string, unknown> };
}

/** Whether `manager`, applying (server-side apply), owns `spec.replicas` of the live object. */
function ownsReplicas(live: K8sObject, manager: string): boolean {
  const entries = (live.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? [];
  return entries.some((e) => e.manager === manager && e.operation === 'Apply' && e.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined);
}
