import type { ExpandedObject } from '../expand/expand-app.js';
import type { ContainerView, PendingDiagnostic, TraitDef } from '../expand/types.js';
import { containersOf } from '../spec/walk.js';
import type { AppSpec } from '../spec/types.js';
import type { ObjectRule, ObjectRuleContext } from './object-rule.js';
import { builtinObjectRules } from './object-rules/index.js';

export interface CheckObjectsOptions {
  readonly rules?: readonly ObjectRule[];
  /** The traits of the spec's registry: which declare further containers (init, sidecar). */
  readonly traits?: readonly TraitDef[];
}

/** Checks every rendered object of an application with the object rules; problems are errors at their source. */
export function checkObjects(spec: AppSpec, objects: readonly ExpandedObject[], options: CheckObjectsOptions = {}): PendingDiagnostic[] {
  const rules = options.rules ?? builtinObjectRules;
  const components = new Map(spec.spec.components.map((c, i) => [c.name, { pointer: `/spec/components/${i}`, spec: c }]));
  const containers = new Map<string, readonly ContainerView[]>();
  const containersFor = (name: string): readonly ContainerView[] => {
    const c = components.get(name);
    if (!c) return [];
    let views = containers.get(name);
    if (!views) containers.set(name, (views = containersOf(c.spec, c.pointer, options.traits ?? [])));
    return views;
  };
  const out: PendingDiagnostic[] = [];
  for (const o of objects) {
    const component = o.component === undefined ? undefined : components.get(o.component);
    const ctx: ObjectRuleContext = {
      spec,
      pointer: o.pointer,
      component: o.component !== undefined && component !== undefined ? { name: o.component, pointer: component.pointer } : undefined,
      containers: o.component === undefined ? [] : containersFor(o.component),
      traits: options.traits ?? [],
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
