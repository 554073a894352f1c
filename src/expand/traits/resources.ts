import type { ResourceRequirements } from '../../k8s/types.js';
import { joinPointer } from '../../load/json-pointer.js';
import { quantity } from '../../spec/fragments.js';
import type { JsonSchema } from '../../spec/json-schema.js';
import type { PendingDiagnostic, TraitDef } from '../types.js';

export const GPU_RESOURCE = 'nvidia.com/gpu';

export interface ResourcesSpec {
  cpu?: string;
  memory?: string;
  gpu?: number;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

const resourceMap: JsonSchema = { type: 'object', minProperties: 1, propertyNames: { format: 'resource-name' }, additionalProperties: quantity };

export const resources: TraitDef<ResourcesSpec> = {
  name: 'resources',
  description:
    'CPU, memory and GPUs. The short form {cpu, memory, gpu} sets requests = limits (gpu -> nvidia.com/gpu); {requests, limits} is written as given.',
  scope: 'container',
  requires: ['podTemplate'],
  schema: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      cpu: { ...quantity, description: 'e.g. "250m" or "2"' },
      memory: { ...quantity, description: 'e.g. "256Mi"' },
      gpu: { type: 'integer', minimum: 0, description: 'Whole NVIDIA GPUs (nvidia.com/gpu).' },
      requests: resourceMap,
      limits: resourceMap,
    },
  },
  apply(r, ctx) {
    const diagnostics: PendingDiagnostic[] = [];
    const short = r.cpu !== undefined || r.memory !== undefined || r.gpu !== undefined;
    if (short && (r.requests || r.limits)) {
      diagnostics.push({
        severity: 'error',
        code: 'resources-mixed',
        message: 'resources mixes the short form (cpu, memory, gpu) with requests/limits',
        hint: 'use either {cpu, memory, gpu} or {requests, limits}',
        pointer: joinPointer(ctx.pointer, r.requests ? 'requests' : 'limits'),
        atKey: true,
      });
    }
    if (!short) {
      // How requests and limits must relate (GPUs and other extended resources) is the rule
      // src/validate/rules/resource-amounts.ts, checked before expansion.
      const out: ResourceRequirements = {
        ...(r.requests ? { requests: { ...r.requests } } : {}),
        ...(r.limits ? { limits: { ...r.limits } } : {}),
      };
      return { container: { resources: out }, diagnostics };
    }
    const amounts: Record<string, string> = {
      ...(r.cpu !== undefined ? { cpu: r.cpu } : {}),
      ...(r.memory !== undefined ? { memory: r.memory } : {}),
      ...(r.gpu ? { [GPU_RESOURCE]: String(r.gpu) } : {}),
    };
    return { container: { resources: { requests: { ...amounts }, limits: { ...amounts } } }, diagnostics };
  },
};
