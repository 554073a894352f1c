import type { ComponentTypeDef, TraitDef, WrittenField } from '../expand/types.js';
import type { StepTypeDef } from '../plan/types.js';
import type { ReadinessRule } from '../readiness/types.js';
import { emittedProblem, readinessProblem, relatedQueriesProblem, stepPlanProblem, traitOutputProblem, writtenProblem } from './check-output.js';
import { ExtensionError, PluginCallError } from './extension-error.js';

/**
 * Calls a plugin's function: a throw becomes an ExtensionError naming the plugin; the result is
 * checked. The functions of a repository's plugins run in their worker (remote-plugin.ts), whose
 * failures (a throw, a time limit, the heap limit, an exit) arrive as a PluginCallError saying so.
 */
function call<T>(origin: string, what: string, fn: () => T, problem: (out: unknown) => string | undefined): T {
  let out: T;
  try {
    out = fn();
  } catch (err) {
    throw new ExtensionError(origin, what, err instanceof PluginCallError ? err.message : `it threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (out instanceof Promise) throw new ExtensionError(origin, what, 'it returned a promise: these functions must be synchronous and pure');
  const p = problem(out);
  if (p) throw new ExtensionError(origin, what, `it returned something invalid: ${p}`);
  return out;
}

const anything = (): undefined => undefined;

/** A plugin's component type whose `expand` cannot crash kubemin or put an invalid object in a bundle. */
export function guardComponentType(def: ComponentTypeDef, origin: string): ComponentTypeDef {
  const what = `component type "${def.name}"`;
  return { ...def, expand: (ctx, pod) => call(origin, what, () => def.expand(ctx, pod), emittedProblem) };
}

export function guardTrait(def: TraitDef, origin: string): TraitDef {
  const what = `trait "${def.name}"`;
  return {
    ...def,
    apply: (props, ctx) => call(origin, what, () => def.apply(props, ctx), traitOutputProblem),
    ...(def.references ? { references: (props: unknown, pointer: string) => call(origin, what, () => def.references!(props, pointer), anything) } : {}),
    ...(def.containers ? { containers: (props: unknown, pointer: string) => call(origin, what, () => def.containers!(props, pointer), anything) } : {}),
    ...(def.envNames ? { envNames: (props: unknown) => call(origin, what, () => def.envNames!(props), envNamesProblem) } : {}),
    ...(def.probePorts ? { probePorts: (props: unknown) => call(origin, what, () => def.probePorts!(props), probePortsProblem) } : {}),
    ...(def.mountPaths ? { mountPaths: (props: unknown) => call(origin, what, () => def.mountPaths!(props), mountPathsProblem) } : {}),
    ...(def.preStopSeconds ? { preStopSeconds: (props: unknown) => call(origin, what, () => def.preStopSeconds!(props), secondsProblem) } : {}),
    ...(def.gracePeriodSeconds ? { gracePeriodSeconds: (props: unknown) => call(origin, what, () => def.gracePeriodSeconds!(props), secondsProblem) } : {}),
    ...(def.written ? { written: (props: unknown, field: WrittenField) => call(origin, what, () => def.written!(props, field), writtenPointerProblem) } : {}),
  };
}

const envNamesProblem = writtenProblem({ name: 'string' });
const probePortsProblem = writtenProblem({ port: 'port' });
const writtenPointerProblem = (out: unknown): string | undefined =>
  out === undefined || (typeof out === 'string' && (out === '' || out.startsWith('/')))
    ? undefined
    : 'must return a JSON pointer relative to the trait\'s value ("/0/type"), or undefined';
const secondsProblem = writtenProblem({ seconds: 'seconds' });
const mountPathsProblem = writtenProblem({ volume: 'string', path: 'string', label: 'string', entry: 'pointer', hint: 'string?' });

export function guardStepType(def: StepTypeDef, origin: string): StepTypeDef {
  const what = `step type "${def.name}"`;
  return { ...def, plan: (step, ctx) => call(origin, what, () => def.plan(step, ctx), stepPlanProblem) };
}

/**
 * A plugin's readiness rule whose `check` and `related` cannot crash kubemin: a throw or an
 * invalid result is an ExtensionError naming the plugin, which the waiter (apply/wait-for-ready.ts)
 * turns into a failure of the object awaited.
 */
export function guardReadiness(def: ReadinessRule, origin: string): ReadinessRule {
  const what = `readiness rule "${def.name}"`;
  const related = def.related;
  return {
    ...def,
    kinds: [...def.kinds],
    check: (object, lists) => call(origin, what, () => def.check(object, lists), readinessProblem),
    ...(related ? { related: (object: Parameters<typeof related>[0]) => call(origin, what, () => related.call(def, object), relatedQueriesProblem) } : {}),
  };
}
