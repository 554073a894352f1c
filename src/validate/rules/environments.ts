import { closest } from '../../diagnostics/did-you-mean.js';
import type { PendingDiagnostic } from '../../expand/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { ValidationRule } from '../rule.js';

/** Fields that make a component what it is: an environment changes a component, not which one it is. */
const IDENTITY = ['name', 'type'] as const;

export const environments: ValidationRule = {
  name: 'environments',
  description:
    "Environments have unique names, override components that exist without changing their name or type, and do not put two environments' objects in the same namespace of the same cluster.",
  reads: ['/spec/components/*/name', '/metadata/namespace', '/spec/environments'],
  check(app) {
    const envs = app.spec.environments ?? [];
    const out: PendingDiagnostic[] = [];
    const names = app.spec.components.map((c) => c.name);
    const firstByName = new Map<string, number>();
    const placeOf = new Map<string, number>();
    envs.forEach((env, i) => {
      const at = `/spec/environments/${i}`;
      const first = firstByName.get(env.name);
      if (first !== undefined) {
        out.push({
          severity: 'error',
          code: 'duplicate-environment',
          message: `a second environment is named "${env.name}"`,
          hint: 'environment names are unique in an application: --env NAME selects one',
          pointer: `${at}/name`,
          related: [{ message: 'first defined here', pointer: `/spec/environments/${first}/name` }],
        });
      } else firstByName.set(env.name, i);

      for (const [name, override] of Object.entries(env.components ?? {})) {
        const pointer = joinPointer(at, 'components', name);
        if (!names.includes(name)) {
          const guess = closest(name, names);
          out.push({
            severity: 'error',
            code: 'unknown-component',
            message: `environment "${env.name}" overrides "${name}", but there is no component "${name}" in this application`,
            hint: guess ? `did you mean "${guess}"?` : `components: ${names.join(', ')}`,
            pointer,
            atKey: true,
          });
          continue;
        }
        for (const field of IDENTITY) {
          if (!Object.hasOwn(override, field)) continue;
          out.push({
            severity: 'error',
            code: 'override-identity',
            message: `environment "${env.name}" changes the ${field} of component "${name}"`,
            hint:
              field === 'name'
                ? 'a component has one name in every environment (its objects are named after it); disable it here and add another component to the base'
                : 'a component has one type in every environment; disable it here and add a component of the other type to the base',
            pointer: joinPointer(pointer, field),
            atKey: true,
          });
        }
      }

      // Two environments in one namespace of one cluster would apply (and prune) each other's objects.
      const place = `${env.cluster ?? ''}\u0000${env.namespace ?? app.metadata.namespace ?? 'default'}`;
      const other = placeOf.get(place);
      if (other === undefined) placeOf.set(place, i);
      else if (first === undefined) {
        const namespace = env.namespace ?? app.metadata.namespace ?? 'default';
        out.push({
          severity: 'error',
          code: 'environment-clash',
          message: `environments "${envs[other]!.name}" and "${env.name}" would both deploy into namespace "${namespace}" of ${env.cluster ? `cluster "${env.cluster}"` : 'the current cluster'}, and overwrite each other's objects`,
          hint: 'give each environment its own namespace, or its own cluster (a kubeconfig context)',
          pointer: env.namespace ? `${at}/namespace` : `${at}/name`,
          related: [{ message: `environment "${envs[other]!.name}"`, pointer: `/spec/environments/${other}/name` }],
        });
      }
    });
    return out;
  },
};
