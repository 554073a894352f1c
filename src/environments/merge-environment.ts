import { mergePatch } from '../expand/json-patch.js';
import { joinPointer } from '../load/json-pointer.js';
import type { TraitDef } from '../expand/types.js';
import { getAtPointer, splitPointer } from '../load/json-pointer.js';
import type { StepTypeDef } from '../plan/types.js';
import type { AppSpec, ComponentSpec, EnvironmentSpec, StepSpec } from '../spec/types.js';
import { originOf, removedUnder, type Provenance } from './origin.js';

/** An application as one environment sees it: the base with the environment's changes. */
export interface EnvironmentVariant {
  readonly name: string;
  readonly cluster?: string;
  /** The merged spec (without `environments`, without disabled components): validated and compiled like a hand-written one. */
  readonly spec: AppSpec;
  /** Where a value of `spec` is written in the document: a pointer of the merged spec to one of the document. */
  readonly origin: (pointer: string) => string;
  /** The fields the environment removes (`null`) right under a value of `spec`, as pointers in the document. */
  readonly removed: (pointer: string) => string[];
  /** The components this environment leaves out, by name, and where it says so. */
  readonly disabled: ReadonlyMap<string, string>;
}

/** The component's override without `disabled`, which is the environment's word, not a field of the component. */
function componentPatch(env: EnvironmentSpec, name: string): Record<string, unknown> | undefined {
  const given = env.components?.[name];
  if (!given) return undefined;
  const { disabled: _disabled, ...patch } = given;
  return patch;
}

/**
 * The environment at `index` of a (schema-valid) spec, merged: each component's override is an
 * RFC 7386 merge patch over it, the environment's policies are merged over the app's, its
 * namespace replaces the app's; disabled components are left out, and so are they from the
 * workflow's steps (a step left with none is dropped). Pure; the spec is not changed.
 */
export function environmentVariant(
  spec: AppSpec,
  index: number,
  stepTypes: ReadonlyMap<string, StepTypeDef>,
  traits: readonly TraitDef[] = [],
): EnvironmentVariant {
  const env = spec.spec.environments![index]!;
  const at = `/spec/environments/${index}`;
  const disabled = new Map<string, string>();
  const components: ComponentSpec[] = [];
  const componentIndex: number[] = [];
  spec.spec.components.forEach((c, i) => {
    if (env.components?.[c.name]?.disabled === true) {
      disabled.set(c.name, joinPointer(at, 'components', c.name, 'disabled'));
      return;
    }
    const patch = componentPatch(env, c.name);
    components.push(patch ? (mergePatch(c, patch) as ComponentSpec) : c);
    componentIndex.push(i);
  });

  // A disabled component is nobody's client: the peers that name it are dropped (a NetworkPolicy
  // would select no pod by them), so an environment need not repeat every peer list without it.
  const lists = new Map<string, number[]>();
  if (disabled.size) components.forEach((c, i) => (components[i] = withoutDisabledPeers(c, `/spec/components/${i}`, disabled, traits, lists)));

  const { environments: _all, workflow, policies, ...rest } = spec.spec;
  const steps: StepSpec[] = [];
  const stepIndex: number[] = [];
  const listIndex = new Map<number, number[]>();
  (workflow?.steps ?? []).forEach((step, i) => {
    const field = stepTypes.get(step.type ?? 'deploy')?.componentList;
    const listed = field ? step[field] : undefined;
    if (!field || !Array.isArray(listed) || !disabled.size) {
      steps.push(step);
      stepIndex.push(i);
      return;
    }
    const kept = listed.map((name, j) => [name, j] as const).filter(([name]) => !disabled.has(String(name)));
    if (!kept.length) return;
    steps.push({ ...step, [field]: kept.map(([name]) => name) });
    stepIndex.push(i);
    listIndex.set(
      steps.length - 1,
      kept.map(([, j]) => j),
    );
  });

  const merged: AppSpec = {
    ...spec,
    metadata: { ...spec.metadata, ...(env.namespace ? { namespace: env.namespace } : {}) },
    spec: {
      ...rest,
      ...(policies || env.policies ? { policies: env.policies ? (mergePatch(policies ?? {}, env.policies) as AppSpec['spec']['policies']) : policies } : {}),
      components,
      ...(workflow ? { workflow: { ...workflow, steps } } : {}),
    },
  };
  const provenance: Provenance = {
    environment: at,
    env,
    componentIndex,
    componentNames: components.map((c) => c.name),
    stepIndex,
    stepListField: (i) => stepTypes.get(steps[i]?.type ?? 'deploy')?.componentList,
    listIndex,
    lists,
  };
  return {
    name: env.name,
    ...(env.cluster ? { cluster: env.cluster } : {}),
    spec: merged,
    origin: (p) => originOf(provenance, p),
    removed: (p) => removedUnder(provenance, p),
    disabled,
  };
}

/**
 * The component without the entries of its traits' peer lists (TraitDef.peers: each peer is an
 * entry of a list) that name a disabled component; `lists` gets, for each list changed, the
 * index each kept entry has in the written list.
 */
function withoutDisabledPeers(
  c: ComponentSpec,
  at: string,
  disabled: ReadonlyMap<string, string>,
  traits: readonly TraitDef[],
  lists: Map<string, number[]>,
): ComponentSpec {
  const drop = new Map<string, Set<number>>();
  for (const trait of traits) {
    const props = c.traits?.[trait.name];
    if (props === undefined || !trait.peers) continue;
    for (const peer of trait.peers(props as never, joinPointer(at, 'traits', trait.name))) {
      if (!disabled.has(peer.name)) continue;
      const entry = splitPointer(peer.pointer).slice(0, -1);
      const list = joinPointer('', ...entry.slice(0, -1));
      drop.set(list, (drop.get(list) ?? new Set()).add(Number(entry[entry.length - 1])));
    }
  }
  if (!drop.size) return c;
  const out = structuredClone(c) as ComponentSpec;
  const root = { spec: { components: { [Number(splitPointer(at)[2])]: out } } };
  for (const [list, gone] of drop) {
    const items = getAtPointer(root, list) as unknown[];
    const kept = items.map((_, j) => j).filter((j) => !gone.has(j));
    items.splice(0, items.length, ...kept.map((j) => items[j]));
    lists.set(list, kept);
  }
  return out;
}
