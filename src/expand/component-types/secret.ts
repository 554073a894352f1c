import { stringMap } from '../../spec/fragments.js';
import type { ComponentTypeDef } from '../types.js';

export const secret: ComponentTypeDef = {
  name: 'secret',
  description:
    'A Secret named after the component, from `stringData`. Plain secrets in git are readable by anyone with the repo: prefer referencing an existing Secret (envs valueFrom, envFrom, storage).',
  capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
  maxNameLength: 63,
  properties: {
    stringData: { ...stringMap('Secret stringData'), description: 'Keys and string values.' },
    secretType: { type: 'string', minLength: 1, description: 'Secret type (default Opaque).' },
    immutable: { type: 'boolean', description: 'Make the Secret immutable.' },
  },
  required: ['stringData'],
  secretFields: ['stringData'],
  expand(ctx) {
    const c = ctx.component;
    return [
      {
        object: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: ctx.meta(c.name),
          type: (c.secretType as string | undefined) ?? 'Opaque',
          ...(c.immutable !== undefined ? { immutable: c.immutable } : {}),
          stringData: { ...(c.stringData as Record<string, string>) },
        },
      },
    ];
  },
};
