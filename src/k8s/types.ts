/**
 * Minimal shapes of the Kubernetes objects kubemin builds. They only type what builders write;
 * the OpenAPI check of rendered objects (test suite) is what proves them valid.
 */

export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface EnvFromSource {
  configMapRef?: { name: string };
  secretRef?: { name: string };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface Volume {
  name: string;
  [source: string]: unknown;
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export type Probe = Record<string, unknown>;

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** `Always` makes an init container a native sidecar (Kubernetes >= 1.29). */
  restartPolicy?: string;
  lifecycle?: Record<string, unknown>;
  securityContext?: Record<string, unknown>;
}

/** What traits may set on a pod besides its containers and volumes (see TraitOutput.pod). */
export interface PodSettings {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  priorityClassName?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Array<Record<string, unknown>>;
  topologySpreadConstraints?: Array<Record<string, unknown>>;
  imagePullSecrets?: Array<{ name: string }>;
}

export interface PodSpec extends PodSettings {
  restartPolicy?: string;
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
}

export interface PodTemplateSpec {
  metadata: { labels: Labels; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface PersistentVolumeClaimTemplate {
  metadata: { name: string; labels?: Labels };
  spec: {
    accessModes: string[];
    storageClassName?: string;
    resources: { requests: { storage: string } };
  };
}
