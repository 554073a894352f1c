import type { ContainerSpec } from '../../../expand/types.js';
import { JsonObject } from '../json-object.js';
import type { KcInit, KcProperties } from '../types.js';
import { extraContainer } from './containers.js';
import type { TraitConverter } from './types.js';

/** init -> init: the image, command and env move out of `properties`. */
export const init: TraitConverter = {
  name: 'init',
  kubemin: 'init',
  scope: 'pod',
  convert(value, pointer, ctx) {
    const entries = JsonObject.readArray<KcInit>(value, pointer, ctx.problems, 'init');
    if (!entries) return undefined;
    const out: ContainerSpec[] = [];
    entries.forEach((e, i) => {
      const props = e.object<KcProperties>('properties');
      const container = extraContainer(e, props, { role: 'init', index: i, imageAt: props?.at('image') ?? e.at('properties') }, ctx);
      if (props) {
        for (const f of ['ports', 'conf', 'secret', 'labels'] as const) {
          props.drop(f, 'field-unused', `"${f}" has no meaning for an init container (KubeMin-Cli ignores it; dropped)`);
        }
        props.finish('the properties of an init container');
      }
      e.finish('an init entry');
      if (container) out.push(container);
    });
    return out.length ? out : undefined;
  },
};
