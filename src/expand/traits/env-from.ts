import type { EnvFromSource } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { dnsSubdomain } from '../../spec/fragments.js';
import type { TraitDef } from '../types.js';

export interface EnvFromSpec {
  type: 'config' | 'secret';
  sourceName: string;
  prefix?: string;
  optional?: boolean;
}

export const envFrom: TraitDef<EnvFromSpec[]> = {
  name: 'envFrom',
  description: 'Every key of a ConfigMap or Secret as environment variables.',
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'sourceName'],
      properties: {
        type: { enum: ['config', 'secret'] },
        sourceName: { ...dnsSubdomain, description: 'The ConfigMap or Secret (a component of this app, or an existing one).' },
        prefix: { type: 'string', format: 'env-name', description: 'Prepended to every variable name.' },
        optional: { type: 'boolean', description: 'Start even when the source does not exist.' },
      },
    },
  },
  apply(items) {
    const sources: EnvFromSource[] = items.map((e) => {
      const ref = { name: e.sourceName, ...(e.optional !== undefined ? { optional: e.optional } : {}) };
      return {
        ...(e.prefix ? { prefix: e.prefix } : {}),
        ...(e.type === 'config' ? { configMapRef: ref } : { secretRef: ref }),
      };
    });
    return { container: { envFrom: sources } };
  },
  references(items, pointer) {
    return items.map((e, i) => ({ kind: e.type, name: e.sourceName, pointer: joinPointer(pointer, i, 'sourceName') }));
  },
};
