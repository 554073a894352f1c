import type { K8sObject } from '../k8s/types.js';
import { condition } from './conditions.js';
import type { Readiness, RelatedQuery } from './types.js';

/**
 * Pods a controller cannot create: the API server refused them at admission (PodSecurity, an
 * admission webhook or policy, a LimitRange), which waiting will not change; or it cannot create
 * them yet (a quota, a ServiceAccount not there yet), which it may.
 */

/** Refusals that go away by themselves: waited for, quoted while waiting. */
const PASSING = [
  /exceeded quota/i,
  /error looking up service account/i,
  /serviceaccounts? "[^"]*" not found/i,
  /being terminated/i,
  /unable to create new content in namespace/i,
];
/** How the API server says no: forbidden at admission, or denied by a webhook or policy. */
const REFUSED = [/is forbidden/i, /denied the request/i, /denied request/i];

export type CreationVerdict = 'refused' | 'passing';

export function creationVerdict(message: string): CreationVerdict {
  return REFUSED.some((r) => r.test(message)) && !PASSING.some((r) => r.test(message)) ? 'refused' : 'passing';
}

/** The failure, with what to do about a Pod Security refusal (the namespace is stricter than the spec). */
function refusal(message: string): Readiness {
  const podSecurity = /violates PodSecurity/.test(message)
    ? " (the namespace enforces a stricter Pod Security level than the component's podSecurity: meet it, or lower the namespace's pod-security.kubernetes.io/enforce label)"
    : '';
  return { state: 'failed', reason: 'FailedCreate', message: `its pods are refused: ${message}${podSecurity}` };
}

/** A Deployment's ReplicaSet that reports its pods refused (condition ReplicaFailure, reason FailedCreate). */
export function replicaSetCreation(rs: K8sObject | undefined): { refused?: Readiness; passing?: string } {
  const failure = rs ? condition(rs, 'ReplicaFailure') : undefined;
  if (failure?.status !== 'True' || !failure.message) return {};
  return creationVerdict(failure.message) === 'refused' ? { refused: refusal(failure.message) } : { passing: failure.message };
}

/** The FailedCreate events of the object itself (by uid when it has one), for related(). */
export function failedCreateEvents(o: K8sObject): RelatedQuery {
  const uid = (o.metadata as { uid?: string }).uid;
  const subject = uid ? `involvedObject.uid=${uid}` : `involvedObject.kind=${o.kind},involvedObject.name=${o.metadata.name}`;
  return { apiVersion: 'v1', kind: 'Event', fieldSelector: `${subject},reason=FailedCreate` };
}

/**
 * The latest FailedCreate event of a StatefulSet, Job or DaemonSet, when it is current: seen at
 * or after the object's spec last changed (managedFields), and after every pod of it that exists
 * (a pod created since means creating works again).
 */
export function eventCreation(o: K8sObject, events: readonly K8sObject[], pods: readonly K8sObject[]): { refused?: Readiness; passing?: string } {
  const changed = lastSpecChange(o);
  const newestPod = Math.max(0, ...pods.map((p) => timeOf((p.metadata as { creationTimestamp?: string }).creationTimestamp)));
  const current = events
    .map((e) => ({ e, at: eventTime(e) }))
    .filter(({ at }) => at >= changed && at >= newestPod)
    .sort((a, b) => b.at - a.at || (a.e.metadata.name < b.e.metadata.name ? -1 : 1))[0];
  const message = current?.e.message;
  if (typeof message !== 'string' || !message) return {};
  // The controllers' words around the API server's: "Error creating: ...", "create Pod db-0 in StatefulSet db failed error: ...".
  const quoted = message
    .replace(/^\(combined from similar events\): /, '')
    .replace(/^Error creating: /, '')
    .replace(/^create Pod \S+ in StatefulSet \S+ failed error: /i, '');
  return creationVerdict(quoted) === 'refused' ? { refused: refusal(quoted) } : { passing: quoted };
}

function timeOf(s: unknown): number {
  const t = typeof s === 'string' ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** When the event was last seen (core/v1 Event: series, lastTimestamp, eventTime, creation). */
function eventTime(e: K8sObject): number {
  const ev = e as K8sObject & { series?: { lastObservedTime?: string }; lastTimestamp?: string; eventTime?: string };
  return (
    timeOf(ev.series?.lastObservedTime) ||
    timeOf(ev.lastTimestamp) ||
    timeOf(ev.eventTime) ||
    timeOf((e.metadata as { creationTimestamp?: string }).creationTimestamp)
  );
}

/** The last time anyone but a controller's status writer changed the object (seconds, from managedFields). */
function lastSpecChange(o: K8sObject): number {
  const fields = (o.metadata as { managedFields?: Array<{ subresource?: string; time?: string }> }).managedFields ?? [];
  return Math.max(0, ...fields.filter((f) => f.subresource !== 'status').map((f) => timeOf(f.time)));
}

/** `waiting`, with why pods cannot be created yet, when that is known. */
export function waitingFor(waiting: string, passing: string | undefined): string {
  return passing ? `${waiting}; pods cannot be created yet: ${passing}` : waiting;
}
