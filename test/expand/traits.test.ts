import { describe, expect, it } from 'vitest';
import { codes, compileApp, find, objectsOf } from '../helpers/spec.js';

const pod = (r: ReturnType<typeof compileApp>, kind = 'Deployment') => find(r, kind).spec.template.spec;

describe('storage', () => {
  it('persistent: a PVC <component>-<name> on a Deployment, a claim template on a store, an existing claim by claimName', () => {
    const storage = [
      { name: 'data', type: 'persistent', mountPath: '/data' },
      { name: 'old', type: 'persistent', claimName: 'legacy' },
    ];
    const web = compileApp({ components: [{ name: 'web', type: 'webservice', image: 'x', traits: { storage } }] });
    expect(find(web, 'PersistentVolumeClaim', 'web-data').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(pod(web).volumes).toEqual([
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'old', persistentVolumeClaim: { claimName: 'legacy' } },
    ]);
    const db = compileApp({ components: [{ name: 'db', type: 'store', image: 'x', traits: { storage } }] });
    expect(objectsOf(db).some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(find(db, 'StatefulSet').spec.volumeClaimTemplates.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['data']);
    expect(pod(db, 'StatefulSet').volumes).toEqual([{ name: 'old', persistentVolumeClaim: { claimName: 'legacy' } }]);
  });

  it('mountPath defaults to /mnt/<name>; config and secret are read-only by default', () => {
    const r = compileApp({
      components: [
        {
          name: 'w',
          type: 'worker',
          image: 'x',
          traits: {
            storage: [
              { name: 'tmp', type: 'ephemeral' },
              { name: 'cfg', type: 'config', sourceName: 'c' },
            ],
          },
        },
      ],
    });
    expect(pod(r).containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/mnt/tmp' },
      { name: 'cfg', mountPath: '/mnt/cfg', readOnly: true },
    ]);
  });

  it('host paths need policies.allowHostPath', () => {
    const storage = [{ name: 'logs', type: 'host-mounted', hostPath: '/var/log' }];
    expect(codes(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits: { storage } }] }))).toEqual(['host-path-refused']);
    // A hostPath volume also needs podSecurity privileged (test/validate/pod-security.test.ts).
    const allowed = compileApp({
      components: [{ name: 'w', type: 'worker', image: 'x', policies: { allowHostPath: true, podSecurity: 'privileged' }, traits: { storage } }],
    });
    expect(pod(allowed).volumes).toEqual([{ name: 'logs', hostPath: { path: '/var/log' } }]);
  });

  it('a sidecar shares a volume of the same name and source; a different source is an error', () => {
    const shared = { name: 'logs', type: 'ephemeral' };
    const ok = compileApp({
      components: [
        {
          name: 'w',
          type: 'worker',
          image: 'x',
          traits: { storage: [shared], sidecar: [{ name: 'ship', image: 'y', traits: { storage: [{ ...shared, mountPath: '/logs' }] } }] },
        },
      ],
    });
    expect(pod(ok).volumes).toEqual([{ name: 'logs', emptyDir: {} }]);
    expect(pod(ok).containers[1].volumeMounts).toEqual([{ name: 'logs', mountPath: '/logs' }]);
    const clash = compileApp({
      components: [
        {
          name: 'w',
          type: 'worker',
          image: 'x',
          traits: { storage: [shared], sidecar: [{ name: 'ship', image: 'y', traits: { storage: [{ name: 'logs', type: 'config', sourceName: 'c' }] } }] },
        },
      ],
    });
    expect(codes(clash)).toEqual(['volume-conflict']);
  });
});

describe('containers', () => {
  it('sidecars are containers in services and native sidecars (restartPolicy Always init containers) in jobs', () => {
    const traits = { init: [{ name: 'prep', image: 'p' }], sidecar: [{ name: 'proxy', image: 'q' }] };
    const svc = pod(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits }] }));
    expect(svc.initContainers.map((c: { name: string }) => c.name)).toEqual(['prep']);
    expect(svc.containers.map((c: { name: string }) => c.name)).toEqual(['w', 'proxy']);
    const job = pod(compileApp({ components: [{ name: 'j', type: 'job', image: 'x', traits }] }), 'Job');
    expect(job.initContainers.map((c: { name: string; restartPolicy?: string }) => [c.name, c.restartPolicy])).toEqual([
      ['prep', undefined],
      ['proxy', 'Always'],
    ]);
    expect(job.containers.map((c: { name: string }) => c.name)).toEqual(['j']);
  });

  it('resources: the short form sets requests = limits, gpu -> nvidia.com/gpu', () => {
    const r = compileApp({ components: [{ name: 'j', type: 'job', image: 'x', traits: { resources: { cpu: '2', memory: '4Gi', gpu: 1 } } }] });
    const amounts = { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' };
    expect(pod(r, 'Job').containers[0].resources).toEqual({ requests: amounts, limits: amounts });
  });

  it('probes: one per type, exactly one check, none on init containers', () => {
    const two = compileApp({
      components: [
        {
          name: 'w',
          type: 'worker',
          image: 'x',
          traits: {
            probes: [
              { type: 'liveness', exec: { command: ['a'] } },
              { type: 'liveness', tcpSocket: { port: 1 } },
            ],
          },
        },
      ],
    });
    expect(codes(two)).toEqual(['probe-duplicate']);
    const none = compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits: { probes: [{ type: 'readiness' }] } }] });
    expect(codes(none)).toEqual(['probe-handler']);
  });
});

describe('ingress, rbac, autoscale', () => {
  it('ingress: the backend defaults to the component Service and first port; later entries are <component>-<n>', () => {
    const r = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'x', ports: [{ port: 8080 }, { port: 9090 }], traits: { ingress: [{ hosts: ['a.example.com'] }, {}] } },
      ],
    });
    const first = find(r, 'Ingress', 'web');
    expect(first.spec.rules).toEqual([
      { host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } },
    ]);
    expect(find(r, 'Ingress', 'web-2').spec.rules[0].host).toBeUndefined();
  });

  it('rbac: ServiceAccount, Role <sa>-role, RoleBinding <sa>-binding; the pod runs as the first account', () => {
    const r = compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits: { rbac: [{ rules: [{ resources: ['pods'], verbs: ['get'] }] }] } }] });
    expect(find(r, 'Role', 'w-sa-role').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(find(r, 'RoleBinding', 'w-sa-binding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'w-sa', namespace: 'ns' }]);
    expect(pod(r).serviceAccountName).toBe('w-sa');
  });

  it('rbac: cluster scope needs the policy, and names are prefixed with the namespace', () => {
    const rbac = [{ clusterScope: true, rules: [{ resources: ['nodes'], verbs: ['list'] }] }];
    expect(codes(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', traits: { rbac } }] }))).toEqual(['cluster-scope-refused']);
    const r = compileApp({ policies: { allowClusterScope: true }, components: [{ name: 'w', type: 'worker', image: 'x', traits: { rbac } }] });
    const role = find(r, 'ClusterRole', 'ns-w-sa-role');
    expect(role.metadata.namespace).toBeUndefined();
    expect(find(r, 'ClusterRoleBinding', 'ns-w-sa-binding').roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'ns-w-sa-role',
    });
  });

  it('autoscale: an HPA for the workload, which then leaves replicas to it', () => {
    const r = compileApp({ components: [{ name: 'db', type: 'store', image: 'x', replicas: 3, traits: { autoscale: { maxReplicas: 6 } } }] });
    const hpa = find(r, 'HorizontalPodAutoscaler', 'db');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, minReplicas: 3, maxReplicas: 6 });
    expect(hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } });
    expect(find(r, 'StatefulSet').spec.replicas).toBeUndefined();
    expect(codes(compileApp({ components: [{ name: 'w', type: 'worker', image: 'x', replicas: 5, traits: { autoscale: { maxReplicas: 2 } } }] }))).toEqual([
      'autoscale-range',
    ]);
  });
});
