import type { ExpandedObject } from '../expand/expand-app.js';
import type { PendingDiagnostic } from '../expand/types.js';
import type { AppSpec } from '../spec/types.js';
import type { ObjectRule } from './object-rule.js';
import { builtinObjectRules } from './object-rules/index.js';

/** Checks every rendered object of an application with the object rules; problems are errors at their source. */
export function checkObjects(spec: AppSpec, objects: readonly ExpandedObject[], rules: readonly ObjectRule[] = builtinObjectRules): PendingDiagnostic[] {
  const components = new Map(spec.spec.components.map((c, i) => [c.name, `/spec/components/${i}`]));
  const out: PendingDiagnostic[] = [];
  for (const o of objects) {
    const componentPointer = o.component === undefined ? undefined : components.get(o.component);
    const ctx = {
      spec,
      pointer: o.pointer,
      component: o.component !== undefined && componentPointer !== undefined ? { name: o.component, pointer: componentPointer } : undefined,
    };
    for (const rule of rules) {
      for (const p of rule.check(o.object, ctx)) {
        out.push({
          severity: 'error',
          code: p.code,
          message: p.message,
          ...(p.hint ? { hint: p.hint } : {}),
          pointer: p.pointer ?? o.pointer,
          ...(p.atKey ? { atKey: true } : {}),
        });
      }
    }
  }
  return out;
}
