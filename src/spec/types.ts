/**
 * The kubemin.yaml format, as TypeScript sees it after schema validation.
 * The JSON Schema (built from the component-type, trait and step-type tables) is the source of
 * truth for what is accepted; these types mirror it for the code that consumes validated specs.
 */

export const API_VERSION = 'kubemin.dev/v1alpha1';
export const APP_KIND = 'Application';

export interface AppSpec {
  apiVersion: typeof API_VERSION;
  kind: typeof APP_KIND;
  metadata: AppMetadata;
  spec: {
    createNamespace?: boolean;
    policies?: Policies;
    components: ComponentSpec[];
    workflow?: { steps: StepSpec[] };
    environments?: EnvironmentSpec[];
  };
}

/**
 * A place the application runs (staging, production): the base with a few fields changed.
 * Each component override is an RFC 7386 merge patch over the component as written.
 */
export interface EnvironmentSpec {
  name: string;
  /** Default: the application's namespace. */
  namespace?: string;
  /** The kubeconfig context that diff, apply and watch use for it (default: the current context). */
  cluster?: string;
  /** Merged over the application's policies. */
  policies?: Policies;
  /** By component name: a merge patch over its spec; `disabled: true` leaves it out. */
  components?: Record<string, ComponentOverride>;
}

type ComponentOverride = { disabled?: boolean } & Record<string, unknown>;

interface AppMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** A level of the Kubernetes Pod Security Standards, from the most to the least restrictive. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface Policies {
  imagePullPolicy?: ImagePullPolicy;
  /** Default step timeout, a duration such as `5m`. */
  timeout?: string;
  /** How often the applier retries a failed step. */
  retries?: number;
  allowHostPath?: boolean;
  allowClusterScope?: boolean;
  /** The Pod Security Standard the pods must meet (default restricted). */
  podSecurity?: PodSecurityLevel;
  /** Pods that ask for nvidia.com/gpu tolerate the nvidia.com/gpu:NoSchedule taint (default true). */
  gpuToleration?: boolean;
  /** Every component's pods get a NetworkPolicy: ingress only from what the app needs and its traits allow (default false). */
  networkIsolation?: boolean;
  /** The ingress controller's pods, for NetworkPolicies (default the namespace ingress-nginx). */
  ingressController?: { namespaceLabels: Record<string, string>; podLabels?: Record<string, string> };
}

export interface PortSpec {
  port: number;
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** A component: common fields plus the fields of its type (kept open here; each type reads its own). */
export interface ComponentSpec {
  name: string;
  type: string;
  image?: string;
  replicas?: number;
  ports?: PortSpec[];
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  dependsOn?: string[];
  labels?: Record<string, string>;
  policies?: Policies;
  traits?: Record<string, unknown>;
  [field: string]: unknown;
}

export type StepMode = 'serial' | 'parallel';

export interface StepSpec {
  name: string;
  type?: string;
  components?: string[];
  /** `StepByStep` and `DAG` are KubeMin-Cli's spellings, accepted and normalised. */
  mode?: StepMode | 'StepByStep' | 'DAG';
  timeout?: string;
  [field: string]: unknown;
}
