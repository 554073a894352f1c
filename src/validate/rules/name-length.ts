import type { PendingDiagnostic } from '../../expand/types.js';
import type { ValidationRule } from '../rule.js';

export const nameLength: ValidationRule = {
  name: 'name-length',
  description: "A component's name is short enough for the names Kubernetes derives from it (pods, jobs, labels).",
  reads: ['/spec/components/*/name', '/spec/components/*/type'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const max = ctx.tables.componentTypes.get(c.type)?.maxNameLength ?? 63;
      if (c.name.length > max) {
        out.push({
          severity: 'error',
          code: 'name-too-long',
          message: `component name "${c.name}" has ${c.name.length} characters; a ${c.type} name may have at most ${max}`,
          hint: 'Kubernetes derives pod, job and label names from it; shorten it',
          pointer: `/spec/components/${i}/name`,
        });
      }
    });
    return out;
  },
};
