import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { warnEnvVarName } from '../../k8s/formats/names.js';
import { containersOf } from '../../spec/walk.js';
import { fromTraits, type ValidationRule } from '../rule.js';

export const containers: ValidationRule = {
  name: 'containers',
  description: 'Container names are unique in a pod; an environment variable is set once per container; names that programs cannot read are flagged.',
  reads: ['/spec/components/*/name', '/spec/components/*/type', '/spec/components/*/env', '/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      const pointer = `/spec/components/${i}`;
      const views = containersOf(c, pointer, ctx.tables.traits);
      if (views.length === 1 && !ctx.tables.componentTypes.get(c.type)?.capabilities.podTemplate) return;
      const names = new Map<string, string>();
      for (const v of views) {
        const prev = names.get(v.name);
        if (prev !== undefined) {
          out.push({
            severity: 'error',
            code: 'duplicate-container',
            message: `a second container is named "${v.name}" in the pod of "${c.name}"`,
            hint: 'the main container is named after the component; give init and sidecar containers other names',
            pointer: v.role === 'main' ? pointer : joinPointer(v.pointer, 'name'),
            related: [{ message: 'the other container', pointer: prev }],
          });
        } else names.set(v.name, v.role === 'main' ? joinPointer(pointer, 'name') : joinPointer(v.pointer, 'name'));
        // The container's env, then every trait's variables (the built-in envs trait's, a plugin's): TraitDef.envNames.
        out.push(...envChecks(v.env, fromTraits(v, ctx.tables.traits, 'envNames'), v.pointer));
      }
    });
    return out;
  },
};

/** The container's `env` (a map: its keys are the names), then what its traits set, in trait order. */
function envChecks(
  env: Record<string, string> | undefined,
  traitNames: ReadonlyArray<{ name: string; pointer: string }>,
  pointer: string,
): PendingDiagnostic[] {
  const out: PendingDiagnostic[] = [];
  const seen = new Map<string, string>();
  const names: Array<{ name: string; at: string; atKey: boolean }> = [
    ...Object.keys(env ?? {}).map((name) => ({ name, at: joinPointer(pointer, 'env', name), atKey: true })),
    ...traitNames.map((e) => ({ name: e.name, at: e.pointer, atKey: false })),
  ];
  for (const { name, at, atKey } of names) {
    const prev = seen.get(name);
    if (prev !== undefined) {
      out.push({
        severity: 'error',
        code: 'duplicate-env',
        message: `environment variable "${name}" is set twice in this container`,
        hint: 'keep one; with two, only the last one would take effect',
        pointer: at,
        related: [{ message: 'first set here', pointer: prev }],
      });
    } else seen.set(name, at);
    const warn = warnEnvVarName(name);
    if (warn) out.push({ severity: 'warning', code: 'env-name', message: warn, pointer: at, atKey });
  }
  return out;
}
