import type { Registry } from '../registry.js';
import { joinPointer } from '../load/json-pointer.js';

/**
 * Pointers of the secret values of an application document (by the component types'
 * secretFields): each value of a secret map, then the field itself. A component whose type is
 * unknown (misspelled, or a plugin's that did not load) may be a secret all the same: every field
 * that any type declares secret is taken as secret there, and `data`.
 */
export function sensitivePointers(doc: unknown, registry: Pick<Registry, 'componentTypes'>): string[] {
  const components = (doc as { spec?: { components?: unknown } } | null)?.spec?.components;
  if (!Array.isArray(components)) return [];
  const out: string[] = [];
  let anyType: readonly string[] | undefined;
  components.forEach((c, i) => {
    if (c === null || typeof c !== 'object') return;
    const type = registry.componentTypes.get(String((c as { type?: unknown }).type));
    anyType ??= [...new Set(['data', ...[...registry.componentTypes.values()].flatMap((t) => t.secretFields ?? [])])];
    for (const field of type ? (type.secretFields ?? []) : anyType) {
      const at = joinPointer(`/spec/components/${i}`, field);
      const value = (c as Record<string, unknown>)[field];
      // Each value of a secret map, so that code frames still show which key a message is about.
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const key of Object.keys(value)) out.push(joinPointer(at, key));
      }
      out.push(at);
    }
  });
  return out;
}

export function isUnder(pointer: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => pointer === p || pointer.startsWith(p + '/'));
}
