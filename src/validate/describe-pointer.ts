import { getAtPointer, splitPointer } from '../load/json-pointer.js';

/** A pointer as people say it: `component "web"`, `storage entry 2 of "web"`, `step "data"`. */
export function describePointer(root: unknown, pointer: string): string {
  const seg = splitPointer(pointer);
  const nameAt = (p: string): string | undefined => {
    const v = getAtPointer(root, p);
    return typeof v === 'string' ? v : undefined;
  };
  if (seg.length === 0) return 'the application';
  if (seg[0] === 'spec' && seg[1] === 'components' && seg[2] !== undefined) {
    const base = `/spec/components/${seg[2]}`;
    const name = nameAt(`${base}/name`);
    const comp = name ? `"${name}"` : `component ${Number(seg[2]) + 1}`;
    if (seg.length === 3) return name ? `component "${name}"` : comp;
    if (seg[3] === 'traits' && seg.length === 4) return `traits of ${comp}`;
    if (seg[3] === 'traits' && seg[4] !== undefined) {
      const rest = seg.slice(5);
      const entry = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? ` entry ${Number(rest[0]) + 1}` : '';
      const inner = rest.slice(entry ? 1 : 0);
      return `${inner.length ? `${inner.join('.')} of ` : ''}${seg[4]}${entry} of ${comp}`;
    }
    return `${seg.slice(3).join('.')} of ${comp}`;
  }
  if (seg[0] === 'spec' && seg[1] === 'workflow' && seg[2] === 'steps' && seg[3] !== undefined) {
    const name = nameAt(`/spec/workflow/steps/${seg[3]}/name`);
    const step = name ? `step "${name}"` : `step ${Number(seg[3]) + 1}`;
    return seg.length === 4 ? step : `${seg.slice(4).join('.')} of ${step}`;
  }
  return seg.join('.');
}
