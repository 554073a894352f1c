import type { ContainerSpec, TraitDef } from '../types.js';
import { buildExtraContainers, extraContainerSchema, extraContainerViews } from './containers.js';

export const sidecar: TraitDef<ContainerSpec[]> = {
  name: 'sidecar',
  description:
    'Containers running beside the main one; each may have container traits. In jobs and cronjobs they are native sidecars, so they do not keep a finished pod alive.',
  scope: 'pod',
  requires: ['podTemplate'],
  schema: extraContainerSchema,
  apply: (items, ctx) => buildExtraContainers(items, 'sidecar', ctx),
  containers: (items, pointer) => extraContainerViews(items, 'sidecar', pointer),
};
