import { builtinComponentTypes } from './expand/component-types/index.js';
import { builtinTraits } from './expand/traits/index.js';
import type { ComponentTypeDef, TraitDef } from './expand/types.js';
import { builtinStepTypes } from './plan/step-types/index.js';
import type { StepTypeDef } from './plan/types.js';
import { builtinRules } from './validate/rules/index.js';
import type { ValidationRule } from './validate/rule.js';

/** Every extension point's table, as the compiler uses them. */
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

export class RegistryError extends Error {
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

export const builtinRegistry: Registry = createRegistry({
  componentTypes: builtinComponentTypes,
  traits: builtinTraits,
  stepTypes: builtinStepTypes,
  rules: builtinRules,
});
