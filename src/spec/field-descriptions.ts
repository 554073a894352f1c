import type { JsonSchema } from './json-schema.js';

/**
 * Descriptions of built-in fields whose table entry (a trait or component type in src/expand) gives
 * none, by `$defs` entry, then field path: property names joined by '.', through arrays and
 * branches (`httpGet.port` is the `port` of the `httpGet` of each probe). A description written in
 * the table wins; an entry here that no field takes any more fails test/spec/descriptions.test.ts,
 * and so does a built-in field with a description from neither.
 */
export const FIELD_DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'trait.storage': {
    type: 'persistent: a PersistentVolumeClaim; ephemeral: a scratch emptyDir; host-mounted: a directory of the node (needs policies.allowHostPath); config, secret: a ConfigMap or Secret as files.',
  },
  'trait.envFrom': { type: 'Whether sourceName is a ConfigMap (config) or a Secret (secret).' },
  'trait.envs': {
    name: 'The variable name.',
    value: 'The value, as a string.',
    valueFrom: 'Where the value comes from instead: exactly one of secret, config or field.',
    'valueFrom.secret': 'A key of a Secret (secretKeyRef).',
    'valueFrom.config': 'A key of a ConfigMap (configMapKeyRef).',
    'valueFrom.secret.name': 'The Secret: a component of this app, or an existing one.',
    'valueFrom.secret.key': 'The key in the Secret.',
    'valueFrom.secret.optional': 'Start the container even when the Secret or its key does not exist (the variable is then unset).',
    'valueFrom.config.name': 'The ConfigMap: a component of this app, or an existing one.',
    'valueFrom.config.key': 'The key in the ConfigMap.',
    'valueFrom.config.optional': 'Start the container even when the ConfigMap or its key does not exist (the variable is then unset).',
  },
  'trait.resources': {
    requests:
      'What the scheduler reserves, by resource name (cpu, memory, ephemeral-storage, hugepages-<size>, nvidia.com/gpu...), e.g. {cpu: "250m", memory: "256Mi"}.',
    limits: 'The most the container may use, by resource name; above the memory limit it is killed, above the CPU limit throttled.',
  },
  'trait.probes': {
    type: 'liveness: restart the container when it fails; readiness: take the pod out of its Services while it fails; startup: hold the other probes back until it succeeds once.',
    exec: 'Run a command in the container: exit status 0 is success.',
    'exec.command': 'The command and its arguments (no shell: write ["sh", "-c", "..."] for one).',
    httpGet: 'An HTTP GET: a status from 200 to 399 is success.',
    'httpGet.path': 'The path to request (default /).',
    'httpGet.port': 'The port number, or the name of one of the ports.',
    'httpGet.host': "The host to connect to (default: the pod's IP); set the Host header in httpHeaders instead to name a virtual host.",
    'httpGet.scheme': 'HTTP (the default) or HTTPS (the certificate is not verified).',
    'httpGet.httpHeaders': 'Headers sent with the request.',
    'httpGet.httpHeaders.name': 'The header name, e.g. Host.',
    'httpGet.httpHeaders.value': 'The header value.',
    tcpSocket: 'Open a TCP connection: success when it opens.',
    'tcpSocket.port': 'The port number, or the name of one of the ports.',
    'tcpSocket.host': "The host to connect to (default: the pod's IP).",
    grpc: 'A gRPC health check (grpc.health.v1): success when the service reports SERVING.',
    'grpc.port': 'The port number of the gRPC server.',
    'grpc.service': 'The service name sent in the health check (default: the server as a whole).',
    initialDelaySeconds: 'Seconds after the container starts before the first probe (default 0).',
    periodSeconds: 'Seconds between probes (default 10).',
    timeoutSeconds: 'Seconds a probe may take before it counts as failed (default 1).',
    failureThreshold: 'Failures in a row before the probe counts as failed (default 3).',
    successThreshold: 'Successes in a row after a failure before the probe counts as succeeded again (default 1; must be 1 for liveness and startup).',
  },
  'trait.rbac': {
    automountServiceAccountToken: "Mount the ServiceAccount's API token into the pod (default: as the ServiceAccount says, true).",
    rules: 'The permissions granted, as in a Role: each rule some verbs on some resources (or non-resource URLs).',
    'rules.resources': 'Resource types, e.g. pods, configmaps or deployments/scale.',
    'rules.resourceNames': 'Only the objects of these names (default: all of them).',
    'rules.verbs': 'What may be done, e.g. get, list, watch, create, update, patch, delete, or * for all.',
  },
  'trait.ingress': {
    annotations: 'Annotations of the Ingress, for the ingress controller (e.g. nginx.ingress.kubernetes.io/proxy-body-size).',
    tls: 'HTTPS: each entry a Secret with the certificate and key, and the hosts it serves.',
    'tls.secretName': 'The Secret of type kubernetes.io/tls with the certificate and key.',
    routes: "The paths routed to a Service (default: one route, / to the component's first port).",
    'routes.pathType': 'Prefix (the path and everything below it), Exact, or ImplementationSpecific (as the controller decides); default defaultPathType.',
    'routes.host': 'The host of this route only (default: the hosts of the entry).',
    'routes.backend': "Where the route goes (default: the component's Service, its first port).",
    'routes.rewrite': 'Rewrite the path before it reaches the backend (nginx ingress controller).',
  },
  'trait.autoscale': { maxReplicas: 'The most pods the HorizontalPodAutoscaler scales to.' },
  'trait.placement': {
    'tolerations.value': 'The taint value, with operator Equal.',
    'spread.across': 'zone, host or zone-and-host: the node labels topology.kubernetes.io/zone and kubernetes.io/hostname.',
  },
  'trait.patches': { 'json.op': 'The operation (RFC 6902): add, remove, replace, move, copy or test.' },
  'component.job': {
    'job.completions': 'How many pods must succeed for the Job to be complete (default 1).',
    'job.parallelism': 'How many pods run at once (default 1).',
  },
  'component.cronjob': {
    successfulJobsHistoryLimit: 'How many finished Jobs are kept (default 3).',
    failedJobsHistoryLimit: 'How many failed Jobs are kept (default 1).',
    startingDeadlineSeconds: 'A run missed by more than this many seconds (the controller was down, the last run still going) is skipped.',
    suspend: 'Start no more runs (running ones go on).',
    'job.completions': 'How many pods must succeed for a run to be complete (default 1).',
    'job.parallelism': 'How many pods of a run run at once (default 1).',
  },
  'component.k8s-objects': {
    'objects.metadata': 'The name of the object, and its namespace, labels and annotations.',
    'objects.metadata.name': 'The object name.',
    'objects.metadata.labels': "Labels of the object (the application's labels are added).",
    'objects.metadata.annotations': 'Annotations of the object.',
  },
};

/** Subschemas that are conditions, not fields: their properties need no description. */
const CONDITIONS = new Set(['if', 'not']);
/** Subschemas at the same field path as their parent. */
const SAME_FIELD = new Set(['items', 'then', 'else', 'additionalProperties']);
const BRANCHES = new Set(['allOf', 'anyOf', 'oneOf']);

/** Visits every field (property schema) under `node`, with its path as FIELD_DESCRIPTIONS keys it. */
export function forEachField(node: JsonSchema, visit: (path: string, field: JsonSchema) => void, path = ''): void {
  for (const [key, value] of Object.entries(node)) {
    if (CONDITIONS.has(key) || value === null || typeof value !== 'object') continue;
    if (key === 'properties') {
      for (const [name, field] of Object.entries(value as Record<string, JsonSchema>)) {
        const fieldPath = path ? `${path}.${name}` : name;
        visit(fieldPath, field);
        forEachField(field, visit, fieldPath);
      }
    } else if (SAME_FIELD.has(key)) forEachField(value as JsonSchema, visit, path);
    else if (BRANCHES.has(key)) for (const branch of value as JsonSchema[]) forEachField(branch, visit, path);
  }
}

/**
 * `defs` with the descriptions of FIELD_DESCRIPTIONS given to the fields that have none. Returns a
 * copy of each entry it changes; the tables are shared and never changed.
 */
export function describeFields(defs: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const out = { ...defs };
  for (const [def, descriptions] of Object.entries(FIELD_DESCRIPTIONS)) {
    const schema = out[def];
    if (!schema) continue;
    // A JSON copy: a fragment the table uses twice (probe timings, key references) must become two.
    const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
    forEachField(copy, (path, field) => {
      const description = descriptions[path];
      if (description !== undefined && field.description === undefined && field.$ref === undefined) field.description = description;
    });
    out[def] = copy;
  }
  return out;
}
