import type { K8sObject } from '../k8s/types.js';

/**
 * Where an object stands while kubemin waits for it:
 * - `ready`: done, the next phase may start;
 * - `progressing`: not yet, keep waiting (the message says what for);
 * - `failed`: it ran and failed (a crash loop, an image that does not pull, a Job over its
 *   backoffLimit): waiting longer will not help;
 * - `unschedulable`: refused by the scheduler (e.g. not enough GPUs): it never ran.
 */
export type ReadinessState = 'ready' | 'progressing' | 'failed' | 'unschedulable';

export interface Readiness {
  readonly state: ReadinessState;
  /** A short machine-readable cause for failed and unschedulable, e.g. `ImagePullBackOff`. */
  readonly reason?: string;
  /** For people: what is awaited, or why it failed (quoting the cluster). */
  readonly message: string;
  /** The pod the cause was seen on, `namespace/name`. */
  readonly pod?: string;
  /**
   * The last failure seen along the way (e.g. a container's exit), kept by the waiter across
   * looks: a Job's pods are gone by the time it is Failed.
   */
  readonly detail?: string;
}

/** The message with its detail: what reports print. */
export function describeReadiness(r: Readiness): string {
  return r.detail ? `${r.message}; last failure: ${r.detail}` : r.message;
}

/** A query for objects related to the one awaited (its pods, its ReplicaSets), run by the waiter. */
export interface RelatedQuery {
  readonly apiVersion: string;
  readonly kind: string;
  /** Namespace of the query; default: the object's own. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

/**
 * How to tell that objects of some kinds are ready: one rule per file, in the table of
 * readiness/index.ts (as kapp's resourcesmisc), the built-in plugin's entries of the plugin API's
 * `readiness` table, which a plugin extends for the kinds of its CRDs. `check` is pure; what it
 * needs beyond the object itself it asks for with `related`, which the waiter lists only while
 * the object is not ready.
 */
export interface ReadinessRule {
  /** Unique in the table: `deployment`. */
  readonly name: string;
  /** For people (`kubemin plugins`): when objects of its kinds are ready. */
  readonly description: string;
  /** `group/Kind`, the core group as the empty string: `apps/Deployment`, `/Service`. Each kind has one rule. */
  readonly kinds: readonly string[];
  related?(object: K8sObject): RelatedQuery[];
  /** `related` holds the results of `related(object)`, in the same order. */
  check(object: K8sObject, related: readonly (readonly K8sObject[])[]): Readiness;
}

export const ready = (message = 'ready'): Readiness => ({ state: 'ready', message });
export const progressing = (message: string): Readiness => ({ state: 'progressing', message });
export const failed = (reason: string, message: string, pod?: string): Readiness => ({ state: 'failed', reason, message, ...(pod ? { pod } : {}) });
