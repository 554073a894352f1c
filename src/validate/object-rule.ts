import type { ContainerView, TraitDef } from '../expand/types.js';
import type { K8sObject } from '../k8s/types.js';
import type { AppSpec } from '../spec/types.js';

/**
 * A check of one rendered object, as the API server would make it: the last line of defence
 * behind the schema and the rules, for whatever any component type or trait (plugins included)
 * produced. One file per rule in object-rules/, one line in the table.
 */
export interface ObjectRule {
  readonly name: string;
  readonly description: string;
  check(object: K8sObject, ctx: ObjectRuleContext): ObjectProblem[];
}

export interface ObjectRuleContext {
  readonly spec: AppSpec;
  /** Pointer of the spec part that produced the object. */
  readonly pointer: string;
  /** The component the object belongs to (undefined for the Namespace). */
  readonly component: { readonly name: string; readonly pointer: string } | undefined;
  /** The containers the component declares, as written (main, init, sidecar...): to point at the one a problem is about. */
  readonly containers: readonly ContainerView[];
  /** The traits of the spec's registry, in order: to ask where they wrote a field (TraitDef.written). */
  readonly traits: readonly TraitDef[];
}

/** A problem of the object; placed at the object's source unless `pointer` says better. */
export interface ObjectProblem {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly pointer?: string;
  readonly atKey?: boolean;
}
