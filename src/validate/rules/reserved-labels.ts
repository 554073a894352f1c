import { RESERVED_LABELS } from '../../expand/labels.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

export const reservedLabels: ValidationRule = {
  name: 'reserved-labels',
  description: 'Labels kubemin uses for selectors and ownership cannot be set by hand.',
  reads: ['/metadata/labels', '/spec/components/*/labels'],
  check(app) {
    const out: PendingDiagnostic[] = [];
    const scan = (labels: Record<string, string> | undefined, pointer: string): void => {
      for (const key of Object.keys(labels ?? {})) {
        if ((RESERVED_LABELS as readonly string[]).includes(key)) {
          out.push({
            severity: 'error',
            code: 'reserved-label',
            message: `label "${key}" is set by kubemin and cannot be overridden`,
            hint: 'selectors and pruning rely on it; use another label key',
            pointer: joinPointer(pointer, key),
            atKey: true,
          });
        }
      }
    };
    scan(app.metadata.labels, '/metadata/labels');
    app.spec.components.forEach((c, i) => scan(c.labels, `/spec/components/${i}/labels`));
    return out;
  },
};
