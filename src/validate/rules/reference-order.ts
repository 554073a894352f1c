import type { PendingDiagnostic } from '../../expand/types.js';
import { referencesOf } from '../../spec/walk.js';
import { PLAN_READS, type ValidationRule } from '../rule.js';

/** The component types that provide what a reference of each kind names. */
const PROVIDER_TYPE = { config: 'config', secret: 'secret' } as const;

export const referenceOrder: ValidationRule = {
  name: 'reference-order',
  description:
    'A ConfigMap or Secret component that another component reads (envFrom, envs, storage) is of the right type and is not deployed after its reader.',
  reads: [...PLAN_READS, '/spec/components/*/type', '/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    const byName = new Map(app.spec.components.map((c, i) => [c.name, { c, i }]));
    app.spec.components.forEach((consumer, i) => {
      const pointer = `/spec/components/${i}`;
      for (const ref of referencesOf(consumer, pointer, ctx.tables.traits)) {
        const provider = byName.get(ref.name);
        if (!provider) continue; // an existing object of the cluster, not part of this app
        const want = PROVIDER_TYPE[ref.kind];
        if (provider.c.type !== want) {
          out.push({
            severity: 'error',
            code: 'reference-kind',
            message: `"${ref.name}" is read as a ${ref.kind === 'config' ? 'ConfigMap' : 'Secret'}, but component "${ref.name}" is a ${provider.c.type}`,
            hint: `use type: ${provider.c.type === 'secret' ? 'secret' : 'config'} in the reference, or reference another component`,
            pointer: ref.pointer,
            related: [{ message: `component "${ref.name}"`, pointer: `/spec/components/${provider.i}` }],
          });
          continue;
        }
        const mine = ctx.plan.phaseOf.get(consumer.name);
        const theirs = ctx.plan.phaseOf.get(ref.name);
        if (mine !== undefined && theirs !== undefined && theirs > mine) {
          out.push({
            severity: 'error',
            code: 'reference-order',
            message: `"${consumer.name}" reads "${ref.name}", which is deployed later (phase "${ctx.plan.phases[theirs]!.name}" after "${ctx.plan.phases[mine]!.name}")`,
            hint: `deploy "${ref.name}" in the same or an earlier step than "${consumer.name}"`,
            pointer: ref.pointer,
            related: [{ message: `component "${ref.name}"`, pointer: `/spec/components/${provider.i}` }],
          });
        }
      }
    });
    return out;
  },
};
