import type { ExpandedObject } from '../expand-app.js';
import { budgetObject, DEFAULT_BUDGET, fewestReplicas } from '../traits/disruption-budget.js';
import type { AppObjectsDef } from './types.js';

/**
 * A replicated component that serves (a webservice or a store: scalable, behind a Service) gets
 * the PodDisruptionBudget {maxUnavailable: 1} unless its `disruptionBudget` trait says otherwise
 * (false: none). Only with at least 2 pods at all times (replicas, or an autoscaler's
 * minReplicas): a budget over one pod would either block every drain or protect nothing.
 */
export const defaultDisruptionBudgets: AppObjectsDef = {
  name: 'default-disruption-budgets',
  description: 'PodDisruptionBudget {maxUnavailable: 1} for webservices and stores that always run 2 or more pods.',
  derive({ components }) {
    const objects: ExpandedObject[] = [];
    for (const { ctx } of components) {
      const caps = ctx.type.capabilities;
      if (!caps.podTemplate || !caps.scalable || !caps.service) continue;
      if (ctx.component.traits?.disruptionBudget !== undefined) continue;
      if (fewestReplicas(ctx.component) < 2) continue;
      objects.push({ object: budgetObject(ctx, DEFAULT_BUDGET), component: ctx.component.name, pointer: ctx.pointer });
    }
    return { objects };
  },
};
