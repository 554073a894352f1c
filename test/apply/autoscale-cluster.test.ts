import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * An autoscaled workload against the real API server and controllers: created at its
 * autoscaler's minReplicas, its count never owned by kubemin (field manager `kubemin-initial`
 * holds it until the autoscaler's first scale), so that a scale is never undone by an apply.
 * `kubectl scale` stands in for the HorizontalPodAutoscaler (the test cluster has no metrics): it
 * writes the same scale subresource.
 */

const cluster = testCluster();
const POLL = ['--poll-interval', '200ms'];

type Component = Record<string, unknown>;

function repo(ns: string, components: Component[]): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'app'));
  const spec = { apiVersion: 'kubemin.dev/v1alpha1', kind: 'Application', metadata: { name: 'scaled', namespace: ns }, spec: { components } };
  writeFileSync(join(dir, 'app', 'kubemin.yaml'), emitYaml(spec as never));
  return dir;
}

async function apply(dir: string): Promise<AppApplyResult> {
  const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', ...POLL]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!;
}

interface Live {
  replicas: number;
  available: number;
  /** Field managers that own spec.replicas, as `manager/operation`. */
  owners: string[];
}

async function live(ns: string, kind: string, name: string): Promise<Live> {
  const o = await cluster.kubectlJson<any>(['get', kind, name, '-n', ns, '--show-managed-fields']);
  const owners = (o.metadata.managedFields as any[])
    .filter((m) => m.fieldsV1?.['f:spec']?.['f:replicas'] !== undefined)
    .map((m) => `${m.manager}/${m.operation}${m.subresource ? `/${m.subresource}` : ''}`);
  return { replicas: o.spec.replicas, available: o.status.availableReplicas ?? o.status.readyReplicas ?? 0, owners };
}

const web = (traits: Component, replicas?: number): Component => ({
  name: 'web',
  type: 'webservice',
  image: 'ghcr.io/acme/web:1.0',
  ...(replicas !== undefined ? { replicas } : {}),
  ports: [{ port: 8080 }],
  traits,
});

const message = (r: AppApplyResult, kind: string): string | undefined => r.phases.flatMap((p) => p.objects).find((o) => o.ref.kind === kind)?.message;

describe('an autoscaled workload on the cluster', { timeout: 120_000 }, () => {
  it("is created at minReplicas, waited for until they are available, and an autoscaler's scale is never undone", async () => {
    const ns = await cluster.newNamespace('scale-start');
    const dir = repo(ns, [web({ autoscale: { minReplicas: 3, maxReplicas: 6 } })]);
    // diff shows the workload as it will be created: at 3 replicas (the bundle leaves replicas out).
    const planned = await cli(['diff', dir, '--kubeconfig', cluster.kubeconfig]);
    expect(planned.stdout).toMatch(new RegExp(`Deployment ${ns}/web \\(create[^\\n]*\\n@@[^\\n]*\\n(\\+[^\\n]*\\n)*\\+spec:\\n\\+  replicas: 3\\n`));
    const first = await apply(dir);
    expect(first.outcome).toBe('applied');
    // Readiness counted the live count (3), not the default of 1.
    expect(message(first, 'Deployment')).toBe('3 of 3 replicas available');
    expect(await live(ns, 'deployment', 'web')).toEqual({ replicas: 3, available: 3, owners: ['kubemin-initial/Apply'] });

    // The autoscaler scales (the scale subresource, as the HPA controller writes it): it takes the count over.
    await cluster.kubectl(['scale', 'deployment/web', '-n', ns, '--replicas=5']);
    await cluster.kubectl(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=60s']);
    expect(await live(ns, 'deployment', 'web')).toEqual({ replicas: 5, available: 5, owners: ['kubectl/Update/scale'] });

    // Neither diff nor apply touches it.
    const diff = await cli(['diff', dir, '--kubeconfig', cluster.kubeconfig]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^0 to create, 0 to update, 0 to delete, \d+ unchanged\n$/);
    const again = await apply(dir);
    expect(new Set(again.phases.flatMap((p) => p.objects.map((o) => o.action)))).toEqual(new Set(['unchanged']));
    expect(message(again, 'Deployment')).toBe('5 of 5 replicas available');
    expect((await live(ns, 'deployment', 'web')).replicas).toBe(5);
  });

  it('creates an autoscaled store at minReplicas too, and waits for them to be ready', async () => {
    const ns = await cluster.newNamespace('scale-store');
    const store: Component = {
      name: 'cache',
      type: 'store',
      image: 'redis:7.2',
      ports: [{ port: 6379 }],
      traits: { autoscale: { minReplicas: 2, maxReplicas: 4 } },
    };
    const r = await apply(repo(ns, [store]));
    expect(message(r, 'StatefulSet')).toBe('2 of 2 replicas ready');
    expect(await live(ns, 'statefulset', 'cache')).toEqual({ replicas: 2, available: 2, owners: ['kubemin-initial/Apply'] });
  });

  it('hands the count over when autoscale is added (not back to 1), and takes it back when autoscale is removed (no conflict with itself)', async () => {
    const ns = await cluster.newNamespace('scale-handover');
    await apply(repo(ns, [web({}, 2)]));
    expect((await live(ns, 'deployment', 'web')).owners).toEqual(['kubemin/Apply']);

    // Without the hand-over, applying the workload without replicas would reset it to 1 (a dry-run shows it).
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      const current = (await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web' }))!;
      const { replicas: _dropped, ...spec } = current.spec as Record<string, unknown>;
      const bare: K8sObject = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: { selector: spec.selector, template: spec.template },
      };
      const plain = await client.apply(bare, { fieldManager: 'kubemin', force: false, dryRun: true });
      expect((plain.spec as { replicas: number }).replicas).toBe(1);
    } finally {
      client.close();
    }

    // minReplicas 1 below the running 2: the running count is kept, and diff says so beforehand.
    const scaled = repo(ns, [web({ autoscale: { minReplicas: 1, maxReplicas: 6 } }, 2)]);
    const diff = await cli(['diff', scaled, '--kubeconfig', cluster.kubeconfig]);
    expect(diff.stdout).toContain(`HorizontalPodAutoscaler ${ns}/web (create`);
    expect(diff.stdout).not.toContain(`Deployment ${ns}/web`); // unchanged: not listed
    await apply(scaled);
    expect(await live(ns, 'deployment', 'web')).toEqual({ replicas: 2, available: 2, owners: ['kubemin-initial/Apply'] });

    // Autoscale removed, replicas 4: kubemin owns the count again, kubemin-initial lets go.
    const fixed = repo(ns, [web({}, 4)]);
    const diffBack = await cli(['diff', fixed, '--kubeconfig', cluster.kubeconfig]);
    expect(diffBack.stdout).toMatch(/-  replicas: 2\n\+  replicas: 4\n/);
    expect(diffBack.stdout).not.toContain('conflict');
    const back = await apply(fixed);
    expect(back.outcome).toBe('applied');
    expect(await live(ns, 'deployment', 'web')).toEqual({ replicas: 4, available: 4, owners: ['kubemin/Apply'] });
  });
});
