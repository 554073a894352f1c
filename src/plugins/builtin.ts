import { builtinComponentTypes } from '../expand/component-types/index.js';
import { builtinTraits } from '../expand/traits/index.js';
import { builtinStepTypes } from '../plan/step-types/index.js';
import { builtinReadinessRules } from '../readiness/index.js';
import { pluginTables } from './plugin-tables.js';
import type { Registry } from './registry.js';
import type { LoadedPlugin } from './types.js';

/**
 * kubemin's own component types, traits, step types and readiness rules, as a plugin of the same API as any other.
 * How `apply` runs its step types is the apply edge's (src/apply/executors), added by the plugin
 * set (plugin-set.ts): the compiler's tables need no cluster code.
 */
export const builtinPlugin: LoadedPlugin = {
  source: 'built-in',
  plugin: { name: 'kubemin', componentTypes: builtinComponentTypes, traits: builtinTraits, stepTypes: builtinStepTypes, readiness: builtinReadinessRules },
};

/** The tables of the built-in plugin alone, built as every plugin's are (plugin-tables.ts). */
export const builtinRegistry: Registry = pluginTables([builtinPlugin], new Set([builtinPlugin])).registry;
