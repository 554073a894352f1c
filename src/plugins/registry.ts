import type { ComponentTypeDef, TraitDef } from '../expand/types.js';
import type { StepTypeDef } from '../plan/types.js';
import type { ValidationRule } from '../validate/rule.js';

/** Every extension point's table, as the compiler uses them. Built from plugins (plugin-tables.ts), the built-in one first. */
export interface Registry {
  readonly componentTypes: ReadonlyMap<string, ComponentTypeDef>;
  /** In application order. */
  readonly traits: readonly TraitDef[];
  /** The first is the default step type. */
  readonly stepTypes: ReadonlyMap<string, StepTypeDef>;
  readonly rules: readonly ValidationRule[];
}

export interface RegistryEntries {
  readonly componentTypes: readonly ComponentTypeDef[];
  readonly traits: readonly TraitDef[];
  readonly stepTypes: readonly StepTypeDef[];
  readonly rules: readonly ValidationRule[];
}

class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

/** Builds the tables; two entries of one table with the same name are an error. */
export function createRegistry(entries: RegistryEntries): Registry {
  return {
    componentTypes: byName('component type', entries.componentTypes),
    traits: [...byName('trait', entries.traits).values()],
    stepTypes: byName('step type', entries.stepTypes),
    rules: [...byName('validation rule', entries.rules).values()],
  };
}

function byName<T extends { name: string }>(what: string, items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.name)) throw new RegistryError(`${what} "${item.name}" is defined twice`);
    map.set(item.name, item);
  }
  return map;
}
