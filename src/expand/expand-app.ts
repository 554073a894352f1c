import type { K8sObject } from '../k8s/types.js';
import { refKey, refOf } from '../k8s/object-ref.js';
import type { AppSpec, ComponentSpec, Policies } from '../spec/types.js';
import { ExtensionError } from '../plugins/extension-error.js';
import { appObjects } from './app-objects/index.js';
import type { ExpandedComponent } from './app-objects/types.js';
import { buildPod } from './build-pod.js';
import { objectWithGpuToleration } from './gpu-toleration.js';
import { appLabels, componentLabels, selectorLabels } from './labels.js';
import { labelNamespace } from './namespace-pod-security.js';
import {
  NO_FILES,
  type AppContext,
  type ComponentContext,
  type ComponentTypeDef,
  type EmittedObject,
  type PendingDiagnostic,
  type ResolvedPolicies,
  type SpecFiles,
  type TraitDef,
} from './types.js';

/** An object of the bundle, with where it came from. */
export interface ExpandedObject {
  readonly object: K8sObject;
  /** The component it belongs to; undefined for app-level objects (the Namespace). */
  readonly component: string | undefined;
  /** JSON pointer of the spec part that produced it. */
  readonly pointer: string;
}

export interface ExpandTables {
  readonly componentTypes: ReadonlyMap<string, ComponentTypeDef>;
  readonly traits: readonly TraitDef[];
}

export interface ExpandResult {
  readonly app: AppContext;
  readonly objects: ExpandedObject[];
  readonly diagnostics: PendingDiagnostic[];
}

const DEFAULT_NAMESPACE = 'default';
const DEFAULT_POLICIES: ResolvedPolicies = {
  imagePullPolicy: 'IfNotPresent',
  timeout: '5m',
  retries: 0,
  allowHostPath: false,
  allowClusterScope: false,
  podSecurity: 'restricted',
  gpuToleration: true,
  networkIsolation: false,
  ingressController: { namespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
};

export function resolvePolicies(base: ResolvedPolicies, override: Policies | undefined): ResolvedPolicies {
  return override ? { ...base, ...stripUndefined(override) } : base;
}

function appContext(spec: AppSpec): AppContext {
  return {
    name: spec.metadata.name,
    namespace: spec.metadata.namespace ?? DEFAULT_NAMESPACE,
    labels: { ...spec.metadata.labels },
    annotations: { ...spec.metadata.annotations },
    policies: resolvePolicies(DEFAULT_POLICIES, spec.spec.policies),
  };
}

export interface ExpandOptions {
  /** The files the spec names (raw manifests), read by the loader. */
  readonly files?: SpecFiles;
}

/**
 * Expands a validated application into Kubernetes objects: each component, its traits, then the
 * traits that patch the finished objects (patches).
 */
export function expandApp(spec: AppSpec, tables: ExpandTables, options: ExpandOptions = {}): ExpandResult {
  const app = appContext(spec);
  const objects: ExpandedObject[] = [];
  const diagnostics: PendingDiagnostic[] = [];
  const expanded: ExpandedComponent[] = [];
  if (spec.spec.createNamespace) {
    objects.push({
      object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: app.namespace, labels: appLabels(app), ...annotations(app) } },
      component: undefined,
      pointer: '/spec/createNamespace',
    });
  }
  spec.spec.components.forEach((component, i) => {
    const type = tables.componentTypes.get(component.type);
    if (!type) throw new Error(`component type "${component.type}" reached expansion unvalidated`);
    const ctx = componentContext(app, component, type, `/spec/components/${i}`, options.files);
    const problems = type.problems?.(ctx) ?? [];
    diagnostics.push(...problems);
    if (problems.some((p) => p.severity === 'error')) return;
    try {
      const built = type.capabilities.podTemplate ? buildPod(ctx, tables.traits) : undefined;
      const own = type.expand(ctx, built?.pod);
      // A plugin's component type may ask for GPUs after kubemin built the pod: tolerated here too.
      const made = [...own, ...(built?.objects ?? [])];
      if (ctx.policies.gpuToleration) {
        for (let j = 0; j < made.length; j++) {
          const e = made[j]!;
          const object = objectWithGpuToleration(e.object);
          if (object !== e.object) made[j] = { ...e, object };
        }
      }
      const patched = patchObjects(ctx, tables.traits, made);
      for (const e of patched.objects) {
        objects.push({ object: e.object, component: component.name, pointer: e.pointer ?? ctx.pointer });
      }
      if (built) diagnostics.push(...built.diagnostics);
      diagnostics.push(...patched.diagnostics);
      expanded.push({ ctx, pod: built?.pod });
    } catch (err) {
      if (!(err instanceof ExtensionError)) throw err;
      diagnostics.push(extensionFailed(err, `component "${component.name}"`, ctx.pointer));
    }
  });
  for (const def of appObjects) {
    const derived = def.derive({ app, components: expanded, objects });
    objects.push(...derived.objects);
    diagnostics.push(...(derived.diagnostics ?? []));
  }
  const labelled = labelNamespace(spec, app, objects);
  diagnostics.push(...nameCollisions(labelled));
  return { app, objects: labelled, diagnostics };
}

/** A plugin failed on a part of the spec: an error there, naming the plugin. */
export function extensionFailed(err: ExtensionError, part: string, pointer: string): PendingDiagnostic {
  return {
    severity: 'error',
    code: 'plugin-failed',
    message: `${err.message} (on ${part})`,
    hint: `a fault of the plugin, not of the spec: fix the plugin or report it to its authors; nothing of this application is rendered`,
    pointer,
  };
}

/** The traits that change finished objects, in table order, on a component's objects. */
function patchObjects(
  ctx: ComponentContext,
  traits: readonly TraitDef[],
  objects: EmittedObject[],
): { objects: EmittedObject[]; diagnostics: PendingDiagnostic[] } {
  const diagnostics: PendingDiagnostic[] = [];
  let out = objects;
  for (const trait of traits) {
    const props = ctx.component.traits?.[trait.name];
    if (props === undefined || !trait.patchObjects) continue;
    const result = trait.patchObjects(props, out, { component: ctx, pointer: `${ctx.pointer}/traits/${trait.name}` });
    out = result.objects;
    diagnostics.push(...result.diagnostics);
  }
  return { objects: out, diagnostics };
}

function componentContext(app: AppContext, component: ComponentSpec, type: ComponentTypeDef, pointer: string, files: SpecFiles = NO_FILES): ComponentContext {
  const labels = componentLabels(app, component);
  return {
    app,
    component,
    type,
    pointer,
    policies: resolvePolicies(app.policies, component.policies),
    labels,
    selector: selectorLabels(app, component.name),
    meta: (name) => ({ name, namespace: app.namespace, labels: { ...labels }, ...annotations(app) }),
    files,
  };
}

/** Two objects of the same kind and name would overwrite each other in the cluster. */
function nameCollisions(objects: readonly ExpandedObject[]): PendingDiagnostic[] {
  const first = new Map<string, ExpandedObject>();
  const out: PendingDiagnostic[] = [];
  for (const o of objects) {
    const key = refKey(refOf(o.object));
    const prev = first.get(key);
    if (!prev) {
      first.set(key, o);
      continue;
    }
    const same = prev.component === o.component;
    out.push({
      severity: 'error',
      code: 'object-name-collision',
      message: same
        ? `${describe(o)} produces two ${o.object.kind} objects named "${o.object.metadata.name}"`
        : `${o.object.kind} "${o.object.metadata.name}" is produced twice (by ${describe(prev)} and ${describe(o)})`,
      hint: same ? 'give one of the trait entries a name of its own' : 'rename one of the components, or give the trait entry another name',
      pointer: o.pointer,
      related: [{ message: `the other ${o.object.kind} "${o.object.metadata.name}"`, pointer: prev.pointer }],
    });
  }
  return out;
}

function describe(o: ExpandedObject): string {
  return o.component ? `component "${o.component}"` : 'the application';
}

function annotations(app: AppContext): { annotations?: Record<string, string> } {
  return Object.keys(app.annotations).length ? { annotations: { ...app.annotations } } : {};
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
