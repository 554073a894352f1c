import type { Registry } from '../registry.js';
import { joinPointer } from '../load/json-pointer.js';

/** Pointers of the secret values of an application document (by the component types' secretFields). */
export function sensitivePointers(doc: unknown, registry: Pick<Registry, 'componentTypes'>): string[] {
  const components = (doc as { spec?: { components?: unknown } } | null)?.spec?.components;
  if (!Array.isArray(components)) return [];
  const out: string[] = [];
  components.forEach((c, i) => {
    if (c === null || typeof c !== 'object') return;
    const type = registry.componentTypes.get(String((c as { type?: unknown }).type));
    for (const field of type?.secretFields ?? []) out.push(joinPointer(`/spec/components/${i}`, field));
  });
  return out;
}

export function isUnder(pointer: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => pointer === p || pointer.startsWith(p + '/'));
}
