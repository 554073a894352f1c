import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { connect } from '../../src/cluster/http-client.js';
import { FIELD_MANAGER } from '../../src/cluster/server-side-apply.js';
import { ClusterError } from '../../src/cluster/types.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { compileDir, REPO } from '../helpers/tree.js';

/**
 * The pod settings (traits pod and lifecycle, storage from existing objects, the version label)
 * as the test cluster's API server (v1.36) takes them, and as they reach the pods.
 */

const cluster = testCluster();

describe('pod settings on the cluster', { timeout: 120_000 }, () => {
  it('the API server accepts every object of fixtures/render/pod-settings (a server-side dry-run)', async () => {
    const ns = await cluster.newNamespace('pod-settings');
    const { apps, diagnostics } = await compileDir(join(REPO, 'fixtures/render/pod-settings'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const objects = apps.flatMap((a) => a.phases.flatMap((p) => p.objects.map((o) => o.object)));
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Secret', 'Deployment', 'StatefulSet', 'CronJob', 'HorizontalPodAutoscaler']));
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    try {
      const refused: string[] = [];
      for (const o of objects) {
        try {
          await client.apply({ ...o, metadata: { ...o.metadata, namespace: ns } }, { fieldManager: FIELD_MANAGER, force: false, dryRun: true });
        } catch (err) {
          refused.push(`${o.kind}/${o.metadata.name}: ${err instanceof ClusterError ? err.message : String(err)}`);
        }
      }
      expect(refused).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('a pod gets its labels, annotations, grace period, pull secrets, preStop hooks and volumes of existing objects', async () => {
    const ns = await cluster.newNamespace('pod-settings');
    const spec = {
      apiVersion: 'kubemin.dev/v1alpha1',
      kind: 'Application',
      metadata: { name: 'pods', namespace: ns },
      spec: {
        components: [
          { name: 'regcred', type: 'secret', secretType: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } },
          {
            name: 'web',
            type: 'webservice',
            image: 'ghcr.io/acme/web:1.4.2',
            ports: [{ port: 8080 }],
            dependsOn: ['regcred'],
            traits: {
              // kube-root-ca.crt: the ConfigMap kube-controller-manager puts in every namespace.
              storage: [
                { name: 'ca', type: 'config', sourceName: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.pem' }] },
                { name: 'extra', type: 'secret', sourceName: 'not.there-yet', optional: true },
              ],
              lifecycle: { preStop: { sleepSeconds: 5 } },
              sidecar: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0', traits: { lifecycle: { preStop: { command: ['/bin/sh', '-c', 'sleep 2'] } } } }],
              pod: {
                labels: { team: 'web' },
                annotations: { 'prometheus.io/scrape': 'true' },
                terminationGracePeriodSeconds: 20,
                imagePullSecrets: ['regcred', 'org-registry'],
              },
            },
          },
        ],
      },
    };
    const dir = tempDir();
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'kubemin.yaml'), emitYaml(spec as never));
    const r = await cli(['apply', dir, '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!.outcome).toBe('applied');

    const pods = await cluster.kubectlJson<any>(['get', 'pods', '-n', ns, '-l', 'app.kubernetes.io/name=web']);
    expect(pods.items).toHaveLength(1);
    const pod = pods.items[0];
    expect(pod.metadata.labels).toMatchObject({ team: 'web', 'app.kubernetes.io/version': '1.4.2' });
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(20);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'org-registry' }]);
    expect(pod.spec.containers.map((c: any) => c.lifecycle)).toEqual([
      { preStop: { sleep: { seconds: 5 } } },
      { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 2'] } } },
    ]);
    expect(pod.spec.volumes.filter((v: any) => v.name === 'ca' || v.name === 'extra')).toEqual([
      { name: 'ca', configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.pem' }], defaultMode: 420 } },
      { name: 'extra', secret: { secretName: 'not.there-yet', defaultMode: 420, optional: true } },
    ]);
    // The version is on the Deployment, not on its Service, and in no selector.
    const deployment = await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns]);
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
    expect(deployment.spec.selector.matchLabels['app.kubernetes.io/version']).toBeUndefined();
    const service = await cluster.kubectlJson<any>(['get', 'service/web', '-n', ns]);
    expect(service.metadata.labels['app.kubernetes.io/version']).toBeUndefined();
  });
});
