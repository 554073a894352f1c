import type { K8sObject } from '../../k8s/types.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { ComponentSpec } from '../../spec/types.js';
import type { ComponentContext, TraitDef } from '../types.js';

/** An integer or a percentage such as "50%", as PodDisruptionBudget takes them. */
export type IntOrPercent = number | string;

export interface DisruptionBudgetSpec {
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
  unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
}

/** `false`: no budget, not even the default one. */
export type DisruptionBudgetValue = DisruptionBudgetSpec | false;

/**
 * What a replicated webservice or store gets without the trait: one pod at a time may be
 * evicted by a drain, as `kubectl drain` and the cluster autoscaler respect.
 */
export const DEFAULT_BUDGET: DisruptionBudgetSpec = { maxUnavailable: 1 };

/**
 * AlwaysAllow: pods that are not Ready may be evicted even when the budget is spent, so an app
 * that crash-loops never blocks a drain (Kubernetes' recommendation since 1.31).
 */
const DEFAULT_UNHEALTHY_POD_EVICTION_POLICY = 'AlwaysAllow';

const intOrPercent = (what: string): JsonSchema => ({
  type: ['integer', 'string'],
  minimum: 0,
  pattern: '^(100|[1-9]?[0-9])%$',
  patternErrorMessage: 'must be a whole percentage from 0% to 100%, e.g. "50%"',
  description: `${what}: a number of pods, or a percentage of the replicas such as "50%".`,
});

const schema: JsonSchema = {
  type: ['object', 'boolean'],
  description:
    'A PodDisruptionBudget for the pods: {minAvailable} or {maxUnavailable}, or false for none. Replicated webservices and stores get {maxUnavailable: 1} without it.',
  if: { type: 'boolean' },
  then: { const: false, errorMessage: 'must be a mapping ({maxUnavailable: 1} or {minAvailable: ...}), or false for no budget' },
  else: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      minAvailable: intOrPercent('Pods that must stay available during a drain'),
      maxUnavailable: intOrPercent('Pods a drain may evict at once'),
      unhealthyPodEvictionPolicy: {
        enum: ['AlwaysAllow', 'IfHealthyBudget'],
        description: 'Default AlwaysAllow: pods that are not Ready may always be evicted, so a crash-looping app never blocks a drain.',
      },
    },
  },
};

export const disruptionBudget: TraitDef<DisruptionBudgetValue> = {
  name: 'disruptionBudget',
  description:
    'A PodDisruptionBudget <component> (policy/v1) limiting how many pods a drain may evict at once: {maxUnavailable} or {minAvailable}, or false for none. A budget that would block every drain is refused.',
  scope: 'pod',
  requires: ['scalable'],
  schema,
  apply(b, ctx) {
    if (b === false) return {};
    return { objects: [{ object: budgetObject(ctx.component, b), pointer: ctx.pointer }] };
  },
};

/** The PodDisruptionBudget `<component>` over the component's pods. */
export function budgetObject(ctx: ComponentContext, b: DisruptionBudgetSpec): K8sObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: ctx.meta(ctx.component.name),
    spec: {
      ...(b.minAvailable !== undefined ? { minAvailable: b.minAvailable } : {}),
      ...(b.maxUnavailable !== undefined ? { maxUnavailable: b.maxUnavailable } : {}),
      selector: { matchLabels: { ...ctx.selector } },
      unhealthyPodEvictionPolicy: b.unhealthyPodEvictionPolicy ?? DEFAULT_UNHEALTHY_POD_EVICTION_POLICY,
    },
  };
}

/** The fewest pods the component runs: its replicas, or an autoscaler's minReplicas (which defaults to replicas, else 1). */
export function fewestReplicas(c: Pick<ComponentSpec, 'replicas' | 'traits'>): number {
  const autoscale = c.traits?.autoscale as { minReplicas?: number } | undefined;
  if (autoscale) return autoscale.minReplicas ?? Math.max(1, c.replicas ?? 1);
  return c.replicas ?? 1;
}
