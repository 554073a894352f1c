import type { K8sObject } from '../k8s/types.js';

/** Metadata the server owns: never part of what kubemin asks for, so never part of a diff. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'] as const;

/** Annotations written by other tools or controllers (and, for kubectl, holding whole objects). */
const FOREIGN_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

/**
 * An object as a diff should see it: without server bookkeeping and status. Server-set defaults
 * stay: they are present on both sides of an update (the dry-run result and the live object), so
 * they never show as a change.
 */
export function normalizeObject(o: K8sObject): K8sObject {
  const { status: _status, metadata, ...rest } = o as K8sObject & { status?: unknown };
  const meta: Record<string, unknown> = { ...metadata };
  for (const k of SERVER_METADATA) delete meta[k];
  const annotations = { ...(metadata.annotations ?? {}) };
  for (const a of FOREIGN_ANNOTATIONS) delete annotations[a];
  if (Object.keys(annotations).length) meta.annotations = annotations;
  else delete meta.annotations;
  return { ...rest, metadata: meta as unknown as K8sObject['metadata'] } as K8sObject;
}

/** Labels the server derives from an object's uid (the Job controller's, on its selector and pod template). */
const UID_LABELS = new Set(['controller-uid', 'batch.kubernetes.io/controller-uid']);

/**
 * For comparing one object with another (a Job replaced by one under a new name): without the
 * labels derived from each one's uid, which differ between any two objects and say nothing about
 * what changed.
 */
export function withoutUidLabels(o: K8sObject): K8sObject {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v === null || typeof v !== 'object') return v;
    const labels = key === 'labels' || key === 'matchLabels';
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!(labels && UID_LABELS.has(k))) out[k] = walk(x, k);
    return out;
  };
  return walk(o) as K8sObject;
}
