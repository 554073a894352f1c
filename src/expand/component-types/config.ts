import { configData } from '../../spec/fragments.js';
import type { ComponentTypeDef } from '../types.js';

export const config: ComponentTypeDef = {
  name: 'config',
  description: 'Configuration: a ConfigMap named after the component, from `data`.',
  capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
  maxNameLength: 63,
  properties: {
    data: { ...configData('ConfigMap data'), description: 'Keys and string values (file contents may span lines).' },
    immutable: { type: 'boolean', description: 'Make the ConfigMap immutable.' },
  },
  required: ['data'],
  expand(ctx) {
    const c = ctx.component;
    return [
      {
        object: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: ctx.meta(c.name),
          ...(c.immutable !== undefined ? { immutable: c.immutable } : {}),
          data: { ...(c.data as Record<string, string>) },
        },
      },
    ];
  },
};
