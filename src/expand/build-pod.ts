import type { Container, EnvVar, PodSettings } from '../k8s/types.js';
import { joinPointer } from '../load/json-pointer.js';
import { withGpuToleration } from './gpu-toleration.js';
import { canonicalJson } from './hash.js';
import { containerSecurityDefaults, podSecurityDefaults } from './security-defaults.js';
import { RESERVED_LABELS } from './labels.js';
import { VERSION_LABEL, versionLabels } from './version-label.js';
import type {
  BuiltContainer,
  BuiltPod,
  ComponentContext,
  ContainerPatch,
  ContainerRole,
  ContainerSpec,
  Declared,
  EmittedObject,
  PendingDiagnostic,
  TraitDef,
  TraitOutput,
} from './types.js';

export interface PodBuildResult {
  pod: BuiltPod;
  objects: EmittedObject[];
  diagnostics: PendingDiagnostic[];
}

/**
 * Builds a component's pod: the main container from the common fields, then every trait in table
 * order, each returning container changes and pod-level additions that are merged here.
 */
export function buildPod(ctx: ComponentContext, traits: readonly TraitDef[]): PodBuildResult {
  const c = ctx.component;
  const main = buildContainer(
    ctx,
    traits,
    { name: c.name, image: c.image, command: c.command, args: c.args, env: c.env, traits: c.traits },
    'main',
    ctx.pointer,
  );
  if (c.ports?.length) {
    main.container.ports = c.ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      containerPort: p.port,
      ...(p.protocol ? { protocol: p.protocol } : {}),
    }));
  }
  const out = main.output;
  const diagnostics = [...(out.diagnostics ?? [])];
  const volumes = mergeByName('volume', out.volumes ?? [], diagnostics);
  const claimTemplates = mergeByName('volume claim template', out.claimTemplates ?? [], diagnostics, (c) => c.metadata.name);
  for (const c of out.claimTemplates ?? []) {
    const clash = (out.volumes ?? []).find((v) => v.value.name === c.value.metadata.name);
    if (clash) diagnostics.push(conflict('volume', c.value.metadata.name, clash.pointer, c.pointer));
  }
  const native = ctx.type.capabilities.runToCompletion;
  const sidecars = (out.sidecars ?? []).map((s) => (native ? { ...s, restartPolicy: 'Always' } : s));
  // Secure by default (security-defaults.ts): every container, then the pod, at the component's level.
  const level = ctx.policies.podSecurity;
  const secured = (list: Container[]): Container[] => list.map((x) => reorderContainer(containerSecurityDefaults(level, x)));
  const initContainers = secured([...(out.initContainers ?? []), ...(native ? sidecars : [])]);
  const containers = secured([main.container, ...(native ? [] : sidecars)]);

  const { labels, annotations, ...given } = out.pod ?? {};
  // Pods that ask for GPUs tolerate the GPU nodes' taint (gpu-toleration.ts): here, so that a job's name hashes it.
  const settings = ctx.policies.gpuToleration
    ? { ...given, tolerations: withGpuToleration({ tolerations: given.tolerations, containers, initContainers }).tolerations }
    : given;
  const spec: BuiltPod['template']['spec'] = {
    ...podSettings({ ...settings, securityContext: podSecurityDefaults(level, settings.securityContext) }),
    ...(initContainers.length ? { initContainers } : {}),
    containers,
    ...(volumes.length ? { volumes } : {}),
  };
  // kubemin's own labels always win (selectors and pruning rely on them; validation refuses them
  // in a spec); the pod's other labels are more specific than the component's and win over them.
  const podLabels = Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !(RESERVED_LABELS as readonly string[]).includes(k)));
  const version = VERSION_LABEL in ctx.labels || VERSION_LABEL in podLabels ? {} : versionLabels(c.image);
  const metadata = {
    labels: { ...ctx.labels, ...version, ...podLabels },
    ...(annotations && Object.keys(annotations).length ? { annotations: sortedMap(annotations) } : {}),
  };
  return {
    pod: {
      template: { metadata, spec },
      claimTemplates,
      omitReplicas: out.omitReplicas ?? false,
      workloadLabels: version,
    },
    objects: out.objects ?? [],
    diagnostics,
  };
}

/** A container from its spec, with its traits applied in table order. */
function buildContainer(ctx: ComponentContext, traits: readonly TraitDef[], spec: ContainerSpec, role: ContainerRole, pointer: string): BuiltContainer {
  const container: Container = {
    name: spec.name,
    ...(spec.image ? { image: spec.image, imagePullPolicy: ctx.policies.imagePullPolicy } : {}),
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(spec.env && Object.keys(spec.env).length ? { env: envFromMap(spec.env) } : {}),
  };
  const output: TraitOutput = {};
  const given = spec.traits ?? {};
  for (const trait of traits) {
    const props = given[trait.name];
    if (props === undefined) continue;
    const traitPointer = joinPointer(pointer, 'traits', trait.name);
    const result = trait.apply(props, {
      component: ctx,
      container: { name: spec.name, role },
      pointer: traitPointer,
      buildContainer: (s, r, p) => buildContainer(ctx, traits, s, r, p),
    });
    if (result.container) patchContainer(container, result.container);
    mergeOutput(output, result);
  }
  return { container, output };
}

function envFromMap(env: Record<string, string>): EnvVar[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

function patchContainer(c: Container, patch: ContainerPatch): void {
  if (patch.env?.length) c.env = [...(c.env ?? []), ...patch.env];
  if (patch.envFrom?.length) c.envFrom = [...(c.envFrom ?? []), ...patch.envFrom];
  if (patch.volumeMounts?.length) c.volumeMounts = [...(c.volumeMounts ?? []), ...patch.volumeMounts];
  if (patch.resources) c.resources = patch.resources;
  if (patch.livenessProbe) c.livenessProbe = patch.livenessProbe;
  if (patch.readinessProbe) c.readinessProbe = patch.readinessProbe;
  if (patch.startupProbe) c.startupProbe = patch.startupProbe;
  if (patch.securityContext) c.securityContext = { ...c.securityContext, ...patch.securityContext };
  if (patch.lifecycle) c.lifecycle = { ...c.lifecycle, ...patch.lifecycle };
}

/** Adds `from` into `into`: lists are concatenated, the pod settings of the first trait win. */
export function mergeOutput(into: TraitOutput, from: TraitOutput): void {
  const lists = ['initContainers', 'sidecars', 'volumes', 'claimTemplates', 'objects', 'diagnostics'] as const;
  for (const key of lists) {
    const add = from[key];
    if (add?.length) (into[key] as unknown[]) = [...((into[key] as unknown[] | undefined) ?? []), ...add];
  }
  if (from.pod) into.pod = mergePod(into.pod ?? {}, from.pod);
  if (from.omitReplicas) into.omitReplicas = true;
}

type PodOutput = NonNullable<TraitOutput['pod']>;

/** `into` with `from` added: lists concatenated without repeats, maps merged, other settings of `into` (the earlier trait) kept. */
function mergePod(into: PodOutput, from: PodOutput): PodOutput {
  const out: Record<string, unknown> = { ...from, ...into };
  for (const key of ['tolerations', 'topologySpreadConstraints', 'imagePullSecrets'] as const) {
    const all = [...(into[key] ?? []), ...(from[key] ?? [])];
    const seen = new Set<string>();
    if (all.length) out[key] = all.filter((x) => !seen.has(canonicalJson(x)) && seen.add(canonicalJson(x)));
  }
  for (const key of ['nodeSelector', 'labels', 'annotations'] as const) {
    if (into[key] || from[key]) out[key] = { ...from[key], ...into[key] };
  }
  return out as PodOutput;
}

/** Pod settings in a fixed key order (the order of PodSettings), empty ones left out. */
function podSettings(settings: PodSettings): PodSettings {
  const out: Record<string, unknown> = {};
  for (const key of POD_KEYS) {
    const v = settings[key];
    if (v === undefined || (Array.isArray(v) && !v.length)) continue;
    out[key] = key === 'nodeSelector' ? sortedMap(v as Record<string, string>) : v;
  }
  return out as PodSettings;
}

const POD_KEYS: ReadonlyArray<keyof PodSettings> = [
  'serviceAccountName',
  'automountServiceAccountToken',
  'priorityClassName',
  'terminationGracePeriodSeconds',
  'securityContext',
  'nodeSelector',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'imagePullSecrets',
];

function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Volumes (and claim templates) are shared by name: the same definition declared for two
 * containers is one volume; two different definitions of one name are an error.
 */
function mergeByName<T extends object>(
  what: string,
  items: readonly Declared<T>[],
  diagnostics: PendingDiagnostic[],
  nameOf: (t: T) => string = (t) => (t as { name: string }).name,
): T[] {
  // The canonical text of a definition is only needed when its name comes again.
  const byName = new Map<string, { item: Declared<T>; text?: string }>();
  const out: T[] = [];
  for (const item of items) {
    const name = nameOf(item.value);
    const seen = byName.get(name);
    if (!seen) {
      byName.set(name, { item });
      out.push(item.value);
    } else if ((seen.text ??= canonicalJson(seen.item.value)) !== canonicalJson(item.value)) {
      diagnostics.push(conflict(what, name, item.pointer, seen.item.pointer));
    }
  }
  return out;
}

function conflict(what: string, name: string, pointer: string, first: string): PendingDiagnostic {
  return {
    severity: 'error',
    code: 'volume-conflict',
    message: `${what} "${name}" is declared again with a different source in this pod`,
    hint: 'give one of the storage entries another name, or make both entries identical to share the volume',
    pointer,
    related: [{ message: 'first declared here', pointer: first }],
  };
}

/** Fixed key order, so that containers read the same whichever trait touched them first. */
const CONTAINER_KEYS: ReadonlyArray<keyof Container> = [
  'name',
  'image',
  'imagePullPolicy',
  'command',
  'args',
  'ports',
  'env',
  'envFrom',
  'resources',
  'volumeMounts',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'securityContext',
  'restartPolicy',
];

function reorderContainer(c: Container): Container {
  const out: Record<string, unknown> = {};
  for (const k of CONTAINER_KEYS) if (c[k] !== undefined) out[k] = c[k];
  return out as unknown as Container;
}
