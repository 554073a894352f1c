import type { ContainerView, Reference, TraitDef } from '../expand/types.js';
import { joinPointer } from '../load/json-pointer.js';
import type { ComponentSpec } from './types.js';

/** Every container a component declares: the main one, then those its traits add (init, sidecar). */
export function containersOf(component: ComponentSpec, pointer: string, traits: readonly TraitDef[]): ContainerView[] {
  const main: ContainerView = { name: component.name, role: 'main', env: component.env, traits: component.traits, pointer };
  const out = [main];
  for (const trait of traits) {
    const props = component.traits?.[trait.name];
    if (props !== undefined && trait.containers) out.push(...trait.containers(props as never, joinPointer(pointer, 'traits', trait.name)));
  }
  return out;
}

/** The ConfigMaps and Secrets a component reads, through any trait of any of its containers. */
export function referencesOf(component: ComponentSpec, pointer: string, traits: readonly TraitDef[]): Reference[] {
  const refs: Reference[] = [];
  for (const c of containersOf(component, pointer, traits)) {
    for (const trait of traits) {
      const props = c.traits?.[trait.name];
      if (props !== undefined && trait.references) refs.push(...trait.references(props as never, joinPointer(c.pointer, 'traits', trait.name)));
    }
  }
  return refs;
}
