import type { JsonSchema } from '../spec/json-schema.js';
import type { ComponentSpec, PodSecurityLevel, Policies } from '../spec/types.js';
import type {
  Container,
  EnvFromSource,
  EnvVar,
  K8sObject,
  Labels,
  ObjectMeta,
  PersistentVolumeClaimTemplate,
  PodSettings,
  PodTemplateSpec,
  Probe,
  ResourceRequirements,
  Volume,
  VolumeMount,
} from '../k8s/types.js';

/**
 * The shapes of kubemin's extension points for expansion: component types and traits.
 * Built-ins are written against exactly this API; each is one file and one line in a table.
 */

/** A diagnostic before it has a place: the pointer is resolved to file:line:col by the caller. */
export interface PendingDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  /** JSON pointer into the application document. */
  pointer: string;
  /** Point at the key rather than the value (e.g. for an unwanted field). */
  atKey?: boolean;
  related?: Array<{ message: string; pointer: string }>;
}

/**
 * What a component type offers to traits. Traits declare which of these they need.
 * @public (the plugin API: plugins written in JS name it in JSDoc)
 */
export interface ComponentCapabilities {
  /** Has a pod template: container and pod traits apply. */
  readonly podTemplate: boolean;
  /** Exposes its ports through a Service named after the component (ingress needs one). */
  readonly service: boolean;
  /** Has replicas that an autoscaler may manage. */
  readonly scalable: boolean;
  /** Persistent storage becomes volumeClaimTemplates (one claim per replica). */
  readonly claimTemplates: boolean;
  /** Runs to completion: sidecars become native sidecars so they do not keep the pod alive. */
  readonly runToCompletion: boolean;
}

export type Capability = keyof ComponentCapabilities;

export interface ResolvedPolicies {
  imagePullPolicy: NonNullable<Policies['imagePullPolicy']>;
  timeout: string;
  retries: number;
  allowHostPath: boolean;
  allowClusterScope: boolean;
  podSecurity: PodSecurityLevel;
  gpuToleration: boolean;
  networkIsolation: boolean;
  ingressController: IngressControllerPolicy;
}

/** Where the ingress controller's pods are, for NetworkPolicies: namespaces by label, optionally pods by label. */
export interface IngressControllerPolicy {
  namespaceLabels: Labels;
  podLabels?: Labels;
}

export interface AppContext {
  readonly name: string;
  readonly namespace: string;
  /** `metadata.labels` of the application, added to every object. */
  readonly labels: Labels;
  /** `metadata.annotations` of the application, added to every object. */
  readonly annotations: Record<string, string>;
  readonly policies: ResolvedPolicies;
}

export interface ComponentContext {
  readonly app: AppContext;
  readonly component: ComponentSpec;
  readonly type: ComponentTypeDef;
  /** JSON pointer of the component in its document, e.g. `/spec/components/2`. */
  readonly pointer: string;
  readonly policies: ResolvedPolicies;
  /** Labels of every object of this component. */
  readonly labels: Labels;
  /** The immutable subset used in selectors. */
  readonly selector: Labels;
  /** Metadata for an object of this component, in the app's namespace. */
  meta(name: string): ObjectMeta;
  /** Files the spec names (raw manifests), relative to the spec file, as the loader read them. */
  readonly files: SpecFiles;
}

/** The files next to a spec: read at the load edge, handed to the pure compiler. */
export interface SpecFiles {
  /** The YAML documents of a file named relative to the spec file. */
  read(relativePath: string): SpecFileRead;
}

export type SpecFileRead =
  | { readonly ok: true; readonly path: string; readonly documents: ReadonlyArray<{ readonly index: number; readonly value: unknown }> }
  /** `reported`: the problem (a YAML syntax error) already has a diagnostic in the file itself. */
  | { readonly ok: false; readonly path: string; readonly message: string; readonly reported: boolean };

/** No files: a spec compiled without its directory (init, import, tests). */
export const NO_FILES: SpecFiles = {
  read: (path) => ({ ok: false, path, message: 'no such file', reported: false }),
};

/** An object produced by a component type or a trait, with the pointer it came from. */
export interface EmittedObject {
  readonly object: K8sObject;
  /** Pointer of the spec part that produced it; defaults to the component. */
  readonly pointer?: string;
}

/** The pod a component runs, after every trait was applied. */
export interface BuiltPod {
  readonly template: PodTemplateSpec;
  readonly claimTemplates: PersistentVolumeClaimTemplate[];
  /** An autoscaler owns the replica count: the workload must not set `replicas`. */
  readonly omitReplicas: boolean;
  /**
   * Labels of the workload object that runs this pod besides the component's (also on the pod
   * template): `app.kubernetes.io/version` from the image tag. Not for other objects of the component.
   */
  readonly workloadLabels: Labels;
}

export interface ComponentTypeDef {
  readonly name: string;
  readonly description: string;
  readonly capabilities: ComponentCapabilities;
  /** The workload object an autoscaler targets (scalable types). */
  readonly workload?: { readonly apiVersion: string; readonly kind: string };
  /** Longest component name whose derived object names still fit Kubernetes' limits. */
  readonly maxNameLength: number;
  /** The fields this type accepts besides `name` and `type` (JSON Schema properties). */
  readonly properties: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  /** Fields whose values are secret: masked in every message and code frame. */
  readonly secretFields?: readonly string[];
  /**
   * Further secret values of a component as written (e.g. the data of a Secret among raw
   * objects), as pointers under the component's `pointer`. Called on unvalidated documents too.
   */
  secretPointers?(component: Record<string, unknown>, pointer: string): string[];
  /** Fields that list files relative to the spec file (read by the load edge, see load/referenced-files.ts). */
  readonly fileFields?: readonly string[];
  /** Problems only expansion can see (a file named that is missing or holds no valid object); none, and `expand` runs. */
  problems?(ctx: ComponentContext): PendingDiagnostic[];
  /** The objects of the component itself (trait objects are added by the expander). */
  expand(ctx: ComponentContext, pod: BuiltPod | undefined): EmittedObject[];
}

/** Changes a trait makes to the container it is attached to. */
export interface ContainerPatch {
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  volumeMounts?: VolumeMount[];
  resources?: ResourceRequirements;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** Merged into the container's securityContext (the trait's fields win). */
  securityContext?: Record<string, unknown>;
  lifecycle?: Record<string, unknown>;
}

/** A pod volume (or volume claim template) with the spec entry that declared it. */
export interface Declared<T> {
  readonly value: T;
  readonly pointer: string;
}

export interface TraitOutput {
  container?: ContainerPatch;
  initContainers?: Container[];
  sidecars?: Container[];
  /** Volumes are shared by name across the pod's containers: the same one twice is one volume. */
  volumes?: Declared<Volume>[];
  claimTemplates?: Declared<PersistentVolumeClaimTemplate>[];
  /**
   * Pod-level settings (merged in trait order: a scalar or object set by an earlier trait wins;
   * nodeSelector keys are merged; tolerations, topologySpreadConstraints and imagePullSecrets are
   * concatenated, without repeats), and the pod template's own labels and annotations.
   */
  pod?: PodSettings & { labels?: Record<string, string>; annotations?: Record<string, string> };
  omitReplicas?: boolean;
  objects?: EmittedObject[];
  diagnostics?: PendingDiagnostic[];
}

export type ContainerRole = 'main' | 'init' | 'sidecar';

/** A container with the pod-level things its traits brought along. */
export interface BuiltContainer {
  container: Container;
  output: TraitOutput;
}

export interface TraitContext {
  readonly component: ComponentContext;
  /** The container this trait is attached to. */
  readonly container: { readonly name: string; readonly role: ContainerRole };
  /** Pointer of this trait's value, e.g. `/spec/components/2/traits/storage`. */
  readonly pointer: string;
  /** Builds a further container (init, sidecar) with its own nested traits. */
  buildContainer(spec: ContainerSpec, role: ContainerRole, pointer: string): BuiltContainer;
}

/** The spec of a container as init and sidecar entries write it. */
export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  traits?: Record<string, unknown>;
}

/** A name another component (or an existing cluster object) must provide. */
export interface Reference {
  readonly kind: 'config' | 'secret';
  readonly name: string;
  readonly pointer: string;
}

export interface TraitDef<P = unknown> {
  /** The key under `traits`, camelCase. */
  readonly name: string;
  readonly description: string;
  /** `container` traits may also be nested under init and sidecar containers. */
  readonly scope: 'container' | 'pod';
  readonly requires?: readonly Capability[];
  readonly schema: JsonSchema;
  apply(props: P, ctx: TraitContext): TraitOutput;
  /** ConfigMaps and Secrets this trait reads, for the deploy-order check. */
  references?(props: P, pointer: string): Reference[];
  /** Other components of the app this trait names as peers (not ConfigMaps or Secrets: those are `references`), each an entry of a list: an environment that disables a component drops the entries naming it. */
  peers?(props: P, pointer: string): Array<{ readonly name: string; readonly pointer: string }>;
  /** Further containers this trait declares (init, sidecar), so checks can walk their traits. */
  containers?(props: P, pointer: string): ContainerView[];
  /**
   * Changes the component's finished objects (its own and every trait's), after every trait's
   * `apply`, in table order: the objects in, the objects out (same names), with problems.
   */
  patchObjects?(props: P, objects: readonly EmittedObject[], ctx: PatchContext): PatchResult;
  /** Secret values among the trait's props (pointers under `pointer`). Called on unvalidated documents too. */
  secretPointers?(props: unknown, pointer: string): string[];
  /*
   * Hooks through which the semantic rules (src/validate/rules/) ask every trait, the plugins'
   * included, what it adds to its container, without naming any trait. Each is given the trait's
   * schema-valid value and answers with where each thing was written: a JSON pointer relative to
   * that value (`/0/name`).
   */
  /** Environment variables the trait sets in its container (rules: set once, readable names). */
  envNames?(props: P): TraitWritten<{ readonly name: string }>[];
  /** Ports the trait's probes of its container name or number (rule: a named port is one of the container's). */
  probePorts?(props: P): TraitWritten<{ readonly port: number | string }>[];
  /** Paths at which the trait mounts volumes in its container (rule: two volumes are not mounted at one path). */
  mountPaths?(props: P): TraitWritten<MountedPath>[];
  /** Seconds a preStop hook the trait adds to its container sleeps (rule: less than the pod's grace period). */
  preStopSeconds?(props: P): TraitWritten<{ readonly seconds: number }>[];
  /** The pod's terminationGracePeriodSeconds, when the trait sets it. */
  gracePeriodSeconds?(props: P): TraitWritten<{ readonly seconds: number }>[];
  /**
   * Where, under the trait's value, it wrote a field of its container's (`securityContext`,
   * `livenessProbe`...), a field of the pod's, or a volume: a relative JSON pointer, as deep as the
   * spec wrote it; undefined when the field is not this trait's (rule pod-security places a
   * violation there).
   */
  written?(props: P, field: WrittenField): string | undefined;
}

/** A part of a rendered pod, for TraitDef.written. */
export type WrittenField = { readonly on: 'container' | 'pod'; readonly path: readonly string[] } | { readonly on: 'volume'; readonly volume: string };

/**
 * Something a trait adds, with the JSON pointer (relative to the trait's value) where it was written.
 * @public (the plugin API: plugins written in JS name it in JSDoc)
 */
export type TraitWritten<T> = T & { readonly pointer: string };

/**
 * A volume a trait mounts in its container.
 * @public (the plugin API: plugins written in JS name it in JSDoc)
 */
export interface MountedPath {
  /** The volume's name: mounts of one volume are the trait's own to check. */
  readonly volume: string;
  readonly path: string;
  /** How messages call it: `storage "data"`. */
  readonly label: string;
  /** The entry that mounts it (relative to the trait's value); `pointer` is where its path was written, or what it derives from. */
  readonly entry: string;
  /** What to do when another volume is mounted at the same path. */
  readonly hint?: string;
}

/** @public (the plugin API: plugins written in JS name it in JSDoc) */
export interface PatchContext {
  readonly component: ComponentContext;
  /** Pointer of this trait's value. */
  readonly pointer: string;
}

/** @public (the plugin API: plugins written in JS name it in JSDoc) */
export interface PatchResult {
  readonly objects: EmittedObject[];
  readonly diagnostics: PendingDiagnostic[];
}

/** A container as written in the spec, with where it was written. */
export interface ContainerView {
  readonly name: string;
  readonly role: ContainerRole;
  readonly env: Record<string, string> | undefined;
  readonly traits: Record<string, unknown> | undefined;
  /** Pointer of the container's spec (the component itself for the main container). */
  readonly pointer: string;
}
