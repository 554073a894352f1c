import type { StepExecutor } from '../apply/executors/types.js';
import type { ComponentTypeDef, TraitDef } from '../expand/types.js';
import type { StepTypeDef } from '../plan/types.js';
import type { ReadinessRule } from '../readiness/types.js';
import type { JsonSchema } from '../spec/json-schema.js';

/** A step type as a plugin gives it: how its phase is planned, and optionally how `apply` runs it. */
export interface PluginStepType extends StepTypeDef {
  readonly execute?: StepExecutor['run'];
}

/**
 * What a plugin adds, in the shapes the built-ins use (the built-ins are the plugin `kubemin`,
 * plugins/builtin.ts): component types, traits and step types, each a name, a JSON Schema of its
 * fields, and pure functions from data to data; and readiness rules, which say when `kubemin
 * apply` may consider objects of some kinds (a CRD's, say) ready: a name, the `group/Kind`s, and
 * a pure `check(object, related)` (with `related(object)` to ask for other objects, as the
 * built-ins' in src/readiness/rules/ do).
 */
export interface KubeminPlugin {
  readonly name: string;
  readonly componentTypes?: readonly ComponentTypeDef[];
  readonly traits?: readonly TraitDef[];
  readonly stepTypes?: readonly PluginStepType[];
  readonly readiness?: readonly ReadinessRule[];
}

/** What kubemin hands a plugin module whose default export is a function: data, never I/O. */
export interface PluginApi {
  readonly apiVersion: 1;
  /** Schema pieces of kubemin's own fields, e.g. `containerFields` (image, command, args, env, ports...). */
  readonly fragments: Readonly<Record<string, JsonSchema | Record<string, JsonSchema>>>;
  /** `nvidia.com/gpu` */
  readonly gpuResource: string;
  /** 8 hex characters of a value's SHA-256 (canonical JSON): for names that change when content does, as Jobs need. */
  readonly shortHash: (value: unknown) => string;
}

/**
 * A module's default export: a plugin, or a function of the API that returns one.
 * @public (the plugin API: plugins written in JS name it in JSDoc)
 */
export type PluginModule = KubeminPlugin | ((api: PluginApi) => KubeminPlugin | Promise<KubeminPlugin>);

/** A plugin and where it was loaded from (a file, a package, or `built-in`). */
export interface LoadedPlugin {
  readonly plugin: KubeminPlugin;
  readonly source: string;
}
