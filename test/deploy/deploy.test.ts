import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { DEFAULT_LEASE_NAME, LeaderElector } from '../../src/watch/leader/leader-election.js';
import { KubectlError, testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * deploy/kubemin.yaml, the daemon's own deployment: it validates and renders, its RBAC is least
 * privilege on paper, and on the test cluster its ServiceAccount can do what `kubemin apply` and
 * leader election need (proved by doing it as that account), and not what they do not need.
 */

const cluster = testCluster();
const DEPLOY_DIR = fileURLToPath(new URL('../../deploy', import.meta.url));
const SPEC = readFileSync(join(DEPLOY_DIR, 'kubemin.yaml'), 'utf8');
const NAMESPACE = 'kubemin-system';
const SA = 'kubemin-watch';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

async function rendered(dir = DEPLOY_DIR): Promise<K8sObject[]> {
  const r = await cli(['render', dir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return yaml.loadAll(r.stdout).filter(Boolean) as K8sObject[];
}

function rulesOf(objects: readonly K8sObject[]): PolicyRule[] {
  return objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').flatMap((o) => o.rules as PolicyRule[]);
}

/** Whether some rule grants `verb` on `group`/`resource` (for `name`, when given). */
function grants(rules: readonly PolicyRule[], group: string, resource: string, verb: string, name?: string): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups ?? ['']).includes(group) &&
      (r.resources ?? []).includes(resource) &&
      r.verbs.includes(verb) &&
      (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))),
  );
}

describe('deploy/kubemin.yaml', () => {
  it('validates with no problems, even with --strict', async () => {
    const r = await cli(['validate', DEPLOY_DIR, '--strict', '--format', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({ diagnostics: [], errors: 0, warnings: 0 });
    expect(r.code).toBe(0);
  });

  it('renders the daemon: a ServiceAccount, its ClusterRole and binding, and a Deployment of 2 replicas running as it, with a NetworkPolicy and a PodDisruptionBudget', async () => {
    const objects = await rendered();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `Namespace/${NAMESPACE}`,
      'NetworkPolicy/watch',
      `ServiceAccount/${SA}`,
      `ClusterRole/${NAMESPACE}-${SA}-role`,
      `ClusterRoleBinding/${NAMESPACE}-${SA}-binding`,
      'PodDisruptionBudget/watch',
      'Deployment/watch',
    ]);
    // One replica of two may be evicted at a time; only Prometheus's namespace reaches the metrics port.
    const selector = { matchLabels: { 'app.kubernetes.io/instance': 'kubemin', 'app.kubernetes.io/name': 'watch' } };
    expect(objects.find((o) => o.kind === 'PodDisruptionBudget')!.spec).toEqual({ maxUnavailable: 1, selector, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(objects.find((o) => o.kind === 'NetworkPolicy')!.spec).toEqual({
      podSelector: selector,
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }],
    });
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const spec = deployment.spec as { replicas: number; template: { spec: { serviceAccountName: string; containers: Array<{ args: string[]; livenessProbe: unknown; readinessProbe: unknown }> } } };
    expect(spec.replicas).toBe(2);
    expect(spec.template.spec.serviceAccountName).toBe(SA);
    const container = spec.template.spec.containers[0]!;
    expect(container.args[0]).toBe('watch');
    // Non-root, as the Dockerfile's user, with nothing written to the image (restricted, the default).
    const pod = spec.template.spec as unknown as { securityContext: Record<string, unknown>; containers: Array<{ securityContext: Record<string, unknown> }>; volumes: Array<{ name: string; emptyDir?: unknown }> };
    const dockerfile = readFileSync(join(DEPLOY_DIR, '..', 'Dockerfile'), 'utf8');
    const uid = Number(/^USER (\d+):(\d+)$/m.exec(dockerfile)![1]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0]!.securityContext).toEqual({
      runAsUser: uid,
      runAsGroup: uid,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.volumes.filter((v) => v.emptyDir).map((v) => v.name)).toEqual(['work', 'tmp', 'home']);
    expect(objects.find((o) => o.kind === 'Namespace')!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    // The Lease the daemon uses is the one its rules name, in its own namespace.
    expect(container.args).toContain(`--lease-namespace=${NAMESPACE}`);
    expect(container.args.some((a) => a === '--lease-name' || a.startsWith('--lease-name='))).toBe(false);
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' } });
  });

  it('grants leases, listing nodes and pods, and nothing with a wildcard', async () => {
    const rules = rulesOf(await rendered());
    expect(grants(rules, 'coordination.k8s.io', 'leases', 'get', DEFAULT_LEASE_NAME)).toBe(true);
    expect(grants(rules, 'coordination.k8s.io', 'leases', 'update', DEFAULT_LEASE_NAME)).toBe(true);
    expect(grants(rules, 'coordination.k8s.io', 'leases', 'create')).toBe(true);
    expect(grants(rules, 'coordination.k8s.io', 'leases', 'update', 'kube-scheduler')).toBe(false);
    expect(grants(rules, '', 'nodes', 'list')).toBe(true);
    expect(grants(rules, '', 'pods', 'list')).toBe(true);
    expect(grants(rules, 'storage.k8s.io', 'storageclasses', 'list')).toBe(true);
    for (const r of rules) {
      for (const field of ['verbs', 'resources', 'apiGroups', 'resourceNames', 'nonResourceURLs'] as const) {
        expect(r[field] ?? [], `${field} of ${JSON.stringify(r)}`).not.toContain('*');
      }
      expect(r.verbs.filter((v) => !['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'].includes(v)), JSON.stringify(r)).toEqual([]);
      // Whatever may be watched may be listed: a watch starts from a list.
      if (r.verbs.includes('watch')) expect(r.verbs, JSON.stringify(r)).toContain('list');
    }
  });
});

// ---------------------------------------------------------------------------- on the test cluster

/** The spec moved to a namespace of the test's own (the ClusterRole's name follows it), written to a temporary dir. */
function specIn(namespace: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'kubemin.yaml'), SPEC.replaceAll(NAMESPACE, namespace));
  return dir;
}

async function kubeminApply(dir: string, kubeconfig: string, ...args: string[]): Promise<{ code: number; result: AppApplyResult; stderr: string }> {
  const r = await cli(['apply', dir, '--kubeconfig', kubeconfig, '-o', 'json', '--poll-interval', '200ms', ...args]);
  if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
  const parsed = JSON.parse(r.stdout) as { apps: AppApplyResult[] };
  return { code: r.code, result: parsed.apps[0]!, stderr: r.stderr };
}

/** Applies deploy/kubemin.yaml (moved to a fresh namespace) as the admin; cleans the cluster-scoped RBAC up after the test. */
async function installDaemon(): Promise<string> {
  const ns = await cluster.newNamespace('kubemin-system');
  onTestFinished(async () => {
    await cluster.kubectl(['delete', 'clusterrolebinding', `${ns}-${SA}-binding`, '--ignore-not-found']);
    await cluster.kubectl(['delete', 'clusterrole', `${ns}-${SA}-role`, '--ignore-not-found']);
  });
  await cluster.kubectl(['create', 'secret', 'generic', 'kubemin-git-token', '-n', ns, '--from-literal=token=not-a-real-token']);
  const { code, result, stderr } = await kubeminApply(specIn(ns), cluster.kubeconfig);
  expect(result.phases.map((p) => `${p.name}:${p.outcome}`), stderr).toEqual(['namespace:ready', 'watch:ready']);
  expect(code).toBe(0);
  return ns;
}

/** `kubectl auth can-i ...` as the daemon's ServiceAccount. */
async function canI(ns: string, args: readonly string[]): Promise<boolean> {
  try {
    await cluster.kubectl(['auth', 'can-i', ...args, `--as=system:serviceaccount:${ns}:${SA}`]);
    return true;
  } catch (err) {
    if (err instanceof KubectlError && err.exitCode === 1 && err.stdout.trim() === 'no') return false;
    throw err;
  }
}

/** A kubeconfig that authenticates as the daemon's ServiceAccount (a token, as in its pod). */
async function serviceAccountKubeconfig(ns: string): Promise<string> {
  const token = (await cluster.kubectl(['create', 'token', SA, '-n', ns, '--duration=10m'])).trim();
  const admin = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, string> }> };
  const file = join(tempDir(), 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: admin.clusters[0]!.cluster }],
    users: [{ name: SA, user: { token } }],
    contexts: [{ name: SA, context: { cluster: 'test', user: SA } }],
    'current-context': SA,
  };
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** An app with every kind kubemin renders (without cluster-scoped RBAC), for the daemon to apply. */
function sampleApp(namespace: string, components: 'all' | 'fewer', storageClass: string): string {
  const all: Array<Record<string, unknown>> = [
    { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
    { name: 'creds', type: 'secret', stringData: { token: 'abc' } },
    // Two replicas: a default PodDisruptionBudget.
    { name: 'redis', type: 'store', image: 'redis:7.2', replicas: 2, ports: [{ port: 6379 }], traits: { storage: [{ name: 'data', type: 'persistent', mountPath: '/data', size: '1Gi' }] } },
    { name: 'migrate', type: 'job', image: 'ghcr.io/acme/shop:1.4.0', job: { backoffLimit: 0 } },
    {
      name: 'web',
      type: 'webservice',
      image: 'ghcr.io/acme/shop:1.4.0',
      ports: [{ port: 8080 }],
      traits: {
        envFrom: [{ type: 'config', sourceName: 'settings' }],
        // A class that binds on first use: the claim's readiness then looks its StorageClass up.
        storage: [{ name: 'uploads', type: 'persistent', mountPath: '/uploads', size: '1Gi', storageClass }],
        ingress: [{ hosts: ['shop.example.com'], routes: [{ path: '/' }] }],
        autoscale: { minReplicas: 1, maxReplicas: 3 },
        rbac: [{ rules: [{ resources: ['configmaps'], verbs: ['get'] }] }],
      },
    },
    { name: 'report', type: 'cronjob', schedule: '@daily', image: 'ghcr.io/acme/report:1.0' },
  ];
  const components_ = components === 'all' ? all : all.filter((c) => c.name !== 'report' && c.name !== 'creds');
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'sample', namespace },
    // Isolated: a NetworkPolicy per component with pods.
    spec: { createNamespace: true, policies: { networkIsolation: true }, components: components_ },
  } as never);
}

describe('deploy/kubemin.yaml on the test cluster', () => {
  it('its ServiceAccount may do what kubemin does, and not what it does not', { timeout: 120_000 }, async () => {
    const ns = await installDaemon();
    const app = await cluster.newNamespace('some-app');
    const allowed: string[][] = [
      ['patch', 'deployments.apps', '-n', app],
      ['create', 'jobs.batch', '-n', app],
      ['delete', 'configmaps', '-n', app],
      ['get', 'secrets', '-n', app],
      ['patch', 'ingresses.networking.k8s.io', '-n', app],
      ['patch', 'poddisruptionbudgets.policy', '-n', app],
      ['delete', 'networkpolicies.networking.k8s.io', '-n', app],
      ['create', 'rolebindings.rbac.authorization.k8s.io', '-n', app],
      ['create', 'namespaces'],
      ['list', 'pods', '-n', app],
      ['list', 'pods', '--all-namespaces'],
      ['list', 'replicasets.apps', '-n', app],
      // FailedCreate events: pods refused at admission fail the apply at once.
      ['list', 'events', '-n', app],
      ['list', 'nodes'],
      ['list', 'storageclasses.storage.k8s.io'],
      // Readiness from watches: the workloads and claims it waits for, their pods, ReplicaSets, events.
      ['watch', 'deployments.apps', '-n', app],
      ['list', 'statefulsets.apps', '-n', app],
      ['watch', 'jobs.batch', '-n', app],
      ['watch', 'persistentvolumeclaims', '-n', app],
      ['watch', 'pods', '-n', app],
      ['watch', 'replicasets.apps', '-n', app],
      ['watch', 'events', '-n', app],
      // The web view's Jobs page: Jobs, their pods and the CronJobs across the apps' namespaces.
      ['list', 'jobs.batch', '--all-namespaces'],
      ['list', 'cronjobs.batch', '--all-namespaces'],
      ['create', 'leases.coordination.k8s.io', '-n', ns],
      ['get', `leases.coordination.k8s.io/${DEFAULT_LEASE_NAME}`, '-n', ns],
      ['update', `leases.coordination.k8s.io/${DEFAULT_LEASE_NAME}`, '-n', ns],
    ];
    const denied: string[][] = [
      // Cluster-scoped RBAC is not the daemon's to change (apps with rbac clusterScope are applied by an admin).
      ['create', 'clusterroles.rbac.authorization.k8s.io'],
      ['escalate', 'roles.rbac.authorization.k8s.io', '-n', app],
      ['bind', 'roles.rbac.authorization.k8s.io', '-n', app],
      // It reads Secrets and ConfigMaps by name, never lists or watches them.
      ['list', 'secrets', '-n', 'kube-system'],
      ['watch', 'secrets', '-n', app],
      ['list', 'configmaps', '-n', app],
      // Another component's Lease.
      ['update', 'leases.coordination.k8s.io/kube-scheduler', '-n', 'kube-system'],
      // Namespaces are never pruned.
      ['delete', 'namespaces'],
      // Server-side apply patches; it never replaces objects or creates pods itself.
      ['update', 'deployments.apps', '-n', app],
      ['create', 'pods', '-n', app],
      // Nodes are listed for the GPU preflight, never read one by one.
      ['get', 'nodes/kwok-node-1'],
      ['get', 'events', '-n', app],
    ];
    const answers = async (list: string[][]): Promise<string[]> => Promise.all(list.map(async (a) => `${a.join(' ')}: ${(await canI(ns, a)) ? 'yes' : 'no'}`));
    expect(await answers(allowed)).toEqual(allowed.map((a) => `${a.join(' ')}: yes`));
    expect(await answers(denied)).toEqual(denied.map((a) => `${a.join(' ')}: no`));
  });

  it('as its ServiceAccount, kubemin applies and prunes an app with every kind it renders, and holds the Lease', { timeout: 180_000 }, async () => {
    const ns = await installDaemon();
    const kubeconfig = await serviceAccountKubeconfig(ns);

    // Leader election in its namespace, as the daemon does it.
    const client = await connect({ kubeconfig });
    onTestFinished(() => client.close());
    const elector = new LeaderElector({ client, namespace: ns, name: DEFAULT_LEASE_NAME, identity: 'pod-1', leaseDurationMs: 2000, renewIntervalMs: 500 });
    const stop = new AbortController();
    const electing = elector.run(stop.signal);
    const until = Date.now() + 20_000;
    while (!elector.isLeader() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(elector.isLeader()).toBe(true);
    await elector.release();
    await electing;
    expect((await cluster.kubectlJson<{ spec: { holderIdentity?: string } }>(['get', 'lease', '-n', ns, DEFAULT_LEASE_NAME])).spec.holderIdentity ?? '').toBe('');

    // An app in a namespace it creates itself.
    const appNs = `sample-${randomBytes(4).toString('hex')}`;
    onTestFinished(async () => void (await cluster.kubectl(['delete', 'namespace', appNs, '--wait=false', '--ignore-not-found'])));
    const storageClass = `${appNs}-wffc`;
    onTestFinished(async () => void (await cluster.kubectl(['delete', 'storageclass', storageClass, '--ignore-not-found'])));
    await cluster.kubectl(['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: storageClass }, provisioner: 'kubernetes.io/host-path', volumeBindingMode: 'WaitForFirstConsumer' }),
    });
    const dir = tempDir();
    writeFileSync(join(dir, 'kubemin.yaml'), sampleApp(appNs, 'all', storageClass));
    const first = await kubeminApply(dir, kubeconfig);
    expect(first.result.outcome, first.stderr + JSON.stringify(first.result.phases.flatMap((p) => p.reasons ?? []))).toBe('applied');
    expect(first.code).toBe(0);
    expect(new Set(first.result.phases.flatMap((p) => p.objects.map((o) => o.ref.kind)))).toEqual(
      new Set(['Namespace', 'ConfigMap', 'Secret', 'Service', 'StatefulSet', 'Job', 'ServiceAccount', 'Role', 'RoleBinding', 'PersistentVolumeClaim', 'Deployment', 'Ingress', 'HorizontalPodAutoscaler', 'CronJob', 'PodDisruptionBudget', 'NetworkPolicy']),
    );

    // Again without two components: pruning deletes them.
    writeFileSync(join(dir, 'kubemin.yaml'), sampleApp(appNs, 'fewer', storageClass));
    const second = await kubeminApply(dir, kubeconfig, '--prune');
    expect(second.result.outcome, second.stderr).toBe('applied');
    expect(second.result.pruned.map((p) => `${p.ref.kind}/${p.ref.name}:${p.action}`).sort()).toEqual(['CronJob/report:deleted', 'NetworkPolicy/report:deleted', 'Secret/creds:deleted']);
  });
});
