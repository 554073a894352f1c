// An example kubemin plugin: a component type `ai-eval`, a trait `serviceMonitor`, and when a
// ServiceMonitor is ready (a readiness rule).
//
// A plugin is data and pure functions, in the shapes kubemin's built-ins use: each component type,
// trait and step type has a name, a JSON Schema of its fields (merged into validation, so a typo
// gets a file:line:col diagnostic like any other) and a function from the spec to Kubernetes
// objects. The default export may be the plugin itself, or, as here, a function that receives
// kubemin's plugin API (schema fragments, the GPU resource name, a short hash) and returns it.
// kubemin calls these functions with data and takes only data back; they should stay pure (the
// same spec, the same objects). They run in a worker thread with a time limit per call and a heap
// limit, and cannot end kubemin's process, but that is not a sandbox: a plugin is code from the
// repository and runs with the rights of whoever runs kubemin (it could read files, the
// environment or the network). Run kubemin only on repositories whose plugins you trust.
//
// A trait's `apply` returns what the built-in traits return (TraitOutput in src/expand/types.ts):
// `objects`, `initContainers`, `sidecars`, `volumes`, changes to its `container` (env, volumeMounts,
// resources, probes, securityContext, lifecycle) and `pod`, the pod-level settings: nodeSelector,
// tolerations, affinity, topologySpreadConstraints, priorityClassName, securityContext,
// terminationGracePeriodSeconds, imagePullSecrets, serviceAccountName, automountServiceAccountToken,
// and the pod template's own labels and annotations. For example, a trait that puts a pod on a
// tainted node pool:
//
//   apply: (props) => ({
//     pod: {
//       nodeSelector: { pool: props.pool },
//       tolerations: [{ key: 'pool', operator: 'Equal', value: props.pool, effect: 'NoSchedule' }],
//     },
//     container: { securityContext: { readOnlyRootFilesystem: true } },
//   }),
//
// kubemin checks their shape when the call returns (a wrong one is a diagnostic naming the plugin),
// merges them with the other traits' in trait order, and checks the rendered pod like any other
// (the API server's schema, podSecurity).

/** @param {import('../../../src/plugins/types.js').PluginApi} api */
export default function aiEvalPlugin(api) {
  const { containerFields, dnsLabel } = api.fragments;

  /** An AI evaluation run: a Job with GPUs, a read-only model volume and a cloud key from a Secret. */
  const aiEval = {
    name: 'ai-eval',
    description:
      'An AI evaluation run: a Job with `gpus` NVIDIA GPUs, the model claim mounted read-only, a cloud API key from a Secret and a deadline. Named <component>-<hash>, so a changed run runs anew.',
    // Traits (resources, envs, storage, ...) apply to its pod as to a job's.
    capabilities: { podTemplate: true, service: false, scalable: false, claimTemplates: false, runToCompletion: true },
    maxNameLength: 54,
    properties: {
      ...containerFields,
      gpus: { type: 'integer', minimum: 1, maximum: 16, description: 'Whole GPUs for the evaluation (nvidia.com/gpu).' },
      model: {
        type: 'object',
        additionalProperties: false,
        required: ['claimName'],
        description: 'The model weights: an existing PersistentVolumeClaim, mounted read-only.',
        properties: { claimName: dnsLabel, mountPath: { type: 'string', pattern: '^/', default: '/models' } },
      },
      cloudKey: {
        type: 'object',
        additionalProperties: false,
        required: ['secret', 'key'],
        description: 'A Secret created outside git holding the cloud API key.',
        properties: { secret: dnsLabel, key: { type: 'string', minLength: 1 }, env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$', default: 'CLOUD_API_KEY' } },
      },
      deadline: { type: 'integer', minimum: 60, description: 'activeDeadlineSeconds: the run is stopped after this many seconds.' },
      backoffLimit: { type: 'integer', minimum: 0, maximum: 10, description: 'Retries of a failed run (default 0: evaluations are expensive).' },
    },
    required: ['image', 'gpus', 'model', 'cloudKey', 'deadline'],
    expand(ctx, pod) {
      const c = ctx.component;
      const template = structuredClone(pod.template);
      const main = template.spec.containers[0];
      const gpus = String(c.gpus);
      main.resources = {
        ...main.resources,
        requests: { ...main.resources?.requests, [api.gpuResource]: gpus },
        limits: { ...main.resources?.limits, [api.gpuResource]: gpus },
      };
      main.volumeMounts = [...(main.volumeMounts ?? []), { name: 'model', mountPath: c.model.mountPath ?? '/models', readOnly: true }];
      main.env = [...(main.env ?? []), { name: c.cloudKey.env ?? 'CLOUD_API_KEY', valueFrom: { secretKeyRef: { name: c.cloudKey.secret, key: c.cloudKey.key } } }];
      template.spec.volumes = [...(template.spec.volumes ?? []), { name: 'model', persistentVolumeClaim: { claimName: c.model.claimName, readOnly: true } }];
      template.spec.restartPolicy = 'Never';
      const spec = { backoffLimit: c.backoffLimit ?? 0, activeDeadlineSeconds: c.deadline, template };
      return [{ object: { apiVersion: 'batch/v1', kind: 'Job', metadata: ctx.meta(`${c.name}-${api.shortHash(spec)}`), spec } }];
    },
  };

  /** A Prometheus Operator ServiceMonitor scraping the component's Service. */
  const serviceMonitor = {
    name: 'serviceMonitor',
    description: "A monitoring.coreos.com/v1 ServiceMonitor that scrapes the component's Service (needs the Prometheus Operator's CRDs).",
    scope: 'pod',
    requires: ['service'],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'string', minLength: 1, description: "Name of the Service port to scrape (default: the component's first port)." },
        path: { type: 'string', pattern: '^/', default: '/metrics' },
        interval: { type: 'string', pattern: '^[1-9][0-9]*(s|m)$', default: '30s' },
      },
    },
    apply(props, ctx) {
      const component = ctx.component.component;
      const first = component.ports?.[0];
      const port = props.port ?? first?.name ?? (first ? `p${first.port}` : 'http');
      const object = {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: ctx.component.meta(component.name),
        spec: {
          selector: { matchLabels: { ...ctx.component.selector } },
          endpoints: [{ port, path: props.path ?? '/metrics', interval: props.interval ?? '30s' }],
        },
      };
      return { objects: [{ object, pointer: ctx.pointer }] };
    },
  };

  /**
   * When `kubemin apply` may take a ServiceMonitor as ready. Without a rule it would wait for a
   * Ready or Available condition, which the Prometheus Operator never sets on one. Since 0.80 the
   * operator reports, per Prometheus that selects it, an `Accepted` condition under
   * `status.bindings`; a ServiceMonitor no Prometheus selects has none, and is ready once it
   * exists. `check` gets the object (and the `related` objects, none here) and says ready,
   * progressing or failed, with a message; it runs in the plugin's worker, like every function here.
   */
  const serviceMonitorReadiness = {
    name: 'servicemonitor',
    description: 'Ready once it exists; failed when a Prometheus that selects it does not accept it (Accepted: False).',
    kinds: ['monitoring.coreos.com/ServiceMonitor'],
    check(o) {
      const refused = (o.status?.bindings ?? []).flatMap((b) => b.conditions ?? []).find((c) => c.type === 'Accepted' && c.status === 'False');
      return refused
        ? { state: 'failed', reason: refused.reason ?? 'NotAccepted', message: refused.message ?? 'a Prometheus did not accept it' }
        : { state: 'ready', message: 'exists' };
    },
  };

  return { name: 'ai-eval', componentTypes: [aiEval], traits: [serviceMonitor], readiness: [serviceMonitorReadiness] };
}
