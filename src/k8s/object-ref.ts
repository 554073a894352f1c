import type { K8sObject } from './types.js';

/** What identifies an object in the cluster. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function refOf(o: Pick<K8sObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
  };
}

/**
 * The one key of an object's identity in kubemin: group (not version: apps/v1 and apps/v1beta1 name
 * the same object), kind, namespace, name.
 */
export function refKey(r: ObjectRef): string {
  const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.indexOf('/')) : '';
  return `${group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects), the one way diffs and errors name an object. */
export function formatRef(r: ObjectRef): string {
  return r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

/** A problem with one object, as diff, apply and status reports say it. */
export interface ObjectProblemParts {
  readonly ref: ObjectRef;
  /** `file:line` of the spec part that produced the object. */
  readonly source?: string | null;
  readonly component?: string | null;
  readonly reason?: string;
  readonly message: string;
  /** `namespace/name` of the pod it was seen on. */
  readonly pod?: string;
}

/** `Kind namespace/name (kubemin.yaml:12, component web): Reason: message [pod ns/name]`: the one way a problem about an object is written. */
export function formatObjectProblem(p: ObjectProblemParts): string {
  const from = [p.source, p.component ? `component ${p.component}` : null].filter(Boolean).join(', ');
  return `${formatRef(p.ref)}${from ? ` (${from})` : ''}: ${p.reason ? `${p.reason}: ` : ''}${p.message}${p.pod ? ` [pod ${p.pod}]` : ''}`;
}
