import type { ComponentTypeDef } from '../expand/types.js';
import type { Registry } from '../plugins/registry.js';
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
  const secretFieldsOf = (type: ComponentTypeDef | undefined): readonly string[] =>
    // A secret's `data` (Kubernetes' name for it) is masked where the type spells it otherwise: a slip must not show the values.
    type
      ? type.secretFields?.length
        ? [...new Set([...type.secretFields, 'data'])]
        : []
      : (anyType ??= [...new Set(['data', ...[...registry.componentTypes.values()].flatMap((t) => t.secretFields ?? [])])]);
  const typeByName = new Map<string, unknown>();
  components.forEach((c, i) => {
    if (c === null || typeof c !== 'object') return;
    typeByName.set(String((c as { name?: unknown }).name), (c as { type?: unknown }).type);
    out.push(
      ...componentSensitive(doc, c as Record<string, unknown>, registry.componentTypes.get(String((c as { type?: unknown }).type)), `/spec/components/${i}`),
    );
  });
  // An environment's override of a component holds the same secrets as the component: a secret's data, say.
  const envs = (doc as { spec?: { environments?: unknown } }).spec?.environments;
  if (Array.isArray(envs)) {
    envs.forEach((env, i) => {
      const overrides = (env as { components?: unknown } | null)?.components;
      if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) return;
      for (const [name, o] of Object.entries(overrides)) {
        if (o === null || typeof o !== 'object' || Array.isArray(o)) continue;
        const type = typeByName.has(name) ? registry.componentTypes.get(String(typeByName.get(name))) : undefined;
        out.push(...componentSensitive(doc, o as Record<string, unknown>, type, joinPointer(`/spec/environments/${i}/components`, name)));
      }
    });
  }
  return out;

  function componentSensitive(root: unknown, c: Record<string, unknown>, type: ComponentTypeDef | undefined, at: string): string[] {
    const found: string[] = [];
    for (const field of secretFieldsOf(type)) {
      const fieldAt = joinPointer(at, field);
      const value = c[field];
      // Each value of a secret map, so that code frames still show which key a message is about.
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const key of Object.keys(value)) found.push(joinPointer(fieldAt, key));
      }
      found.push(fieldAt);
    }
    // Secret values a type or a trait finds in what it is given (a raw Secret, a patch of a Secret).
    const more = [...(type?.secretPointers?.(c, at) ?? [])];
    const traits = c.traits;
    if (traits !== null && typeof traits === 'object') {
      for (const trait of registry.traits ?? []) {
        const props = (traits as Record<string, unknown>)[trait.name];
        if (props !== undefined && trait.secretPointers) more.push(...trait.secretPointers(props, joinPointer(at, 'traits', trait.name)));
      }
    }
    for (const p of more) {
      const value = getAtPointer(root, p);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const key of Object.keys(value)) found.push(joinPointer(p, key));
      found.push(p);
    }
    return found;
  }
}

export function isUnder(pointer: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => pointer === p || pointer.startsWith(p + '/'));
}
