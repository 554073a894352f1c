import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../../src/compile.js';
import { importKubeminCli } from '../../src/import/kubemin-cli/import-kubemin-cli.js';
import { find, objectsOf } from '../helpers/spec.js';
import { REPO } from '../helpers/tree.js';

/** Imports a fixture and renders the result: the objects kubemin would apply. */
function render(fixture: string): CompileResult {
  const input = JSON.parse(readFileSync(join(REPO, 'fixtures/import/kubemin-cli', fixture, 'app.json'), 'utf8')) as unknown;
  const imported = importKubeminCli(input, { file: 'app.json' });
  expect(imported.errors).toEqual([]);
  const result = compile([{ path: 'kubemin.yaml', text: imported.spec }]);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

const phases = (r: CompileResult): string[] => r.apps[0]!.phases.map((p) => p.name);
const pod = (workload: Record<string, any>): Record<string, any> => workload.spec.template.spec;

describe('kubemin import kubemin-cli: what the imported spec renders to', () => {
  it('bookstore: workloads, config, secret, env, probes, init, sidecar, ingress, RBAC, in the workflow order', () => {
    const r = render('bookstore');
    expect(phases(r)).toEqual(['config', 'data', 'app-storefront', 'app-order-worker']);
    expect(r.apps[0]!.phases.every((p) => p.timeout === '20m')).toBe(true);

    expect(find(r, 'ConfigMap', 'shop-config').data).toMatchObject({ LOG_LEVEL: 'info', CACHE_TTL: '300' });
    expect(find(r, 'Secret', 'db-auth').data).toEqual({
      MYSQL_ROOT_PASSWORD: Buffer.from('change-me').toString('base64'),
      MYSQL_PASSWORD: Buffer.from('shop-pass').toString('base64'),
    });

    const web = find(r, 'Deployment', 'storefront');
    expect(web.metadata.namespace).toBe('bookstore');
    expect(web.spec.replicas).toBe(3);
    const spec = pod(web);
    const [main, shipper] = spec.containers;
    expect(main.image).toBe('ghcr.io/acme/bookstore-web:1.4.0');
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'shop-config' } }]);
    expect(main.env).toEqual([
      { name: 'DB_HOST', value: 'mysql' },
      { name: 'REDIS_HOST', value: 'redis' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-auth', key: 'MYSQL_PASSWORD' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'APP_ENV', value: 'production' },
    ]);
    expect(main.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 });
    expect(main.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 15, failureThreshold: 3 });
    expect(main.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(spec.initContainers.map((c: { name: string; image: string }) => [c.name, c.image])).toEqual([['wait-for-db', 'busybox:1.36']]);
    expect(shipper.name).toBe('log-shipper');
    expect(shipper.volumeMounts).toEqual([{ name: 'logs', mountPath: '/var/log/app', readOnly: true }]);
    expect(spec.volumes).toEqual([
      { name: 'nginx', configMap: { name: 'shop-config', defaultMode: 420 } },
      { name: 'logs', emptyDir: {} },
    ]);
    expect(spec.serviceAccountName).toBe('storefront-sa');

    // One component's pods only: the KubeMin-Cli Service selected every pod of the app.
    expect(find(r, 'Service', 'storefront').spec.selector).toEqual({
      'app.kubernetes.io/instance': 'bookstore',
      'app.kubernetes.io/name': 'storefront',
    });
    const ingress = find(r, 'Ingress', 'storefront');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['books.example.com'], secretName: 'books-tls' }],
      rules: [
        {
          host: 'books.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'storefront', port: { number: 8080 } } } }] },
        },
      ],
    });
    expect(find(r, 'ServiceAccount', 'storefront-sa')).toBeDefined();
    expect(find(r, 'Role', 'storefront-sa-role').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(r, 'RoleBinding', 'storefront-sa-binding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'storefront-sa', namespace: 'bookstore' }]);

    const mysql = find(r, 'StatefulSet', 'mysql');
    expect(mysql.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(mysql.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(pod(mysql).containers[0].envFrom).toEqual([{ secretRef: { name: 'db-auth' } }]);
    expect(pod(mysql).containers[0].livenessProbe.exec.command).toEqual(['mysqladmin', 'ping', '-h', '127.0.0.1']);

    expect(pod(find(r, 'Deployment', 'order-worker')).containers[0].command).toEqual(['./worker', '--queue', 'orders']);
    expect(
      objectsOf(r)
        .filter((o) => o.kind === 'Service')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['mysql', 'mysql-headless', 'redis', 'redis-headless', 'storefront']);
  });

  it('storage: a claim, scratch space, a ConfigMap and a Secret as files, per-replica claims on a store', () => {
    const r = render('storage');
    const claim = find(r, 'PersistentVolumeClaim', 'uploader-uploads');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '50' } } });
    const spec = pod(find(r, 'Deployment', 'uploader'));
    expect(spec.volumes).toEqual([
      { name: 'uploads', persistentVolumeClaim: { claimName: 'uploader-uploads' } },
      { name: 'scratch', emptyDir: {} },
      { name: 'files', configMap: { name: 'files', defaultMode: 420 } },
      { name: 'tls', secret: { secretName: 'certs', defaultMode: 420 } },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'uploads', mountPath: '/srv/uploads' },
      { name: 'scratch', mountPath: '/mnt/scratch' },
      { name: 'files', mountPath: '/etc/app/app.ini', subPath: 'app.ini', readOnly: true },
      { name: 'tls', mountPath: '/etc/tls', readOnly: true },
    ]);
    // The sidecar shares the main container's ConfigMap volume.
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'files', mountPath: '/watch', readOnly: true }]);
    const postgres = find(r, 'StatefulSet', 'postgres');
    expect(postgres.spec.volumeClaimTemplates.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['pgdata']);
    expect(objectsOf(r).filter((o) => o.kind === 'PersistentVolumeClaim')).toHaveLength(1);
    expect(phases(r)).toEqual(['files', 'certs', 'uploader', 'postgres']);
  });

  it('resources-probes: GPUs, every probe handler, an init container with its own resources, a probed sidecar', () => {
    const r = render('resources-probes');
    const spec = pod(find(r, 'Deployment', 'inference'));
    const [main, metrics] = spec.containers;
    expect(main.resources).toEqual({
      requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
      limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
    });
    expect(main.startupProbe).toEqual({ httpGet: { path: '/ready', port: 8000, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 60 });
    expect(main.livenessProbe).toEqual({ tcpSocket: { port: 8000 } });
    expect(main.readinessProbe).toEqual({ exec: { command: ['/bin/check', '--ready'] }, successThreshold: 2 });
    const [fetch] = spec.initContainers;
    expect(fetch.name).toBe('fetch-model');
    expect(fetch.env).toEqual([{ name: 'HF_HUB_OFFLINE', value: '0' }]);
    expect(fetch.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(fetch.livenessProbe).toBeUndefined();
    expect(metrics.name).toBe('gpu-metrics');
    expect(metrics.readinessProbe).toEqual({ httpGet: { path: '/metrics', port: 9090 } });
    expect(spec.volumes).toEqual([{ name: 'models', emptyDir: {} }]);
  });

  it('env: envFrom a ConfigMap (from "configMap") and a Secret, and single variables from each source', () => {
    const main = pod(find(render('env'), 'Deployment', 'api')).containers[0];
    expect(main.envFrom).toEqual([{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'api-keys' } }]);
    expect(main.env).toEqual([
      { name: 'PORT', value: '80' },
      { name: 'DEBUG', value: 'false' },
      { name: 'REGION', value: 'eu-west-1' },
      { name: 'API_URL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'API_URL' } } },
      { name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'api-keys', key: 'STRIPE_KEY' } } },
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'TIER', value: 'backend' },
      { name: 'EMPTY', value: '' },
    ]);
  });

  it('init-sidecar: numbered names instead of random ones, nested traits on their container', () => {
    const spec = pod(find(render('init-sidecar'), 'Deployment', 'app'));
    expect(spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['app-init-1', 'migrate']);
    expect(spec.initContainers[1].env).toEqual([
      { name: 'MIGRATIONS', value: '/migrations' },
      { name: 'DB_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } },
    ]);
    expect(spec.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'app-sidecar-1', 'log-agent']);
    expect(spec.containers[1].args).toEqual(['-c', '/etc/envoy/envoy.yaml']);
    expect(spec.containers[1].envFrom).toEqual([{ secretRef: { name: 'db' } }]);
    expect(spec.serviceAccountName).toBeUndefined();
  });

  it('ingress: rewrite and use-regex, routes to other components and Services, the default route', () => {
    const r = render('ingress');
    const pub = find(r, 'Ingress', 'public-api');
    expect(pub.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '8m',
      'nginx.ingress.kubernetes.io/use-regex': 'true',
      'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
    });
    expect(pub.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-tls' }]);
    const backends = (i: Record<string, any>): string[] =>
      i.spec.rules.flatMap((rule: any) =>
        rule.http.paths.map((p: any) => `${rule.host ?? '*'}${p.path} ${p.pathType} -> ${p.backend.service.name}:${p.backend.service.port.number}`),
      );
    expect(backends(pub)).toEqual(['api.example.com/v1(/|$)(.*) Prefix -> api:8080', 'api.example.com/docs Prefix -> api:8080']);
    expect(backends(find(r, 'Ingress', 'api-2'))).toEqual([
      'www.example.com/ Prefix -> web:80',
      'www.example.com/admin Exact -> admin:3000',
      'www.example.com/metrics Prefix -> api:9090',
      'status.example.com/status Prefix -> statuspage:80',
    ]);
    expect(backends(find(r, 'Ingress', 'api-3'))).toEqual(['internal.example.com/ Prefix -> api:8080']);
    expect(phases(r)).toEqual(['all']);
  });

  it('rbac: Roles, a ClusterRole (allowed for the component), the pod runs as the first account', () => {
    const r = render('rbac');
    const spec = pod(find(r, 'Deployment', 'operator'));
    expect(spec.serviceAccountName).toBe('operator-sa');
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(find(r, 'ServiceAccount', 'operator-sa').automountServiceAccountToken).toBe(true);
    expect(find(r, 'Role', 'operator-sa-role').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['get', 'patch'] },
    ]);
    const clusterRole = find(r, 'ClusterRole', 'ops-operator-2-sa-role');
    expect(clusterRole.metadata.namespace).toBeUndefined();
    expect(clusterRole.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] },
      { nonResourceURLs: ['/healthz', '/metrics'], verbs: ['get'] },
    ]);
    expect(find(r, 'ClusterRoleBinding', 'ops-operator-2-sa-binding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'operator-2-sa', namespace: 'ops' }]);
    expect(find(r, 'RoleBinding', 'auditor-binding').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'auditor-role' });
  });

  it('workflow: StepByStep steps are one phase per component, DAG steps one phase, sub-steps as KubeMin-Cli runs them', () => {
    expect(phases(render('workflow-step-by-step'))).toEqual(['base-settings', 'base-db', 'api', 'front', 'front-2', 'remaining']);
    const dag = render('workflow-dag');
    expect(phases(dag)).toEqual(['config', 'services', 'edge', 'web', 'apis-mobile-api', 'apis-search', 'batch']);
    expect(dag.apps[0]!.phases.map((p) => p.mode)).toEqual(['parallel', 'parallel', 'serial', 'serial', 'serial', 'serial', 'parallel']);
    expect(dag.apps[0]!.phases[1]!.components).toEqual(['users', 'orders', 'billing']);
  });

  it('no workflow: one phase per component, in the order written', () => {
    expect(phases(render('no-workflow-legacy'))).toEqual(['site-content', 'web']);
    expect(phases(render('resources-probes'))).toEqual(['inference']);
  });
});
