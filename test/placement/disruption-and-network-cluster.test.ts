import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/**
 * The NetworkPolicies and PodDisruptionBudgets kubemin renders, on the test cluster: the API server
 * takes them as they are (the live spec is the rendered one, a diff after the apply is empty),
 * and the disruption controller counts the pods of a default budget. KWOK enforces no network
 * policy, so what is tested of them is their shape, not the traffic.
 */

const cluster = testCluster();

async function rendered(dir: string): Promise<K8sObject[]> {
  const r = await cli(['render', dir]);
  expect(r.code, r.stderr).toBe(0);
  return yaml.loadAll(r.stdout).filter(Boolean) as K8sObject[];
}

function spec(namespace: string): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'isolated', namespace },
    spec: {
      policies: { networkIsolation: true },
      components: [
        { name: 'cache', type: 'store', image: 'redis:7.2', replicas: 3, ports: [{ port: 6379 }] },
        {
          name: 'api',
          type: 'webservice',
          image: 'ghcr.io/acme/api:1.0',
          replicas: 3,
          ports: [
            { port: 8080, name: 'http' },
            { port: 9090, name: 'metrics' },
          ],
          dependsOn: ['cache'],
          traits: {
            ingress: [{ hosts: ['api.example.com'], routes: [{ path: '/' }] }],
            placement: { spread: 'zone-and-host' },
            networkPolicy: { from: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' }, ports: ['metrics'] }] },
          },
        },
        {
          name: 'worker',
          type: 'worker',
          image: 'ghcr.io/acme/worker:1.0',
          replicas: 2,
          dependsOn: ['api'],
          traits: { disruptionBudget: { maxUnavailable: '50%' } },
        },
      ],
    },
  } as never);
}

describe('NetworkPolicies and PodDisruptionBudgets on the test cluster', () => {
  it('are applied as rendered, unchanged on a diff, and a default budget lets one pod of three go', { timeout: 120_000 }, async () => {
    const ns = await cluster.newNamespace('isolated');
    const dir = tempDir();
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'kubemin.yaml'), spec(ns));
    const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms']);
    const result = (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!;
    expect(result.outcome, r.stderr + JSON.stringify(result.phases.flatMap((p) => p.reasons))).toBe('applied');

    const objects = await rendered(dir);
    const guards = objects.filter((o) => o.kind === 'NetworkPolicy' || o.kind === 'PodDisruptionBudget');
    expect(guards.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'NetworkPolicy/cache',
      'PodDisruptionBudget/cache',
      'NetworkPolicy/api',
      'PodDisruptionBudget/api',
      'NetworkPolicy/worker',
      'PodDisruptionBudget/worker',
    ]);
    for (const o of guards) {
      const live = await cluster.kubectlJson<K8sObject>(['get', o.kind.toLowerCase(), o.metadata.name, '-n', ns]);
      expect(live.spec, `${o.kind}/${o.metadata.name}`).toEqual(o.spec);
    }

    // The disruption controller sees the store's 3 pods: a drain may take one of them.
    let status: Record<string, number> = {};
    for (let i = 0; i < 100 && status.currentHealthy !== 3; i++) {
      status = (await cluster.kubectlJson<{ status?: Record<string, number> }>(['get', 'pdb', 'cache', '-n', ns])).status ?? {};
      if (status.currentHealthy !== 3) await new Promise((res) => setTimeout(res, 300));
    }
    expect(status).toMatchObject({ expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 });

    const diff = await cli(['diff', dir, '--kubeconfig', cluster.kubeconfig]);
    expect(diff.stdout + diff.stderr).toMatch(/0 to create, 0 to update/);
    expect(diff.code).toBe(0);
  });

  it("the placement-and-network fixture (every new field) passes the API server's server-side dry-run", { timeout: 60_000 }, async () => {
    const ns = await cluster.newNamespace('placement');
    const objects = (await rendered(join(REPO, 'fixtures/render/placement-and-network'))).map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } }));
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set(['NetworkPolicy', 'Service', 'PodDisruptionBudget', 'StatefulSet', 'Job', 'Deployment', 'Ingress', 'CronJob', 'HorizontalPodAutoscaler']),
    );
    const out = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=kubemin', '-f', '-'], {
      input: objects.map((o) => JSON.stringify(o)).join('\n'),
    });
    expect(out.trim().split('\n')).toHaveLength(objects.length);
  });
});
