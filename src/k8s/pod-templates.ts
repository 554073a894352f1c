import type { K8sObject } from './types.js';

/** A pod spec inside an object: a Pod's own, or a workload's template. */
export interface PodTemplateAt {
  /** Path of the pod spec in the object, e.g. ['spec', 'template', 'spec']. */
  readonly path: readonly string[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: Record<string, unknown>;
}

/** Where each kind that makes pods keeps its pod (metadata beside spec), by `group/Kind`. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  '/Pod': [],
  '/PodTemplate': ['template'],
  '/ReplicationController': ['spec', 'template'],
  'apps/Deployment': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod an object makes, if it is one of the kinds that do (whoever produced it: a component type, a plugin, a patch). */
export function podTemplateOf(object: K8sObject): PodTemplateAt | undefined {
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  const base = TEMPLATE_PATHS[`${group}/${object.kind}`];
  if (!base) return undefined;
  let node: unknown = object;
  for (const key of base) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  if (node === null || typeof node !== 'object') return undefined;
  const holder = node as { metadata?: { annotations?: Record<string, string> }; spec?: unknown };
  if (holder.spec === null || typeof holder.spec !== 'object') return undefined;
  return { path: [...base, 'spec'], annotations: holder.metadata?.annotations ?? {}, spec: holder.spec as Record<string, unknown> };
}
