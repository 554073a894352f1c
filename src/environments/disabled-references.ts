import type { PendingDiagnostic, TraitDef } from '../expand/types.js';
import { joinPointer } from '../load/json-pointer.js';
import { containersOf, referencesOf } from '../spec/walk.js';
import type { EnvironmentVariant } from './merge-environment.js';

/**
 * An environment may leave out a component only when no component it deploys needs it: by
 * `dependsOn`, by reading its ConfigMap or Secret (envFrom, env, storage, pull secrets), or by
 * naming it as a peer. Pointers are of the merged spec; each problem names both components.
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
    for (const container of containersOf(c, at, traits)) {
      for (const trait of traits) {
        const props = container.traits?.[trait.name];
        if (props === undefined || !trait.peers) continue;
        for (const peer of trait.peers(props as never, joinPointer(container.pointer, 'traits', trait.name))) {
          if (variant.disabled.has(peer.name)) problem(c.name, peer.name, `names it in its ${trait.name} trait`, peer.pointer);
        }
      }
    }
  });
  return out;
}
