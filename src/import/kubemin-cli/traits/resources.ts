import type { ResourcesSpec } from '../../../expand/traits/resources.js';
import { quote } from '../../../k8s/formats/quote.js';
import type { ConvertContext } from '../context.js';
import { JsonObject } from '../json-object.js';
import type { KcResources } from '../types.js';
import type { TraitConverter } from './types.js';

/** resources -> resources, the short form in both: requests = limits, gpu -> nvidia.com/gpu. */
export const resources: TraitConverter = {
  name: 'resources',
  kubemin: 'resources',
  scope: 'container',
  convert(value, pointer, ctx) {
    const r = JsonObject.read<KcResources>(value, pointer, ctx.problems, 'resources');
    if (!r) return undefined;
    const out: ResourcesSpec = {};
    const cpu = quantity(r, 'cpu', ctx);
    if (cpu !== undefined) out.cpu = cpu;
    const memory = quantity(r, 'memory', ctx);
    if (memory !== undefined) out.memory = memory;
    const gpu = gpus(r, ctx);
    if (gpu !== undefined) out.gpu = gpu;
    r.finish('resources');
    return Object.keys(out).length ? out : undefined;
  },
};

function quantity(r: JsonObject<KcResources>, field: 'cpu' | 'memory', ctx: ConvertContext): string | undefined {
  const v = r.raw(field);
  if (typeof v === 'number') {
    ctx.problems.warn(r.at(field), 'not-a-string', `"${field}" is a number, not a string (KubeMin-Cli refuses it); written as the string ${quote(String(v))}`);
    return String(v);
  }
  return r.string(field);
}

/** KubeMin-Cli takes a quantity string ("1"); kubemin whole GPUs. "0" means none. */
function gpus(r: JsonObject<KcResources>, ctx: ConvertContext): number | undefined {
  const v = r.raw('gpu');
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    ctx.problems.error(r.at('gpu'), 'invalid-value', `"gpu" must be a whole number of GPUs, e.g. "1", not ${typeof v === 'string' ? quote(v) : String(v)}`);
    return undefined;
  }
  return n === 0 ? undefined : n;
}
