import { builtinExecutors } from '../apply/executors/index.js';
import type { StepExecutor } from '../apply/executors/types.js';
import { builtinPlugin } from './builtin.js';
import { pluginTables } from './plugin-tables.js';
import type { ReadinessRule } from '../readiness/types.js';
import type { Registry } from './registry.js';
import type { LoadedPlugin } from './types.js';

/** The tables kubemin compiles and applies with: the built-ins and a repository's plugins. */
export interface PluginSet {
  readonly registry: Registry;
  /** How `apply` runs each step type that has an executor. */
  readonly executors: readonly StepExecutor[];
  /** How `apply` tells that objects of each kind are ready: the built-in rules, then the plugins'. */
  readonly readiness: readonly ReadinessRule[];
  /** The built-in plugin first, then the others in the order they were declared. */
  readonly plugins: readonly LoadedPlugin[];
}

/**
 * The built-in plugin and `external` ones, through one path (plugin-tables.ts): names checked,
 * external functions guarded; the built-in step types run by kubemin's own executors.
 */
export function createPluginSet(external: readonly LoadedPlugin[] = []): PluginSet {
  const plugins = [builtinPlugin, ...external];
  const { registry, executors, readiness } = pluginTables(plugins, new Set([builtinPlugin]));
  return { registry, executors: [...builtinExecutors, ...executors], readiness, plugins };
}

/** The built-ins alone (no plugins declared). */
export const builtinPluginSet: PluginSet = createPluginSet();
