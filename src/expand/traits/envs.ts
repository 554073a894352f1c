import type { EnvVar } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { dnsSubdomain } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { Reference, TraitDef } from '../types.js';

interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvSpec {
  name: string;
  value?: string;
  valueFrom?: { secret?: KeyRef; config?: KeyRef; field?: string };
}

const keyRef: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'key'],
  properties: { name: dnsSubdomain, key: { type: 'string', format: 'config-key' }, optional: { type: 'boolean' } },
};

export const envs: TraitDef<EnvSpec[]> = {
  name: 'envs',
  description: 'Single environment variables: a value, a key of a Secret or ConfigMap, or a pod field.',
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', format: 'env-name' },
        value: { type: 'string', errorMessage: 'env values must be strings; quote numbers and booleans, e.g. "8080"' },
        valueFrom: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          errorMessage: 'valueFrom takes exactly one of secret, config or field',
          properties: {
            secret: keyRef,
            config: keyRef,
            field: { type: 'string', format: 'env-field-path', description: "A pod field such as metadata.name, metadata.labels['x'] or status.podIP." },
          },
        },
      },
      oneOf: [{ required: ['value'] }, { required: ['valueFrom'] }],
      errorMessage: 'an env entry takes exactly one of value or valueFrom',
    },
  },
  apply(items) {
    const env: EnvVar[] = items.map((e) => {
      if (e.valueFrom === undefined) return { name: e.name, value: e.value ?? '' };
      const { secret, config, field } = e.valueFrom;
      if (secret) return { name: e.name, valueFrom: { secretKeyRef: keyRefOut(secret) } };
      if (config) return { name: e.name, valueFrom: { configMapKeyRef: keyRefOut(config) } };
      return { name: e.name, valueFrom: { fieldRef: { fieldPath: field } } };
    });
    return { container: { env } };
  },
  references(items, pointer) {
    const refs: Reference[] = [];
    items.forEach((e, i) => {
      const p = joinPointer(pointer, i, 'valueFrom');
      if (e.valueFrom?.secret) refs.push({ kind: 'secret', name: e.valueFrom.secret.name, pointer: joinPointer(p, 'secret', 'name') });
      if (e.valueFrom?.config) refs.push({ kind: 'config', name: e.valueFrom.config.name, pointer: joinPointer(p, 'config', 'name') });
    });
    return refs;
  },
  envNames: (items) => items.map((e, i) => ({ name: e.name, pointer: joinPointer('', i, 'name') })),
};

function keyRefOut(r: KeyRef): Record<string, unknown> {
  return { name: r.name, key: r.key, ...(r.optional !== undefined ? { optional: r.optional } : {}) };
}
