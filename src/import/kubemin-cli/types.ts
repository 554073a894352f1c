/**
 * KubeMin-Cli's application as its REST API takes it (`POST /applications`, JSON, snake_case),
 * as read from its source at commit c988cbe6 (`pkg/apiserver/interfaces/api/dto/v1/types.go`,
 * `pkg/apiserver/domain/spec/traits.go`). Go's encoding/json fills absent fields with zero values
 * ("", 0, false, nil), so every field here is optional and a zero value means "not set".
 *
 * The importer reads untrusted JSON: these types name the fields it knows (the readers are typed
 * against them), they do not promise the input has them.
 */

export interface KcApplication {
  id?: string;
  name?: string;
  /** Default "default". */
  namespace?: string;
  alias?: string;
  version?: string;
  project?: string;
  description?: string;
  icon?: string;
  /** Marks the app as a template other apps may clone. */
  tmp_enable?: boolean;
  component?: KcComponent[];
  /** Without steps, one StepByStep step per component, in order. */
  workflow?: KcWorkflowStep[];
}

type KcComponentType = 'webservice' | 'store' | 'config' | 'secret';

export interface KcComponent {
  name?: string;
  type?: KcComponentType;
  image?: string;
  /** Always replaced by the application's namespace. */
  namespace?: string;
  /** 0 (unset) means 1. */
  replicas?: number;
  properties?: KcProperties;
  traits?: KcTraits;
  /** Clone the components of a template application (by its id in KubeMin-Cli's database). */
  template?: { id?: string; target?: string };
}

export interface KcProperties {
  /** The container image of an init container. */
  image?: string;
  /** Any component with ports gets a ClusterIP Service. */
  ports?: Array<{ port?: number }>;
  env?: Record<string, string>;
  /** The data of a config component's ConfigMap. */
  conf?: Record<string, string>;
  /** The data of a secret component's Secret. */
  secret?: Record<string, string>;
  command?: string[];
  labels?: Record<string, string>;
}

/** Applied in this order: storage, env_from, envs, resources, probes, rbac, init, sidecar, ingress. */
export interface KcTraits {
  storage?: KcStorage[];
  env_from?: KcEnvFrom[];
  envs?: KcEnv[];
  resources?: KcResources;
  probes?: KcProbe[];
  rbac?: KcRbac[];
  init?: KcInit[];
  sidecar?: KcSidecar[];
  ingress?: KcIngress[];
  /** How template clones share objects in a namespace. */
  share?: { strategy?: string };
}

export interface KcStorage {
  name?: string;
  type?: 'persistent' | 'ephemeral' | 'host-mounted' | 'config' | 'secret';
  /** Default /mnt/<name>. */
  mount_path?: string;
  sub_path?: string;
  read_only?: boolean;
  /** config / secret: the ConfigMap or Secret (default: name). */
  source_name?: string;
  /** persistent on a store: a volumeClaimTemplates entry instead of one shared claim. */
  tmp_create?: boolean;
  /** persistent: default 1Gi. */
  size?: string;
  claim_name?: string;
  storage_class?: string;
}

export interface KcEnvFrom {
  /** "config" or "secret"; "configMap" passes KubeMin-Cli's validation and then fails the trait. */
  type?: string;
  source_name?: string;
}

export interface KcEnv {
  name?: string;
  /** Exactly one source; KubeMin-Cli takes the first of static, field, secret, config. */
  value_from?: {
    static?: string;
    secret?: { name?: string; key?: string };
    config?: { name?: string; key?: string };
    /** A pod fieldPath, e.g. metadata.namespace. */
    field?: string;
  };
}

export interface KcResources {
  cpu?: string;
  memory?: string;
  /** A quantity string, e.g. "1"; becomes nvidia.com/gpu. */
  gpu?: string;
}

export interface KcProbe {
  type?: 'liveness' | 'readiness' | 'startup';
  initial_delay_seconds?: number;
  period_seconds?: number;
  timeout_seconds?: number;
  failure_threshold?: number;
  success_threshold?: number;
  exec?: { command?: string[] };
  http_get?: { path?: string; port?: number; host?: string; scheme?: string };
  tcp_socket?: { port?: number; host?: string };
}

export interface KcRbac {
  /** Default <component>-sa, then <component>-<n>-sa. */
  service_account?: string;
  namespace?: string;
  cluster_scope?: boolean;
  role_name?: string;
  binding_name?: string;
  /** Sic: KubeMin-Cli's JSON tags of these two are half snake_case. */
  service_accountLabels?: Record<string, string>;
  service_accountAnnotations?: Record<string, string>;
  role_labels?: Record<string, string>;
  binding_labels?: Record<string, string>;
  rules?: KcRbacRule[];
  automount_service_account_token?: boolean;
}

export interface KcRbacRule {
  api_groups?: string[];
  resources?: string[];
  resource_names?: string[];
  non_resource_urls?: string[];
  verbs?: string[];
}

export interface KcInit {
  /** Default <component>-init-<4 random characters>. */
  name?: string;
  /** Only image, command and env are used. */
  properties?: KcProperties;
  traits?: KcTraits;
}

export interface KcSidecar {
  /** Default <component>-sidecar-<4 random characters>. */
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  traits?: KcTraits;
}

export interface KcIngress {
  /** Default <component>-ingress, then <component>-ingress-<n>. */
  name?: string;
  namespace?: string;
  hosts?: string[];
  /** Replaced by the component's labels. */
  label?: Record<string, string>;
  annotations?: Record<string, string>;
  ingress_class_name?: string;
  default_path_type?: string;
  tls?: Array<{ secret_name?: string; hosts?: string[] }>;
  routes?: KcIngressRoute[];
}

export interface KcIngressRoute {
  /** Default /. */
  path?: string;
  path_type?: string;
  host?: string;
  backend?: {
    service_name?: string;
    /** Default 80. */
    service_port?: number;
    weight?: number;
    headers?: Record<string, string>;
  };
  /** Only the replacement is used: it becomes nginx's rewrite-target annotation. */
  rewrite?: { type?: string; match?: string; replacement?: string };
}

export interface KcWorkflowStep {
  name?: string;
  /** "deploy" (the only kind of step an application's workflow has). */
  job_type?: string;
  /** Default StepByStep; anything else than DAG runs StepByStep. */
  mode?: string;
  components?: string[];
  /** Older spelling of components, merged with them. */
  properties?: { policies?: string[] };
  /** With sub_steps, the step's own components are ignored by KubeMin-Cli. */
  sub_steps?: KcWorkflowSubStep[];
}

export interface KcWorkflowSubStep {
  name?: string;
  job_type?: string;
  components?: string[];
  properties?: { policies?: string[] };
}
