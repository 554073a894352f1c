import { environmentVariant } from '../environments/merge-environment.js';
import type { StepTypeDef } from '../plan/types.js';
import type { AppSpec } from '../spec/types.js';
import { isPlainObject, type PlainObject } from './merge-patch.js';

/** One environment of an app document, as written: `spec.environments[index]`. */
export interface EnvironmentEntry {
  readonly name: string;
  readonly index: number;
  readonly value: PlainObject;
}

/** The environments of an app document, in order. */
export function environmentsOf(doc: PlainObject): EnvironmentEntry[] {
  const list = (doc.spec as PlainObject | undefined)?.environments;
  if (!Array.isArray(list)) return [];
  return list.flatMap((value, index) => (isPlainObject(value) && typeof value.name === 'string' ? [{ name: value.name, index, value }] : []));
}

/** The base components of an app document, by name, in order. */
export function baseComponents(doc: PlainObject): Map<string, PlainObject> {
  const list = (doc.spec as PlainObject | undefined)?.components;
  const out = new Map<string, PlainObject>();
  if (Array.isArray(list)) for (const c of list) if (isPlainObject(c) && typeof c.name === 'string') out.set(c.name, c);
  return out;
}

/** An environment's override of a component, as written, without `disabled` (the environment's word, not a field). */
export function overrideOf(env: EnvironmentEntry, component: string): PlainObject {
  const components = env.value.components;
  const given = isPlainObject(components) ? components[component] : undefined;
  if (!isPlainObject(given)) return {};
  const { disabled: _disabled, ...patch } = given;
  return patch;
}

/** The components as one environment sees them (the compiler's merge: src/environments), and those it leaves out. */
export interface EnvironmentView {
  readonly components: ReadonlyMap<string, PlainObject>;
  readonly disabled: ReadonlySet<string>;
}

export function environmentView(doc: PlainObject, env: EnvironmentEntry, stepTypes: ReadonlyMap<string, StepTypeDef>): EnvironmentView {
  const variant = environmentVariant(doc as unknown as AppSpec, env.index, stepTypes);
  return {
    components: new Map(variant.spec.spec.components.map((c) => [c.name, c as unknown as PlainObject])),
    disabled: new Set(variant.disabled.keys()),
  };
}
