import type { StepExecutor } from '../apply/executors/types.js';
import type { ComponentTypeDef, TraitDef } from '../expand/types.js';
import type { StepTypeDef } from '../plan/types.js';
import { createRegistry, type Registry } from '../registry.js';
import { builtinRules } from '../validate/rules/index.js';
import { builtinPlugin } from './builtin.js';
import { isRecord } from './check-output.js';
import { PluginLoadError } from './extension-error.js';
import { guardComponentType, guardStepType, guardTrait } from './guard.js';
import type { LoadedPlugin, PluginStepType } from './types.js';

/** The tables kubemin compiles and applies with: the built-ins and a repository's plugins. */
export interface PluginSet {
  readonly registry: Registry;
  /** How `apply` runs each step type that has an executor. */
  readonly executors: readonly StepExecutor[];
  /** The built-in plugin first, then the others in the order they were declared. */
  readonly plugins: readonly LoadedPlugin[];
}

export function describePlugin(p: LoadedPlugin): string {
  return `plugin "${p.plugin.name}" (${p.source})`;
}

/** What is wrong with a plugin's shape (names, schemas, functions), before anything of it is used. */
function shapeProblem(p: unknown): string | undefined {
  if (!isRecord(p)) return 'its module must export a plugin object (or a function returning one) as default';
  if (typeof p.name !== 'string' || !/^[a-z0-9][-a-z0-9.@/]*$/.test(p.name)) return 'a plugin needs a name (lowercase letters, digits, -)';
  const tables: Array<[string, string, string]> = [
    ['componentTypes', 'expand', 'properties'],
    ['traits', 'apply', 'schema'],
    ['stepTypes', 'plan', 'properties'],
  ];
  for (const [table, fn, schema] of tables) {
    const list = p[table];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `${table} must be a list`;
    for (const def of list) {
      if (!isRecord(def) || typeof def.name !== 'string' || !def.name) return `every entry of ${table} needs a name`;
      if (typeof def[fn] !== 'function') return `${table} "${def.name}" needs a function ${fn}()`;
      if (!isRecord(def[schema])) return `${table} "${def.name}" needs its JSON Schema in ${schema}`;
      if (typeof def.description !== 'string') return `${table} "${def.name}" needs a description`;
    }
  }
  return undefined;
}

/**
 * Builds the tables from the built-in plugin and `external` ones. A plugin of the wrong shape, or
 * a name that two plugins define (or a plugin and kubemin), is a PluginLoadError naming both. The
 * functions of external plugins are guarded: a throw or an invalid result becomes a diagnostic
 * naming the plugin and the component, never a crash.
 */
export function createPluginSet(external: readonly LoadedPlugin[] = []): PluginSet {
  const plugins = [builtinPlugin, ...external];
  const componentTypes: ComponentTypeDef[] = [];
  const traits: TraitDef[] = [];
  const stepTypes: StepTypeDef[] = [];
  const executors: StepExecutor[] = [];
  const owner = new Map<string, LoadedPlugin>();
  const claim = (what: string, name: string, by: LoadedPlugin): void => {
    const key = `${what}\0${name}`;
    const first = owner.get(key);
    if (first) throw new PluginLoadError(`${what} "${name}" of ${describePlugin(by)} clashes with the one of ${describePlugin(first)}: rename one of them`);
    owner.set(key, by);
  };
  const names = new Map<string, LoadedPlugin>();
  for (const loaded of plugins) {
    const problem = shapeProblem(loaded.plugin);
    if (problem) throw new PluginLoadError(`${loaded.source}: ${problem}`);
    const before = names.get(loaded.plugin.name);
    if (before) throw new PluginLoadError(`two plugins are named "${loaded.plugin.name}": ${before.source} and ${loaded.source}`);
    names.set(loaded.plugin.name, loaded);
    const trusted = loaded === builtinPlugin;
    const origin = describePlugin(loaded);
    for (const def of loaded.plugin.componentTypes ?? []) {
      claim('component type', def.name, loaded);
      componentTypes.push(trusted ? def : guardComponentType(def, origin));
    }
    for (const def of loaded.plugin.traits ?? []) {
      claim('trait', def.name, loaded);
      traits.push(trusted ? def : guardTrait(def, origin));
    }
    for (const def of (loaded.plugin.stepTypes ?? []) as PluginStepType[]) {
      claim('step type', def.name, loaded);
      const { execute, ...planning } = def;
      stepTypes.push(trusted ? planning : guardStepType(planning, origin));
      if (execute) executors.push({ stepType: def.name, run: execute });
    }
  }
  return { registry: createRegistry({ componentTypes, traits, stepTypes, rules: builtinRules }), executors, plugins };
}

/** The built-ins alone (no plugins declared). */
export const builtinPluginSet: PluginSet = createPluginSet();
