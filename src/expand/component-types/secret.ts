import { configData } from '../../spec/fragments.js';
import type { ComponentTypeDef } from '../types.js';

export const secret: ComponentTypeDef = {
  name: 'secret',
  description:
    'A Secret named after the component, from `stringData` (written base64-encoded as `data`). Plain secrets in git are readable by anyone with the repo: prefer referencing an existing Secret (envs valueFrom, envFrom, storage).',
  capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
  maxNameLength: 63,
  properties: {
    stringData: { ...configData('Secret stringData'), description: 'Keys and string values.' },
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
          // `data`, not `stringData`: with server-side apply, kubemin then owns each key, so a key
          // removed from the spec is removed from the Secret, and diffs compare like with like.
          data: Object.fromEntries(Object.entries(c.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
        },
      },
    ];
  },
};
