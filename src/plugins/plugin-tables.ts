import type { StepExecutor } from '../apply/executors/types.js';
import type { ComponentTypeDef, TraitDef } from '../expand/types.js';
import type { StepTypeDef } from '../plan/types.js';
import { GROUP_KIND } from '../readiness/index.js';
import type { ReadinessRule } from '../readiness/types.js';
import { builtinRules } from '../validate/rules/index.js';
import { isRecord } from './check-output.js';
import { PluginLoadError } from './extension-error.js';
import { guardComponentType, guardReadiness, guardStepType, guardTrait } from './guard.js';
import { createRegistry, type Registry } from './registry.js';
import type { LoadedPlugin, PluginStepType } from './types.js';

function describePlugin(p: LoadedPlugin): string {
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
  return readinessShapeProblem(p.readiness);
}

/** A readiness rule: a name, a description, the `group/Kind`s it is for, check() and maybe related(). */
function readinessShapeProblem(list: unknown): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return 'readiness must be a list';
  for (const def of list) {
    if (!isRecord(def) || typeof def.name !== 'string' || !def.name) return 'every entry of readiness needs a name';
    const at = `readiness "${def.name}"`;
    if (typeof def.check !== 'function') return `${at} needs a function check()`;
    if (def.related !== undefined && def.related !== null && typeof def.related !== 'function') return `${at}: related must be a function`;
    if (typeof def.description !== 'string') return `${at} needs a description`;
    if (!Array.isArray(def.kinds) || !def.kinds.length) return `${at} needs kinds: a list of group/Kind (e.g. "monitoring.coreos.com/ServiceMonitor")`;
    const bad = def.kinds.find((k) => typeof k !== 'string' || !GROUP_KIND.test(k));
    if (bad !== undefined)
      return `${at}: kind ${JSON.stringify(bad)} is not group/Kind (e.g. "monitoring.coreos.com/ServiceMonitor", "/ConfigMap" for the core group)`;
  }
  return undefined;
}

/** The tables of a list of plugins, and how `apply` runs the step types they execute themselves. */
export interface PluginTables {
  readonly registry: Registry;
  readonly executors: readonly StepExecutor[];
  /** How `apply` tells that objects of each kind are ready (readiness/index.ts readinessTable). */
  readonly readiness: readonly ReadinessRule[];
}

/**
 * The one way kubemin's tables are built, the built-in plugin's included: from plugins, in order.
 * A plugin of the wrong shape, or a name that two plugins define, is a PluginLoadError naming
 * both. The functions of plugins other than `trusted` are guarded: a throw or an invalid result
 * becomes a diagnostic naming the plugin and the component, never a crash.
 */
export function pluginTables(plugins: readonly LoadedPlugin[], trusted: ReadonlySet<LoadedPlugin> = new Set()): PluginTables {
  const componentTypes: ComponentTypeDef[] = [];
  const traits: TraitDef[] = [];
  const stepTypes: StepTypeDef[] = [];
  const executors: StepExecutor[] = [];
  const readiness: ReadinessRule[] = [];
  const owner = new Map<string, LoadedPlugin>();
  const claim = (what: string, name: string, by: LoadedPlugin, fix = 'rename one of them'): void => {
    const key = `${what}\0${name}`;
    const first = owner.get(key);
    if (first) throw new PluginLoadError(`${what} "${name}" of ${describePlugin(by)} clashes with the one of ${describePlugin(first)}: ${fix}`);
    owner.set(key, by);
  };
  const names = new Map<string, LoadedPlugin>();
  for (const loaded of plugins) {
    const problem = shapeProblem(loaded.plugin);
    if (problem) throw new PluginLoadError(`${loaded.source}: ${problem}`);
    const before = names.get(loaded.plugin.name);
    if (before) throw new PluginLoadError(`two plugins are named "${loaded.plugin.name}": ${before.source} and ${loaded.source}`);
    names.set(loaded.plugin.name, loaded);
    const trust = trusted.has(loaded);
    const origin = describePlugin(loaded);
    for (const def of loaded.plugin.componentTypes ?? []) {
      claim('component type', def.name, loaded);
      componentTypes.push(trust ? def : guardComponentType(def, origin));
    }
    for (const def of loaded.plugin.traits ?? []) {
      claim('trait', def.name, loaded);
      traits.push(trust ? def : guardTrait(def, origin));
    }
    for (const def of (loaded.plugin.stepTypes ?? []) as PluginStepType[]) {
      claim('step type', def.name, loaded);
      const { execute, ...planning } = def;
      stepTypes.push(trust ? planning : guardStepType(planning, origin));
      if (execute) executors.push({ stepType: def.name, run: execute });
    }
    for (const def of loaded.plugin.readiness ?? []) {
      claim('readiness rule', def.name, loaded);
      for (const kind of def.kinds) claim('readiness rule for kind', kind, loaded, 'one rule says when objects of a kind are ready: keep one');
      readiness.push(trust ? def : guardReadiness(def, origin));
    }
  }
  return { registry: createRegistry({ componentTypes, traits, stepTypes, rules: builtinRules }), executors, readiness };
}
