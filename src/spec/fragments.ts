import type { JsonSchema } from './json-schema.js';

/** Schema pieces shared by the component-type, trait and step-type tables. */

export const dnsLabel: JsonSchema = {
  type: 'string',
  format: 'dns-label',
  maxLength: 63,
};

/** A Service name (RFC 1035 label): like dnsLabel, but starting with a letter. */
export const dns1035Label: JsonSchema = { type: 'string', format: 'dns-1035-label' };

/** Most object names and class names (storage classes, ingress classes). */
export const dnsSubdomain: JsonSchema = { type: 'string', format: 'dns-subdomain' };

export const nonEmptyString: JsonSchema = { type: 'string', minLength: 1 };

export const stringList: JsonSchema = { type: 'array', items: { type: 'string' } };

/** A map of strings. Numbers and booleans are refused (YAML would change `1.0` or `0755`): quote them. */
export const stringMap = (what: string): JsonSchema => ({
  type: 'object',
  additionalProperties: {
    type: 'string',
    errorMessage: `${what} values must be strings; quote numbers and booleans, e.g. "8080" or "true"`,
  },
});

/** The data of a ConfigMap or Secret: keys Kubernetes accepts (they become file names), string values. */
export const configData = (what: string): JsonSchema => ({ ...stringMap(what), propertyNames: { format: 'config-key' } });

export const labelMap: JsonSchema = {
  type: 'object',
  propertyNames: { format: 'label-key' },
  additionalProperties: {
    type: 'string',
    format: 'label-value',
    errorMessage: 'label values must be strings of at most 63 characters: quote numbers and booleans',
  },
};

export const annotationMap: JsonSchema = {
  type: 'object',
  propertyNames: { format: 'annotation-key' },
  additionalProperties: { type: 'string', errorMessage: 'annotation values must be strings; quote numbers and booleans' },
};

/** A resource amount (cpu, memory, requests and limits): a quantity of at least 0. */
export const quantity: JsonSchema = {
  type: 'string',
  format: 'resource-quantity',
  errorMessage: 'must be a Kubernetes quantity written as a string, e.g. "250m", "1Gi" or "2"',
};

/** A size: more than 0; a bare number is an error, not bytes. */
export const size: JsonSchema = {
  type: 'string',
  format: 'size',
  errorMessage: 'must be a size with a unit, written as a string, e.g. "1Gi" or "500Mi" (a bare number would mean bytes)',
};

export const duration: JsonSchema = {
  type: 'string',
  format: 'duration',
  errorMessage: 'must be a duration such as "90s", "5m" or "1h30m"',
};

export const absolutePath: JsonSchema = { type: 'string', format: 'absolute-path' };

export const portNumber: JsonSchema = { type: 'integer', minimum: 1, maximum: 65535 };

/** A container port: a number, or the name of a port (an IANA service name, as `ports[].name`). */
export const portRef: JsonSchema = {
  type: ['integer', 'string'],
  minimum: 1,
  maximum: 65535,
  format: 'port-name',
};

export const envMap: JsonSchema = {
  description: 'Environment variables of the main container, in the order written.',
  type: 'object',
  propertyNames: { format: 'env-name' },
  additionalProperties: {
    type: 'string',
    errorMessage: 'env values must be strings; quote numbers and booleans, e.g. "8080" or "true"',
  },
};

export const ports: JsonSchema = {
  type: 'array',
  description: 'Ports of the main container, exposed by a Service.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['port'],
    properties: {
      port: { ...portNumber, description: 'The port the container listens on; the Service exposes it under the same number.' },
      name: {
        type: 'string',
        format: 'port-name',
        description: 'Port name, for probes and ingress routes to refer to (default p<port>, e.g. p8080; p<port>-udp for UDP).',
      },
      protocol: { enum: ['TCP', 'UDP', 'SCTP'], description: 'Default TCP.' },
    },
  },
};

export const policies: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    imagePullPolicy: {
      enum: ['Always', 'IfNotPresent', 'Never'],
      description: 'When the kubelet pulls the image: Always, IfNotPresent (the default) or Never (only images already on the node).',
    },
    timeout: { ...duration, description: 'How long a step may take to become ready (default 5m).' },
    retries: { type: 'integer', minimum: 0, maximum: 10, description: 'How often a failed step is retried.' },
    allowHostPath: { type: 'boolean', description: 'Allow host-mounted storage (default false).' },
    allowClusterScope: { type: 'boolean', description: 'Allow cluster-scoped RBAC (default false).' },
    podSecurity: {
      enum: ['restricted', 'baseline', 'privileged'],
      description:
        "The Kubernetes Pod Security Standard the pods must meet (default restricted): kubemin's defaults meet it, `validate` checks every rendered pod against it as the API server's PodSecurity admission would, and a created Namespace enforces the most permissive level of the app. baseline allows running as root and the default capabilities; privileged allows everything (host namespaces, host paths, privileged containers).",
    },
    gpuToleration: {
      type: 'boolean',
      description:
        'Pods that ask for nvidia.com/gpu tolerate the taint nvidia.com/gpu:NoSchedule that managed clusters put on GPU nodes (operator Exists), as the ExtendedResourceToleration admission plugin would add it (default true; false: only the tolerations written in placement).',
    },
    networkIsolation: {
      type: 'boolean',
      description:
        "Isolate the pods (default false): every component with pods gets a NetworkPolicy that allows ingress only from what the app needs (the ingress controller to components its Ingresses route to, components to what they list in dependsOn, a store's pods to each other) and what its networkPolicy trait allows. Egress stays open.",
    },
    ingressController: {
      type: 'object',
      additionalProperties: false,
      required: ['namespaceLabels'],
      description: 'Where the ingress controller runs, for NetworkPolicies (default {namespaceLabels: {kubernetes.io/metadata.name: ingress-nginx}}).',
      properties: {
        namespaceLabels: { ...labelMap, description: 'Labels of its namespace, e.g. {kubernetes.io/metadata.name: ingress-nginx}.' },
        podLabels: { ...labelMap, description: 'Labels of its pods in that namespace (default: any pod there).' },
      },
    },
  },
};

/** The fields of a container: the main one of a component, an init container or a sidecar. */
export const containerFields = {
  image: { type: 'string', format: 'image', description: 'Container image, e.g. ghcr.io/acme/shop:1.4.0.' },
  command: { ...stringList, description: 'Entrypoint (replaces the image ENTRYPOINT).' },
  args: { ...stringList, description: 'Arguments (replace the image CMD).' },
  env: envMap,
} satisfies Record<string, JsonSchema>;

/** The fields of a long-running workload: its container, replicas and ports. */
export const workloadFields = {
  ...containerFields,
  replicas: { type: 'integer', minimum: 0, description: 'Number of pods (default 1).' },
  ports,
} satisfies Record<string, JsonSchema>;
