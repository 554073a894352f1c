import type { K8sObject } from '../k8s/types.js';
import type { Labels } from '../k8s/types.js';

export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}

/** The object's status, as a loose record. */
export function statusOf(o: K8sObject): Record<string, any> {
  return (o.status as Record<string, any> | undefined) ?? {};
}

export function specOf(o: K8sObject): Record<string, any> {
  return (o.spec as Record<string, any> | undefined) ?? {};
}

export function condition(o: K8sObject, type: string): Condition | undefined {
  const list = (statusOf(o).conditions as Condition[] | undefined) ?? [];
  return list.find((c) => c.type === type);
}

/**
 * The controller has not seen the latest spec yet. For kinds whose controller may not report
 * observedGeneration at all (`whenReported`), only a reported one that lags counts.
 */
export function generationPending(o: K8sObject, opts: { whenReported?: boolean } = {}): boolean {
  const generation = (o.metadata as { generation?: number }).generation;
  const observed = statusOf(o).observedGeneration as number | undefined;
  if (observed === undefined) return generation !== undefined && !opts.whenReported;
  return generation !== undefined && observed < generation;
}

/** `a=b,c=d` from matchLabels; undefined when there are none (kubemin's selectors always have some). */
export function labelSelector(matchLabels: Labels | undefined): string | undefined {
  const entries = Object.entries(matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

/** `3 of 5` */
export function ofCount(have: number | undefined, want: number): string {
  return `${have ?? 0} of ${want}`;
}
