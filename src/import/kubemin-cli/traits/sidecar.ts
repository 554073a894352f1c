import type { ContainerSpec } from '../../../expand/types.js';
import { JsonObject } from '../json-object.js';
import type { KcSidecar } from '../types.js';
import { extraContainer } from './containers.js';
import type { TraitConverter } from './types.js';

/** sidecar -> sidecar. */
export const sidecar: TraitConverter = {
  name: 'sidecar',
  kubemin: 'sidecar',
  scope: 'pod',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcSidecar>(value, pointer, ctx.problems, 'sidecar');
    if (!entries) return undefined;
    const out: ContainerSpec[] = [];
    entries.forEach((e, i) => {
      const container = extraContainer(e, e, { role: 'sidecar', index: i, imageAt: e.at('image') }, ctx);
      e.finish('a sidecar entry');
      if (container) out.push(container);
    });
    return out.length ? out : undefined;
  },
};
