import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import { LiveObjects } from '../../src/cluster/live-objects.js';
import { type ClusterClient } from '../../src/cluster/types.js';
import { refOf } from '../../src/k8s/object-ref.js';
import type { CompiledApp } from '../../src/compile.js';
import { diffApps } from '../../src/cluster/diff-apps.js';
import { encodeInventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { tempDir } from '../helpers/cli.js';
import { testCluster } from '../cluster/cluster.js';
import { writeKubeconfig } from '../cluster/tokens.js';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { recordedClient } from '../cluster/recorded-client.js';
import { onePhaseApp } from '../helpers/one-phase-app.js';

/** A token for a service account of `ns` that may get, list and patch ConfigMaps and Services in `namespaces` only (Roles, no ClusterRole). */
async function namespacedKubeconfig(ns: string, namespaces: readonly string[]): Promise<string> {
  await cluster.kubectl(['-n', ns, 'create', 'serviceaccount', 'differ']);
  for (const n of namespaces) {
    await cluster.kubectl(['-n', n, 'create', 'role', 'differ', '--verb=get,list,patch', '--resource=configmaps,services']);
    await cluster.kubectl(['-n', n, 'create', 'rolebinding', 'differ', '--role=differ', `--serviceaccount=${ns}:differ`]);
  }
  // The API server's authorizer learns of new bindings from its cache: wait until it allows what was granted.
  for (const n of namespaces) for (const r of ['configmaps', 'services']) await allowed(['list', r, '-n', n, `--as=system:serviceaccount:${ns}:differ`]);
  const token = (await cluster.kubectl(['-n', ns, 'create', 'token', 'differ', '--duration', '1h'])).trim();
  const adminConfig = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as {
    clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  };
  const { server, 'certificate-authority-data': caData } = adminConfig.clusters[0]!.cluster;
  return writeKubeconfig(join(tempDir(), 'kubeconfig'), { server, caData }, { name: 'differ', user: { token } });
}

/** Waits until `kubectl auth can-i <args>` says yes (at most 10 s). */
async function allowed(args: readonly string[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const yes = await cluster.kubectl(['auth', 'can-i', ...args]).then(
      (out) => out.trim() === 'yes',
      () => false,
    );
    if (yes) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kubectl auth can-i ${args.join(' ')}: still no after 10 s`);
}

/**
 * The diff reads live objects with one LIST per kind and namespace (src/cluster/live-objects.ts),
 * against the real API server: what a LIST cannot see must still come out right.
 */

const cluster = testCluster();

const configMap = (ns: string, name: string, value: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/instance': 'lst' } },
  data: { value },
});
const service = (ns: string, name: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/instance': 'lst' } },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] },
});

const app = (ns: string, objects: K8sObject[]): CompiledApp => onePhaseApp('lst', ns, objects);

/** As `kubemin apply` leaves them: applied server-side as `kubemin`, with the inventory. */
async function applyAsKubemin(a: CompiledApp): Promise<void> {
  const objects = a.phases.flatMap((p) => p.objects.map((o) => o.object));
  const inventory = encodeInventory({ app: a.name, namespace: a.namespace, objects: objects.map(refOf) });
  const stream = [...objects, inventory].map((o) => `---\n${emitYaml(o as never)}`).join('');
  await cluster.kubectl(['apply', '--server-side', '--field-manager=kubemin', '-f', '-'], { input: stream });
}

async function admin(): Promise<ClusterClient> {
  const c = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => c.close());
  return c;
}

describe('diff: live objects by LIST', () => {
  it('an object deleted by hand is a create; the others stay unchanged without a dry-run', async () => {
    const ns = await cluster.newNamespace('lst-deleted');
    const a = app(ns, [configMap(ns, 'one', '1'), configMap(ns, 'two', '2'), service(ns, 'web'), service(ns, 'api')]);
    await applyAsKubemin(a);
    await cluster.kubectl(['-n', ns, 'delete', 'configmap', 'two']);
    const calls: string[] = [];
    const [d] = await diffApps([a], recordedClient(await admin(), calls));
    expect(d!.problems).toEqual([]);
    expect(d!.objects.map((o) => `${o.ref.kind}/${o.ref.name}:${o.action}`)).toEqual([
      'ConfigMap/one:unchanged',
      'ConfigMap/two:create',
      'Service/web:unchanged',
      'Service/api:unchanged',
    ]);
    expect(calls.sort()).toEqual(['apply ConfigMap', 'list ConfigMap', 'list Service']);
  });

  it('an object that lost its labels is still found: the LIST has no selector', async () => {
    const ns = await cluster.newNamespace('lst-labels');
    const a = app(ns, [configMap(ns, 'one', '1'), configMap(ns, 'two', '2')]);
    await applyAsKubemin(a);
    await cluster.kubectl(['-n', ns, 'label', 'configmap', 'two', 'app.kubernetes.io/instance-']);
    const [d] = await diffApps([a], await admin());
    expect(d!.objects.map((o) => `${o.ref.name}:${o.action}`)).toEqual(['one:unchanged', 'two:update']);
    expect(d!.objects[1]!.diff).toContain('+    app.kubernetes.io/instance: lst');
  });

  it('a kind whose LIST RBAC forbids falls back to a GET per object, with the same result', async () => {
    const ns = await cluster.newNamespace('lst-rbac');
    const a = app(ns, [configMap(ns, 'one', '1'), configMap(ns, 'two', '2'), service(ns, 'web'), service(ns, 'api')]);
    await applyAsKubemin(a);
    // Everything but listing Services (RBAC only adds rights: list is granted for ConfigMaps alone).
    await cluster.kubectl(['-n', ns, 'create', 'serviceaccount', 'differ']);
    await cluster.kubectl(['-n', ns, 'create', 'role', 'differ', '--verb=get,patch', '--resource=configmaps,services']);
    await cluster.kubectl(['-n', ns, 'create', 'role', 'lister', '--verb=list', '--resource=configmaps']);
    for (const role of ['differ', 'lister'])
      await cluster.kubectl(['-n', ns, 'create', 'rolebinding', role, `--role=${role}`, `--serviceaccount=${ns}:differ`]);
    const token = (await cluster.kubectl(['-n', ns, 'create', 'token', 'differ', '--duration', '1h'])).trim();
    const adminConfig = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as {
      clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
    };
    const { server, 'certificate-authority-data': caData } = adminConfig.clusters[0]!.cluster;
    const kubeconfig = writeKubeconfig(join(tempDir(), 'kubeconfig'), { server, caData }, { name: 'differ', user: { token } });
    const client = await connect({ kubeconfig });
    onTestFinished(() => client.close());

    const live = new LiveObjects(client);
    await live.prefetch(
      a.phases[0]!.objects.map((o) => refOf(o.object)),
      4,
    );
    expect(live.fallbacks).toEqual([{ apiVersion: 'v1', kind: 'Service', namespace: ns, reason: 'Forbidden' }]);

    const calls: string[] = [];
    const [d] = await diffApps([a], recordedClient(client, calls));
    expect(d!.problems).toEqual([]);
    expect(d!.objects.map((o) => o.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(calls.sort()).toEqual(['get Service', 'get Service', 'list ConfigMap', 'list Service']);
  });

  it('a namespace that does not exist yet lists as empty: its objects are creates, or the clear error', async () => {
    const ns = `lst-nons-${randomBytes(4).toString('hex')}`;
    const a = app(ns, [configMap(ns, 'one', '1'), configMap(ns, 'two', '2')]);
    const client = await admin();
    const live = new LiveObjects(client);
    await live.prefetch(
      a.phases[0]!.objects.map((o) => refOf(o.object)),
      4,
    );
    expect(live.fallbacks).toEqual([]);
    expect(await live.get(refOf(configMap(ns, 'one', '1')))).toBeUndefined();
    const [d] = await diffApps([a], client);
    expect(d!.objects).toEqual([]);
    expect(d!.problems.map((p) => `${p.ref.name}:${p.reason}:${p.message}`).sort()).toEqual([
      `one:NamespaceNotFound:namespace "${ns}" does not exist; create it, or set createNamespace: true`,
      `two:NamespaceNotFound:namespace "${ns}" does not exist; create it, or set createNamespace: true`,
    ]);
  });

  it('objects of a CRD kind: listed, unchanged without a dry-run, a change shown without key-order noise', async () => {
    const ns = await cluster.newNamespace('lst-crd');
    const group = `l${randomBytes(3).toString('hex')}.kubemin.test`;
    const crd: K8sObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
          },
        ],
      },
    };
    onTestFinished(async () => void (await cluster.kubectl(['delete', 'crd', crd.metadata.name, '--wait=false'])));
    await cluster.kubectl(['apply', '--server-side', '-f', '-'], { input: emitYaml(crd as never) });
    await cluster.kubectl(['wait', '--for=condition=Established', `crd/${crd.metadata.name}`, '--timeout=30s']);
    const gadget = (name: string, size: number): K8sObject => ({
      apiVersion: `${group}/v1`,
      kind: 'Gadget',
      metadata: { name, namespace: ns },
      spec: { size },
    });
    await applyAsKubemin(app(ns, [gadget('g1', 1), gadget('g2', 2)]));

    const calls: string[] = [];
    const [d] = await diffApps([app(ns, [gadget('g1', 1), gadget('g2', 3)])], recordedClient(await admin(), calls));
    expect(d!.problems).toEqual([]);
    expect(d!.objects.map((o) => `${o.ref.name}:${o.action}`)).toEqual(['g1:unchanged', 'g2:update']);
    expect(d!.objects[1]!.diff).toBe(
      `@@ -1,7 +1,7 @@\n apiVersion: ${group}/v1\n kind: Gadget\n spec:\n-  size: 2\n+  size: 3\n metadata:\n   name: g2\n   namespace: ${ns}\n`,
    );
    expect(calls.sort()).toEqual(['apply Gadget', 'get ConfigMap', 'list Gadget']);
  });

  it("apps in several namespaces: one LIST per kind across them, by the apps' label; an object it does not find is read without it", async () => {
    const [ns1, ns2] = [await cluster.newNamespace('lst-across'), await cluster.newNamespace('lst-across')];
    const objects = (ns: string) => [configMap(ns, 'one', '1'), configMap(ns, 'two', '2'), service(ns, 'web')];
    const [a, b] = [app(ns1, objects(ns1)), app(ns2, objects(ns2))];
    await applyAsKubemin(a);
    await applyAsKubemin(b);
    // Deleted by hand in one namespace, its labels removed by hand in the other: the selected LIST finds neither.
    await cluster.kubectl(['-n', ns1, 'delete', 'configmap', 'one']);
    await cluster.kubectl(['-n', ns2, 'label', 'configmap', 'two', 'app.kubernetes.io/instance-']);
    const calls: string[] = [];
    const [da, db] = await diffApps([a, b], recordedClient(await admin(), calls, { where: true }));
    expect([...da!.problems, ...db!.problems]).toEqual([]);
    expect(da!.objects.map((o) => `${o.ref.kind}/${o.ref.name}:${o.action}`)).toEqual([
      'ConfigMap/one:create',
      'ConfigMap/two:unchanged',
      'Service/web:unchanged',
    ]);
    expect(db!.objects.map((o) => `${o.ref.kind}/${o.ref.name}:${o.action}`)).toEqual([
      'ConfigMap/one:unchanged',
      'ConfigMap/two:update',
      'Service/web:unchanged',
    ]);
    expect(db!.objects[1]!.diff).toContain('+    app.kubernetes.io/instance: lst');
    // One LIST per kind for both apps (the inventories are in the ConfigMaps'); the two objects it
    // did not find, one per namespace, by a GET each (a namespace with two would be listed); the two
    // changes dry-run.
    expect(calls.sort()).toEqual([
      'apply ConfigMap',
      'apply ConfigMap',
      'get ConfigMap',
      'get ConfigMap',
      'list ConfigMap across namespaces',
      'list Service across namespaces',
    ]);
  });

  it('credentials that may list only in some namespaces: the LIST across them is refused, each namespace is listed, with the same result', async () => {
    const [ns1, ns2] = [await cluster.newNamespace('lst-ns-rbac'), await cluster.newNamespace('lst-ns-rbac')];
    const objects = (ns: string) => [configMap(ns, 'one', '1'), configMap(ns, 'two', '2'), service(ns, 'web'), service(ns, 'api')];
    const [a, b] = [app(ns1, objects(ns1)), app(ns2, objects(ns2))];
    await applyAsKubemin(a);
    await applyAsKubemin(b);
    const client = await connect({ kubeconfig: await namespacedKubeconfig(ns1, [ns1, ns2]) });
    onTestFinished(() => client.close());

    const live = new LiveObjects(client);
    await live.prefetch(
      [a, b].flatMap((x) => x.phases[0]!.objects.map((o) => refOf(o.object))),
      4,
      { instances: ['lst'] },
    );
    // The LISTs run concurrently: their refusals come in either order.
    expect([...live.fallbacks].sort((x, y) => x.kind.localeCompare(y.kind))).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: '', reason: 'Forbidden' },
      { apiVersion: 'v1', kind: 'Service', namespace: '', reason: 'Forbidden' },
    ]);

    const calls: string[] = [];
    const diffs = await diffApps([a, b], recordedClient(client, calls, { where: true }));
    expect(diffs.flatMap((d) => d.problems)).toEqual([]);
    expect(diffs.flatMap((d) => d.objects.map((o) => o.action))).toEqual(new Array(8).fill('unchanged'));
    expect(calls.sort()).toEqual(
      [
        'list ConfigMap across namespaces',
        'list Service across namespaces',
        ...[ns1, ns2].flatMap((n) => [`list ConfigMap in ${n}`, `list Service in ${n}`]),
      ].sort(),
    );
  });
});
