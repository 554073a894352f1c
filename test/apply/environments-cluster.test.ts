import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { inventoryName } from '../../src/inventory/inventory.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir, type CliRun } from '../helpers/cli.js';

/**
 * Environments against the real API server of the test cluster: two environments of one app in
 * two namespaces, each with its own inventory (`kubemin-inventory-<app>.<env>`), so that
 * pruning one leaves the other alone; the context an environment's `cluster` names; and an app
 * that gains environments taking its old inventory over.
 */

const cluster = testCluster();
const POLL = ['--poll-interval', '200ms'];

type Component = Record<string, unknown>;
const settings: Component = { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } };
const web: Component = {
  name: 'web',
  type: 'webservice',
  image: 'ghcr.io/acme/web:1.0',
  ports: [{ port: 8080 }],
  traits: { envFrom: [{ type: 'config', sourceName: 'settings' }] },
};
const worker: Component = { name: 'worker', type: 'worker', image: 'ghcr.io/acme/worker:1.0' };

function write(dir: string, name: string, ns: string, environments?: unknown[], components: Component[] = [settings, web, worker]): string {
  const doc = {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: { components, ...(environments ? { environments } : {}) },
  };
  writeFileSync(join(dir, 'kubemin.yaml'), emitYaml(doc as never));
  return dir;
}

async function run(args: string[], kubeconfig = cluster.kubeconfig): Promise<CliRun> {
  return cli([...args, '--kubeconfig', kubeconfig]);
}

async function applyJson(args: string[], kubeconfig?: string): Promise<{ code: number; apps: AppApplyResult[]; stderr: string }> {
  const r = await run(['apply', ...args, '-o', 'json', ...POLL], kubeconfig);
  if (!r.stdout.trim()) throw new Error(`kubemin apply printed no result (exit ${r.code}): ${r.stderr}`);
  return { code: r.code, apps: (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps, stderr: r.stderr };
}

const uid = async (kind: string, name: string, ns: string): Promise<string> => (await cluster.kubectlJson<any>(['get', kind, name, '-n', ns])).metadata.uid;
const names = async (kind: string, ns: string): Promise<string[]> =>
  (await cluster.kubectl(['get', kind, '-n', ns, '-o', 'name'])).trim().split('\n').filter(Boolean).sort();
const configMaps = async (ns: string): Promise<string[]> => (await names('configmaps', ns)).filter((n) => n !== 'configmap/kube-root-ca.crt');

describe('environments on the cluster', { timeout: 180_000 }, () => {
  it('two environments of one app in two namespaces: no collision, an inventory each, diff clean; pruning one leaves the other alone', async () => {
    const devNs = await cluster.newNamespace('env-dev');
    const stagingNs = await cluster.newNamespace('env-staging');
    const dir = tempDir();
    const environments = (stagingWorker: boolean): unknown[] => [
      { name: 'dev', namespace: devNs, components: { web: { env: { MODE: 'dev' } } } },
      { name: 'staging', namespace: stagingNs, components: { web: { replicas: 2 }, ...(stagingWorker ? {} : { worker: { disabled: true } }) } },
    ];
    write(dir, 'books', devNs, environments(true));

    // Both environments name no cluster: one command applies both, to the current context.
    const first = await applyJson([dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.apps.map((a) => [a.app, a.environment, a.namespace, a.outcome])).toEqual([
      ['books', 'dev', devNs, 'applied'],
      ['books', 'staging', stagingNs, 'applied'],
    ]);
    for (const ns of [devNs, stagingNs]) expect(await names('deployments', ns)).toEqual(['deployment.apps/web', 'deployment.apps/worker']);
    const devWeb = await cluster.kubectlJson<any>(['get', 'deployment', 'web', '-n', devNs]);
    const stagingWeb = await cluster.kubectlJson<any>(['get', 'deployment', 'web', '-n', stagingNs]);
    expect(devWeb.metadata.uid).not.toBe(stagingWeb.metadata.uid);
    expect(devWeb.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'dev' }]);
    expect(stagingWeb.spec.replicas).toBe(2);
    // An inventory per app and environment, each in its environment's namespace.
    expect(await configMaps(devNs)).toEqual([`configmap/${inventoryName({ name: 'books', environment: 'dev' })}`, 'configmap/settings']);
    expect(await configMaps(stagingNs)).toEqual(['configmap/kubemin-inventory-books.staging', 'configmap/settings']);
    const devInventory = (await cluster.kubectlJson<any>(['get', 'configmap', 'kubemin-inventory-books.dev', '-n', devNs])).data;
    // dev: the ConfigMap, the Service and two Deployments; staging also a disruption budget (2 replicas).
    expect(devInventory.objects.trim().split('\n')).toHaveLength(4);

    for (const [env, objects] of [
      ['dev', 4],
      ['staging', 5],
    ] as const) {
      const d = await run(['diff', dir, '--env', env]);
      expect(d.code, `${env}: ${d.stdout}${d.stderr}`).toBe(0);
      expect(d.stdout).toBe(`0 to create, 0 to update, 0 to delete, ${objects} unchanged\n`);
    }

    // Staging leaves the worker out; dev keeps it.
    const devUids = await Promise.all([uid('deployment', 'web', devNs), uid('deployment', 'worker', devNs), uid('configmap', 'settings', devNs)]);
    write(dir, 'books', devNs, environments(false));
    const planned = await run(['diff', dir, '--env', 'staging']);
    expect(planned.code).toBe(1);
    expect(planned.stdout).toContain(`Deployment ${stagingNs}/worker (delete)`);
    expect(planned.stdout).toMatch(/0 to create, 0 to update, 1 to delete, 4 unchanged\n$/);
    expect((await run(['diff', dir, '--env', 'dev'])).code).toBe(0);

    const pruned = await applyJson([dir, '--env', 'staging', '--prune']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.apps.map((a) => [a.environment, a.pruned.map((p) => `${p.ref.kind}/${p.ref.namespace}/${p.ref.name}:${p.action}`)])).toEqual([
      ['staging', [`Deployment/${stagingNs}/worker:deleted`]],
    ]);
    await cluster.kubectl(['wait', '--for=delete', 'deployment/worker', '-n', stagingNs, '--timeout=60s']);
    // The other environment: the same objects, untouched, and its inventory as it was.
    expect(await Promise.all([uid('deployment', 'web', devNs), uid('deployment', 'worker', devNs), uid('configmap', 'settings', devNs)])).toEqual(devUids);
    expect((await cluster.kubectlJson<any>(['get', 'configmap', 'kubemin-inventory-books.dev', '-n', devNs])).data).toEqual(devInventory);
    expect((await cluster.kubectlJson<any>(['get', 'configmap', 'kubemin-inventory-books.staging', '-n', stagingNs])).data.objects).not.toContain('worker');
    for (const env of ['dev', 'staging']) {
      const d = await run(['diff', dir, '--env', env]);
      expect(d.code, `${env}: ${d.stdout}${d.stderr}`).toBe(0);
    }
  });

  it("diff and apply use the context the environment's cluster names, unless --context; a rendered bundle keeps it", async () => {
    const ns = await cluster.newNamespace('env-context');
    // The test cluster as context "staging-eu"; the current context is a server that is not there.
    const config = load(readFileSync(cluster.kubeconfig, 'utf8')) as { clusters: any[]; contexts: any[]; 'current-context': string };
    const current = config.contexts.find((c) => c.name === config['current-context']);
    config.clusters.push({ name: 'nowhere', cluster: { server: 'https://127.0.0.1:1' } });
    config.contexts.push({ name: 'staging-eu', context: { ...current.context } }, { name: 'nowhere', context: { ...current.context, cluster: 'nowhere' } });
    config['current-context'] = 'nowhere';
    const kubeconfig = join(tempDir(), 'config');
    writeFileSync(kubeconfig, JSON.stringify(config));

    const dir = write(
      tempDir(),
      'books',
      ns,
      [
        { name: 'staging', cluster: 'staging-eu' },
        { name: 'dev', namespace: `${ns}-dev` },
      ],
      [settings, web],
    );
    const applied = await applyJson([dir, '--env', 'staging'], kubeconfig);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.apps.map((a) => [a.environment, a.namespace, a.outcome])).toEqual([['staging', ns, 'applied']]);
    expect(await names('deployments', ns)).toEqual(['deployment.apps/web']);
    expect((await run(['diff', dir, '--env', 'staging'], kubeconfig)).code).toBe(0);
    // --context wins: the current context's server is not there.
    const elsewhere = await run(['diff', dir, '--env', 'staging', '--context', 'nowhere'], kubeconfig);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('127.0.0.1:1');
    // dev names no cluster: the current context.
    expect((await run(['diff', dir, '--env', 'dev'], kubeconfig)).stderr).toContain('127.0.0.1:1');

    // A rendered bundle of every environment: the plan says the cluster, apply DIR --env uses it.
    const out = join(tempDir(), 'rendered');
    expect((await cli(['render', dir, '--out', out])).code).toBe(0);
    const again = await applyJson([out, '--env', 'staging'], kubeconfig);
    expect(again.code, again.stderr).toBe(0);
    expect(again.apps[0]!.phases.flatMap((p) => p.objects.map((o) => o.action))).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('an app that gains environments: its old inventory is taken over, what the environment leaves out pruned, then the old inventory deleted', async () => {
    const ns = await cluster.newNamespace('env-adopt');
    const dir = tempDir();
    write(dir, 'books', ns);
    expect((await applyJson([dir])).code).toBe(0);
    expect(await configMaps(ns)).toEqual(['configmap/kubemin-inventory-books', 'configmap/settings']);
    const kept = await Promise.all([uid('deployment', 'web', ns), uid('configmap', 'settings', ns)]);

    // Now with environments; production (in the same namespace) leaves the worker out, and its web image does not pull.
    const environments = (image: string): unknown[] => [
      { name: 'production', components: { worker: { disabled: true }, web: { image } } },
      { name: 'dev', namespace: `${ns}-dev` },
    ];
    write(dir, 'books', ns, environments('registry.invalid/acme/web:2.0'));
    // The diff reads the old inventory: the worker would be deleted.
    const planned = await run(['diff', dir, '--env', 'production']);
    expect(planned.code).toBe(1);
    expect(planned.stdout).toContain(`Deployment ${ns}/worker (delete)`);

    const failed = await applyJson([dir, '--env', 'production', '--prune']);
    expect(failed.code).toBe(1);
    expect(failed.apps[0]!.outcome).toBe('failed');
    // Failed: nothing pruned, the old inventory still there, the new one naming it.
    expect(failed.apps[0]!.pruned).toEqual([]);
    expect(await configMaps(ns)).toEqual(['configmap/kubemin-inventory-books', 'configmap/kubemin-inventory-books.production', 'configmap/settings']);
    const pending = (await cluster.kubectlJson<any>(['get', 'configmap', 'kubemin-inventory-books.production', '-n', ns])).data;
    expect(pending.adopts).toBe('kubemin-inventory-books');
    expect(pending.objects).toContain('"name":"worker"');

    write(dir, 'books', ns, environments('ghcr.io/acme/web:2.0'));
    const applied = await applyJson([dir, '--env', 'production', '--prune']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.apps[0]!.pruned.map((p) => `${p.ref.kind}/${p.ref.name}:${p.action}`)).toEqual(['Deployment/worker:deleted']);
    expect(await configMaps(ns)).toEqual(['configmap/kubemin-inventory-books.production', 'configmap/settings']);
    const inventory = (await cluster.kubectlJson<any>(['get', 'configmap', 'kubemin-inventory-books.production', '-n', ns])).data;
    expect(Object.keys(inventory)).toEqual(['objects']);
    expect(inventory.objects).not.toContain('worker');
    // The objects the environment keeps are the same objects, updated in place.
    expect(await Promise.all([uid('deployment', 'web', ns), uid('configmap', 'settings', ns)])).toEqual(kept);
    expect((await run(['diff', dir, '--env', 'production'])).code).toBe(0);
  });
});
