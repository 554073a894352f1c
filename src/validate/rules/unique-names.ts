import type { PendingDiagnostic } from '../../expand/types.js';
import type { ValidationRule } from '../rule.js';

export const uniqueNames: ValidationRule = {
  name: 'unique-names',
  description: 'Component names and workflow step names are unique within an application.',
  reads: ['/spec/components/*/name', '/spec/workflow/steps/*/name'],
  check(app) {
    return [
      ...duplicates(
        app.spec.components.map((c) => c.name),
        (i) => `/spec/components/${i}/name`,
        'component',
      ),
      ...duplicates(
        (app.spec.workflow?.steps ?? []).map((s) => s.name),
        (i) => `/spec/workflow/steps/${i}/name`,
        'step',
      ),
    ];
  },
};

function duplicates(names: string[], pointer: (i: number) => string, what: string): PendingDiagnostic[] {
  const first = new Map<string, number>();
  const out: PendingDiagnostic[] = [];
  names.forEach((name, i) => {
    const prev = first.get(name);
    if (prev === undefined) {
      first.set(name, i);
      return;
    }
    out.push({
      severity: 'error',
      code: `duplicate-${what}`,
      message: `a second ${what} is named "${name}"`,
      hint: `${what} names must be unique in an application`,
      pointer: pointer(i),
      related: [{ message: `first ${what} "${name}"`, pointer: pointer(prev) }],
    });
  });
  return out;
}
