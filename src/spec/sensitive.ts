import type { Registry } from '../registry.js';
import { getAtPointer, joinPointer } from '../load/json-pointer.js';

/**
 * Pointers of the secret values of an application document (by the component types'
 * secretFields): each value of a secret map, then the field itself. A component whose type is
 * unknown (misspelled, or a plugin's that did not load) may be a secret all the same: every field
 * that any type declares secret is taken as secret there, and `data`.
 */
export function sensitivePointers(doc: unknown, registry: Pick<Registry, 'componentTypes'> & Partial<Pick<Registry, 'traits'>>): string[] {
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
    // Secret values a type or a trait finds in what it is given (a raw Secret, a patch of a Secret).
    const at = `/spec/components/${i}`;
    const more = [...(type?.secretPointers?.(c as Record<string, unknown>, at) ?? [])];
    const traits = (c as { traits?: unknown }).traits;
    if (traits !== null && typeof traits === 'object') {
      for (const trait of registry.traits ?? []) {
        const props = (traits as Record<string, unknown>)[trait.name];
        if (props !== undefined && trait.secretPointers) more.push(...trait.secretPointers(props, joinPointer(at, 'traits', trait.name)));
      }
    }
    for (const p of more) {
      const value = getAtPointer(doc, p);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const key of Object.keys(value)) out.push(joinPointer(p, key));
      out.push(p);
    }
  });
  return out;
}

export function isUnder(pointer: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => pointer === p || pointer.startsWith(p + '/'));
}
