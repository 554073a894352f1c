import type { ContainerSpec, TraitDef } from '../types.js';
import { buildExtraContainers, extraContainerSchema, extraContainerViews } from './containers.js';

export const init: TraitDef<ContainerSpec[]> = {
  name: 'init',
  description: 'Init containers, run in order before the main container starts; each may have container traits.',
  scope: 'pod',
  requires: ['podTemplate'],
  schema: extraContainerSchema,
  apply: (items, ctx) => buildExtraContainers(items, 'init', ctx),
  containers: (items, pointer) => extraContainerViews(items, 'init', pointer),
};
