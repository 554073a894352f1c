import { getAtPointer, joinPointer, splitPointer } from '../../load/json-pointer.js';

/** kubemin field names whose KubeMin-Cli name is not just the snake_case spelling. */
const RENAMED: Record<string, string> = {
  className: 'ingress_class_name',
  nonResourceURLs: 'non_resource_urls',
  data: 'conf',
  stringData: 'secret',
};
/** Component fields KubeMin-Cli keeps under `properties`. */
const IN_PROPERTIES = new Set(['ports', 'command', 'env', 'labels', 'conf', 'secret']);
/** Init container fields KubeMin-Cli keeps under `properties`. */
const INIT_IN_PROPERTIES = new Set(['image', 'command', 'env']);

/**
 * The place in KubeMin-Cli's input that a place in the converted spec comes from, as near as it
 * can be told: components keep their index, fields their (snake_case) names; the result is cut
 * back to the deepest pointer that exists in the input.
 */
export function inputPointer(pointer: string, input: unknown, stepOrigins: readonly string[]): string {
  const segs = splitPointer(pointer);
  if (segs[0] === 'metadata') return existing(segs[1] === 'name' || segs[1] === 'namespace' ? [segs[1]] : [], input);
  if (segs[0] !== 'spec') return '';
  if (segs[1] === 'workflow') {
    const origin = segs[2] === 'steps' && segs[3] !== undefined ? stepOrigins[Number(segs[3])] : undefined;
    return origin ?? existing(['workflow'], input);
  }
  if (segs[1] !== 'components' || segs[2] === undefined) return '';
  return existing(['component', segs[2], ...componentPath(segs.slice(3))], input);
}

function componentPath(rest: string[]): string[] {
  const [first, ...more] = rest;
  if (first === undefined) return [];
  const field = snake(first);
  if (IN_PROPERTIES.has(field)) return ['properties', field, ...more];
  if (first === 'traits') return ['traits', ...traitPath(more)];
  return [field, ...more];
}

function traitPath(rest: string[]): string[] {
  const [trait, index, field, ...more] = rest;
  if (trait === undefined) return [];
  const out = [snake(trait)];
  if (index === undefined) return out;
  out.push(index);
  if (field === undefined) return out;
  if (trait === 'init' && INIT_IN_PROPERTIES.has(field)) return [...out, 'properties', field, ...more];
  if ((trait === 'init' || trait === 'sidecar') && field === 'traits') return [...out, 'traits', ...traitPath(more)];
  if (trait === 'ingress' && field === 'routes')
    return [...out, 'routes', ...more.map((s) => (s === 'service' ? 'service_name' : s === 'port' ? 'service_port' : snake(s)))];
  return [...out, snake(field), ...more.map(snake)];
}

function snake(s: string): string {
  return RENAMED[s] ?? s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The deepest prefix of `segs` that exists in the input. */
function existing(segs: string[], input: unknown): string {
  for (let n = segs.length; n > 0; n--) {
    const pointer = joinPointer('', ...segs.slice(0, n));
    if (getAtPointer(input, pointer) !== undefined) return pointer;
  }
  return '';
}
