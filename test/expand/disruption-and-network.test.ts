import { describe, expect, it } from 'vitest';
import { objectWithGpuToleration } from '../../src/expand/gpu-toleration.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { compileApp, find, objectsOf } from '../helpers/spec.js';

const sel = (name: string) => ({ 'app.kubernetes.io/instance': 'app', 'app.kubernetes.io/name': name });
const kinds = (r: ReturnType<typeof compileApp>, kind: string) =>
  objectsOf(r)
    .filter((o) => o.kind === kind)
    .map((o) => o.metadata.name);
const messages = (r: ReturnType<typeof compileApp>) => r.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`);

describe('disruption budgets', () => {
  it('replicated webservices and stores get {maxUnavailable: 1} by default; single replicas, workers and jobs none', () => {
    const r = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'x', replicas: 3, ports: [{ port: 80 }] },
        { name: 'db', type: 'store', image: 'x', replicas: 2 },
        { name: 'scaled', type: 'webservice', image: 'x', traits: { autoscale: { minReplicas: 2, maxReplicas: 5 } } },
        { name: 'one', type: 'webservice', image: 'x' },
        { name: 'from-one', type: 'webservice', image: 'x', traits: { autoscale: { maxReplicas: 5 } } },
        { name: 'queue', type: 'worker', image: 'x', replicas: 3 },
        { name: 'job', type: 'job', image: 'x' },
      ],
    });
    expect(kinds(r, 'PodDisruptionBudget')).toEqual(['db', 'scaled', 'web']);
    expect(find(r, 'PodDisruptionBudget', 'web').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: sel('web') },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(r.diagnostics).toEqual([]);
  });

  it('the trait sets the budget (any scalable component), or none with false', () => {
    const r = compileApp({
      components: [
        {
          name: 'web',
          type: 'webservice',
          image: 'x',
          replicas: 4,
          traits: { disruptionBudget: { minAvailable: '50%', unhealthyPodEvictionPolicy: 'IfHealthyBudget' } },
        },
        { name: 'queue', type: 'worker', image: 'x', replicas: 3, traits: { disruptionBudget: { maxUnavailable: 2 } } },
        { name: 'db', type: 'store', image: 'x', replicas: 3, traits: { disruptionBudget: false } },
      ],
    });
    expect(r.diagnostics).toEqual([]);
    expect(kinds(r, 'PodDisruptionBudget')).toEqual(['queue', 'web']);
    expect(find(r, 'PodDisruptionBudget', 'web').spec).toEqual({
      minAvailable: '50%',
      selector: { matchLabels: sel('web') },
      unhealthyPodEvictionPolicy: 'IfHealthyBudget',
    });
    expect(find(r, 'PodDisruptionBudget', 'queue').spec.maxUnavailable).toBe(2);
  });

  it('never a budget that blocks every drain: minAvailable at the replicas (percentages round up, autoscalers at minReplicas), maxUnavailable 0', () => {
    const blocked = (replicas: number | undefined, budget: Record<string, unknown>, autoscale?: Record<string, unknown>) =>
      messages(
        compileApp({
          components: [
            {
              name: 'web',
              type: 'webservice',
              image: 'x',
              ...(replicas ? { replicas } : {}),
              traits: { disruptionBudget: budget, ...(autoscale ? { autoscale } : {}) },
            },
          ],
        }),
      );
    expect(blocked(3, { minAvailable: 3 })).toEqual([
      'error disruption-budget-blocks: minAvailable: 3 with 3 pods blocks every drain: no pod could ever be evicted',
    ]);
    expect(blocked(3, { minAvailable: 5 })).toHaveLength(1);
    expect(blocked(3, { minAvailable: '67%' })).toHaveLength(1); // 3 × 67% = 2.01, rounded up to 3
    expect(blocked(3, { minAvailable: '66%' })).toEqual([]);
    expect(blocked(3, { maxUnavailable: 0 })).toHaveLength(1);
    expect(blocked(3, { maxUnavailable: '0%' })).toHaveLength(1);
    expect(blocked(3, { maxUnavailable: '10%' })).toEqual([]); // rounded up to 1
    expect(blocked(undefined, { minAvailable: 2 }, { minReplicas: 2, maxReplicas: 10 })).toEqual([
      'error disruption-budget-blocks: minAvailable: 2 with 2 pods blocks every drain: no pod could ever be evicted',
    ]);
    expect(blocked(1, { minAvailable: 1 })).toHaveLength(1);
  });

  it('a budget over a single replica is emitted only when asked, with a warning', () => {
    const r = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { disruptionBudget: { maxUnavailable: 1 } } }] });
    expect(messages(r)).toEqual([
      'warning disruption-budget-single: a disruption budget over 1 pod protects nothing: a drain may evict it (maxUnavailable: 1)',
    ]);
    expect(kinds(r, 'PodDisruptionBudget')).toEqual(['web']);
  });

  it('minAvailable and maxUnavailable together, or neither, are refused', () => {
    const both = compileApp({
      components: [{ name: 'w', type: 'worker', image: 'x', replicas: 3, traits: { disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } }],
    });
    expect(messages(both)).toEqual(['error disruption-budget: a disruption budget sets minAvailable or maxUnavailable, not both']);
    const neither = compileApp({
      components: [{ name: 'w', type: 'worker', image: 'x', replicas: 3, traits: { disruptionBudget: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } } }],
    });
    expect(messages(neither)).toEqual(['error disruption-budget: a disruption budget needs minAvailable or maxUnavailable']);
  });
});

describe('network policies', () => {
  const shop = (policies: Record<string, unknown> = {}, webTraits: Record<string, unknown> = {}) =>
    compileApp({
      policies,
      components: [
        { name: 'settings', type: 'config', data: { A: 'b' } },
        { name: 'redis', type: 'store', image: 'x', ports: [{ port: 6379 }] },
        { name: 'migrate', type: 'job', image: 'x', dependsOn: ['redis'] },
        {
          name: 'web',
          type: 'webservice',
          image: 'x',
          ports: [
            { port: 8080, name: 'http' },
            { port: 9090, name: 'metrics' },
          ],
          dependsOn: ['redis', 'migrate'],
          traits: { ingress: [{ hosts: ['shop.example.com'], routes: [{ path: '/' }] }], ...webTraits },
        },
        { name: 'worker', type: 'worker', image: 'x', dependsOn: ['redis'] },
      ],
    });

  it('none without isolation or the trait', () => {
    expect(kinds(shop(), 'NetworkPolicy')).toEqual([]);
  });

  it('networkIsolation: every component with pods is isolated, allowing what the app needs', () => {
    const r = shop({ networkIsolation: true });
    expect(r.diagnostics).toEqual([]);
    expect(kinds(r, 'NetworkPolicy')).toEqual(['redis', 'migrate', 'worker', 'web']);
    const spec = (name: string) => find(r, 'NetworkPolicy', name).spec;
    // A store: its dependents on its ports, its own pods (peers, through the headless Service) on any.
    expect(spec('redis')).toEqual({
      podSelector: { matchLabels: sel('redis') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: sel('migrate') } },
            { podSelector: { matchLabels: sel('web') } },
            { podSelector: { matchLabels: sel('worker') } },
          ],
          ports: [{ port: 6379, protocol: 'TCP' }],
        },
        { from: [{ podSelector: { matchLabels: sel('redis') } }] },
      ],
    });
    // The ingress controller on the port its Ingress routes to, not on the metrics port.
    expect(spec('web').ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    // Nobody connects to a job or a worker without ports: denied.
    expect(spec('migrate')).toEqual({ podSelector: { matchLabels: sel('migrate') }, policyTypes: ['Ingress'] });
    expect(spec('worker').ingress).toBeUndefined();
  });

  it('the trait adds sources (components, namespaces and pods by label, the ingress controller) with ports; alone it isolates its component', () => {
    const r = shop(
      { ingressController: { namespaceLabels: { 'kubernetes.io/metadata.name': 'traefik' }, podLabels: { 'app.kubernetes.io/name': 'traefik' } } },
      {
        networkPolicy: {
          from: [
            { namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' }, podLabels: { app: 'prometheus' }, ports: ['metrics'] },
            { component: 'worker', ports: [8080] },
            { podLabels: { role: 'debug' } },
            { namespaceLabels: {} },
            { ingressController: true },
          ],
        },
      },
    );
    expect(r.diagnostics).toEqual([]);
    expect(kinds(r, 'NetworkPolicy')).toEqual(['web']);
    const traefik = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
    };
    expect(find(r, 'NetworkPolicy', 'web').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
      { from: [{ podSelector: { matchLabels: sel('worker') } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      { from: [{ podSelector: { matchLabels: { role: 'debug' } } }] },
      { from: [{ namespaceSelector: {} }] },
      { from: [traefik] },
      { from: [traefik], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  it("the ingress controller reaches a component another component's Ingress routes to, on that port only", () => {
    const r = compileApp({
      policies: { networkIsolation: true },
      components: [
        { name: 'api', type: 'webservice', image: 'x', ports: [{ port: 8080 }, { port: 9000, name: 'admin' }] },
        {
          name: 'web',
          type: 'webservice',
          image: 'x',
          ports: [{ port: 80 }],
          traits: {
            ingress: [
              {
                hosts: ['a.example.com'],
                routes: [
                  { path: '/' },
                  { path: '/api', backend: { service: 'api', port: 8080 } },
                  { path: '/other', backend: { service: 'elsewhere', port: 1 } },
                ],
              },
            ],
          },
        },
      ],
    });
    expect(r.diagnostics).toEqual([]);
    const controller = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }];
    expect(find(r, 'NetworkPolicy', 'api').spec.ingress).toEqual([{ from: controller, ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(find(r, 'NetworkPolicy', 'web').spec.ingress).toEqual([{ from: controller, ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  it("a component opts out of the app's isolation with its own policies", () => {
    const r = compileApp({
      policies: { networkIsolation: true },
      components: [
        { name: 'a', type: 'worker', image: 'x' },
        { name: 'b', type: 'worker', image: 'x', policies: { networkIsolation: false } },
      ],
    });
    expect(kinds(r, 'NetworkPolicy')).toEqual(['a']);
    // Its source is the policy that made it.
    expect(r.apps[0]!.phases.flatMap((p) => p.objects).find((o) => o.object.kind === 'NetworkPolicy')!.source.pointer).toBe('/spec/policies/networkIsolation');
  });

  it('an unknown component, one without pods, a named port the component does not have, and a source that names nobody, are refused', () => {
    const r = compileApp({
      components: [
        { name: 'settings', type: 'config', data: { A: 'b' } },
        {
          name: 'web',
          type: 'webservice',
          image: 'x',
          ports: [{ port: 80 }],
          traits: {
            networkPolicy: {
              from: [
                { component: 'wbe' },
                { component: 'settings' },
                { component: 'web', ports: ['p80'] },
                { ports: [80] },
                { component: 'web', ingressController: true },
              ],
            },
          },
        },
      ],
    });
    expect(messages(r)).toEqual([
      'error unknown-component: there is no component "wbe" in this application',
      'error network-peer: component "settings" is a config: it has no pods that could connect',
      'error network-peer-port: port "p80" is not a named port of component "web"',
      'error network-peer: a source must say who may connect',
      'error network-peer: a source names one of: component, namespaceLabels/podLabels, ingressController',
    ]);
  });
});

describe('kind order', () => {
  it('NetworkPolicy first among the objects of a phase, PodDisruptionBudget right before the workload', () => {
    const r = compileApp({
      policies: { networkIsolation: true },
      components: [
        {
          name: 'web',
          type: 'webservice',
          image: 'x',
          replicas: 2,
          ports: [{ port: 80 }],
          traits: { rbac: [{ rules: [{ resources: ['pods'], verbs: ['get'] }] }], autoscale: { minReplicas: 2, maxReplicas: 4 } },
        },
      ],
    });
    expect(r.apps[0]!.phases[0]!.objects.map((o) => o.object.kind)).toEqual([
      'NetworkPolicy',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'Service',
      'PodDisruptionBudget',
      'Deployment',
      'HorizontalPodAutoscaler',
    ]);
  });
});

describe('GPU toleration of objects a component type made', () => {
  it("adds it to the pod spec of a workload (a plugin's Job, a CronJob), leaves others alone", () => {
    const pod = { containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': '1' } } }] };
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: pod } } } as K8sObject;
    expect((objectWithGpuToleration(job).spec as any).template.spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect((job.spec as any).template.spec.tolerations).toBeUndefined(); // not changed in place
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: pod } } } },
    } as K8sObject;
    expect((objectWithGpuToleration(cron).spec as any).jobTemplate.spec.template.spec.tolerations).toHaveLength(1);
    const cpu = { ...job, spec: { template: { spec: { containers: [{ name: 'c' }] } } } } as K8sObject;
    expect(objectWithGpuToleration(cpu)).toBe(cpu);
    const other = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: {} } as K8sObject;
    expect(objectWithGpuToleration(other)).toBe(other);
  });
});
