import type { PendingDiagnostic, TraitDef } from '../expand/types.js';
import { joinPointer } from '../load/json-pointer.js';
import { referencesOf } from '../spec/walk.js';
import type { EnvironmentVariant } from './merge-environment.js';

/**
 * An environment may leave out a component only when no component it deploys needs it: by
 * `dependsOn`, or by reading its ConfigMap or Secret (envFrom, env, storage, pull secrets); peers
 * that name it are dropped by the merge instead. Pointers are of the merged spec; each problem names both components.
 */
export function disabledReferences(variant: EnvironmentVariant, traits: readonly TraitDef[]): PendingDiagnostic[] {
  if (!variant.disabled.size) return [];
  const out: PendingDiagnostic[] = [];
  const problem = (user: string, name: string, how: string, pointer: string): void => {
    out.push({
      severity: 'error',
      code: 'disabled-dependency',
      message: `component "${name}" is disabled, but "${user}" ${how}`,
      hint: `disable "${user}" too, or change its override in this environment so that it no longer needs "${name}"`,
      pointer,
      related: [{ message: `"${name}" disabled here`, pointer: variant.disabled.get(name)! }],
    });
  };
  variant.spec.spec.components.forEach((c, i) => {
    const at = `/spec/components/${i}`;
    (c.dependsOn ?? []).forEach((name, j) => {
      if (variant.disabled.has(name)) problem(c.name, name, 'depends on it', joinPointer(at, 'dependsOn', j));
    });
    for (const ref of referencesOf(c, at, traits)) {
      if (variant.disabled.has(ref.name)) problem(c.name, ref.name, `reads its ${ref.kind === 'config' ? 'ConfigMap' : 'Secret'}`, ref.pointer);
    }
  });
  return out;
}
