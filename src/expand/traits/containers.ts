import type { Container } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { CONTAINER_TRAITS_REF } from '../../spec/build-schema.js';
import { containerFields, dnsLabel } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import { mergeOutput } from '../build-pod.js';
import type { ContainerRole, ContainerSpec, ContainerView, TraitContext, TraitOutput } from '../types.js';

/** The schema of an init or sidecar entry; `traits` is filled in with the nestable traits. */
export const extraContainerSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'image'],
    properties: {
      name: { ...dnsLabel, description: 'Container name, unique in the pod.' },
      ...containerFields,
      traits: { $ref: CONTAINER_TRAITS_REF },
    },
  },
};

/** Builds init or sidecar containers, each with its nested traits, into one trait output. */
export function buildExtraContainers(items: ContainerSpec[], role: Exclude<ContainerRole, 'main'>, ctx: TraitContext): TraitOutput {
  const out: TraitOutput = {};
  const built: Container[] = [];
  items.forEach((spec, i) => {
    const b = ctx.buildContainer(spec, role, joinPointer(ctx.pointer, i));
    built.push(b.container);
    mergeOutput(out, b.output);
  });
  if (role === 'init') out.initContainers = [...built, ...(out.initContainers ?? [])];
  else out.sidecars = [...built, ...(out.sidecars ?? [])];
  return out;
}

/** The containers an init or sidecar trait declares, for checks that walk every container. */
export function extraContainerViews(items: ContainerSpec[], role: Exclude<ContainerRole, 'main'>, pointer: string): ContainerView[] {
  return items.map((spec, i) => ({ name: spec.name, role, env: spec.env, traits: spec.traits, pointer: joinPointer(pointer, i) }));
}
