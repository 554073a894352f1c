import type { PendingDiagnostic } from '../../expand/types.js';
import { fewestReplicas, type DisruptionBudgetValue, type IntOrPercent } from '../../expand/traits/disruption-budget.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ComponentSpec } from '../../spec/types.js';
import type { ValidationRule } from '../rule.js';

/**
 * A PodDisruptionBudget must never block every drain: `kubectl drain` and the cluster autoscaler
 * would wait forever for a node holding one of its pods. Kubernetes scales percentages up (a
 * budget of "50%" of 3 pods keeps 2). The fewest pods the component runs count: its replicas, or
 * its autoscaler's minReplicas, where it may stay for days.
 */
export const disruptionBudgets: ValidationRule = {
  name: 'disruption-budgets',
  description: 'A disruption budget sets minAvailable or maxUnavailable, and always lets a drain evict at least one pod.',
  reads: ['/spec/components/*/replicas', '/spec/components/*/traits/autoscale', '/spec/components/*/traits/disruptionBudget'],
  check(app) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const b = c.traits?.disruptionBudget as DisruptionBudgetValue | undefined;
      if (b === undefined || b === false) return;
      const at = `/spec/components/${i}/traits/disruptionBudget`;
      if (b.minAvailable !== undefined && b.maxUnavailable !== undefined) {
        out.push({
          severity: 'error',
          code: 'disruption-budget',
          message: 'a disruption budget sets minAvailable or maxUnavailable, not both',
          hint: 'keep one: maxUnavailable (pods a drain may evict at once) follows the replicas as they change',
          pointer: joinPointer(at, 'maxUnavailable'),
          atKey: true,
        });
        return;
      }
      if (b.minAvailable === undefined && b.maxUnavailable === undefined) {
        out.push({
          severity: 'error',
          code: 'disruption-budget',
          message: 'a disruption budget needs minAvailable or maxUnavailable',
          hint: 'e.g. maxUnavailable: 1',
          pointer: at,
        });
        return;
      }
      out.push(...checkBlocking(c, i, b.minAvailable, b.maxUnavailable, at));
    });
    return out;
  },
};

function checkBlocking(
  c: ComponentSpec,
  i: number,
  minAvailable: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  at: string,
): PendingDiagnostic[] {
  const fewest = fewestReplicas(c);
  const autoscale = c.traits?.autoscale as { minReplicas?: number } | undefined;
  const component = `/spec/components/${i}`;
  const countAt = autoscale
    ? joinPointer(component, 'traits', 'autoscale', ...(autoscale.minReplicas !== undefined ? ['minReplicas'] : []))
    : c.replicas !== undefined
      ? joinPointer(component, 'replicas')
      : component;
  const count = `${fewest} ${fewest === 1 ? 'pod' : 'pods'}`;
  const why = autoscale ? " at the autoscaler's minReplicas" : c.replicas === undefined ? ' (replicas defaults to 1)' : '';
  const related = [{ message: `the component runs ${count}${why}`, pointer: countAt }];
  const field = minAvailable !== undefined ? 'minAvailable' : 'maxUnavailable';
  const value = (minAvailable ?? maxUnavailable)!;
  const pointer = joinPointer(at, field);
  // Pods a drain may evict at once, as the disruption controller computes it (percentages round up).
  const scaled = (v: IntOrPercent): number => (typeof v === 'number' ? v : Math.ceil((fewest * Number(v.slice(0, -1))) / 100));
  const evictable = minAvailable !== undefined ? fewest - scaled(minAvailable) : scaled(maxUnavailable!);
  if (evictable <= 0 && fewest > 0) {
    return [
      {
        severity: 'error',
        code: 'disruption-budget-blocks',
        message: `${field}: ${JSON.stringify(value)} with ${count} blocks every drain: no pod could ever be evicted`,
        hint:
          fewest >= 2
            ? 'use maxUnavailable: 1, or a minAvailable below the replicas'
            : 'run 2 or more replicas, or remove the budget (disruptionBudget: false)',
        pointer,
        related,
      },
    ];
  }
  if (fewest <= 1) {
    return [
      {
        severity: 'warning',
        code: 'disruption-budget-single',
        message: `a disruption budget over ${count} protects nothing: a drain may evict it (${field}: ${JSON.stringify(value)})`,
        hint: 'run 2 or more replicas for the budget to keep one serving during a drain, or remove it',
        pointer,
        related,
      },
    ];
  }
  return [];
}
