import type { PendingDiagnostic } from '../../expand/types.js';
import type { NodeExpression, PlacementSpec, Toleration } from '../../expand/traits/placement.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

/**
 * What the API server requires of node affinity expressions and tolerations
 * (ValidateNodeSelectorRequirement, validateTolerations), checked where they are written.
 */
export const placement: ValidationRule = {
  name: 'placement',
  description: 'Node affinity expressions have values exactly when their operator takes them; tolerations are what Kubernetes accepts.',
  reads: ['/spec/components/*/traits/placement'],
  check(app) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const p = c.traits?.placement as PlacementSpec | undefined;
      if (!p) return;
      const at = `/spec/components/${i}/traits/placement`;
      p.nodeAffinity?.required?.forEach((e, j) => out.push(...checkExpression(e, joinPointer(at, 'nodeAffinity', 'required', j))));
      p.nodeAffinity?.preferred?.forEach((e, j) => out.push(...checkExpression(e, joinPointer(at, 'nodeAffinity', 'preferred', j))));
      p.tolerations?.forEach((t, j) => out.push(...checkToleration(t, joinPointer(at, 'tolerations', j))));
    });
    return out;
  },
};

function checkExpression(e: NodeExpression, pointer: string): PendingDiagnostic[] {
  const takesValues = e.operator === 'In' || e.operator === 'NotIn';
  if (takesValues && !e.values) {
    return [
      {
        severity: 'error',
        code: 'affinity-values',
        message: `operator ${e.operator} needs values`,
        hint: `list the values of ${e.key} to match, e.g. values: [a, b]`,
        pointer: joinPointer(pointer, 'operator'),
      },
    ];
  }
  if (!takesValues && e.values) {
    return [
      {
        severity: 'error',
        code: 'affinity-values',
        message: `operator ${e.operator} takes no values`,
        hint: `${e.operator} only asks whether the node has the label ${e.key}: remove values, or use In or NotIn`,
        pointer: joinPointer(pointer, 'values'),
        atKey: true,
      },
    ];
  }
  return [];
}

function checkToleration(t: Toleration, pointer: string): PendingDiagnostic[] {
  const out: PendingDiagnostic[] = [];
  const exists = t.operator === 'Exists';
  if (exists && t.value !== undefined && t.value !== '') {
    out.push({
      severity: 'error',
      code: 'toleration',
      message: 'a toleration with operator Exists takes no value',
      hint: 'Exists tolerates the taint whatever its value: remove value, or use operator Equal',
      pointer: joinPointer(pointer, 'value'),
      atKey: true,
    });
  }
  if ((t.key === undefined || t.key === '') && !exists) {
    out.push({
      severity: 'error',
      code: 'toleration',
      message: 'a toleration without a key must have operator Exists (it then tolerates every taint)',
      hint: "name the taint's key, or write operator: Exists to tolerate every taint",
      pointer,
    });
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    out.push({
      severity: 'error',
      code: 'toleration',
      message: `tolerationSeconds needs effect NoExecute${t.effect ? `, not ${t.effect}` : ''}`,
      hint: 'it says how long the pod stays on a node after a NoExecute taint appears; other effects never evict',
      pointer: joinPointer(pointer, 'tolerationSeconds'),
      atKey: true,
    });
  }
  return out;
}
