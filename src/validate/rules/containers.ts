import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { warnEnvVarName } from '../../k8s/formats/names.js';
import { containersOf } from '../../spec/walk.js';
import type { ValidationRule } from '../rule.js';

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
        out.push(...envChecks(v.env, (v.traits?.envs as Array<{ name: string }> | undefined) ?? [], v.pointer));
      }
    });
    return out;
  },
};

function envChecks(env: Record<string, string> | undefined, envs: Array<{ name: string }>, pointer: string): PendingDiagnostic[] {
  const out: PendingDiagnostic[] = [];
  const seen = new Map<string, string>();
  const names: Array<[string, string]> = [
    ...Object.keys(env ?? {}).map((n): [string, string] => [n, joinPointer(pointer, 'env', n)]),
    ...envs.map((e, j): [string, string] => [e.name, joinPointer(pointer, 'traits', 'envs', j, 'name')]),
  ];
  for (const [name, at] of names) {
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
    if (warn) out.push({ severity: 'warning', code: 'env-name', message: warn, pointer: at, atKey: at.includes('/env/') });
  }
  return out;
}
