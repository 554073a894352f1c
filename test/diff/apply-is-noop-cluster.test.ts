import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { applyIsNoop } from '../../src/cluster/apply-is-noop.js';
import { connect } from '../../src/cluster/http-client.js';
import { refOf } from '../../src/k8s/object-ref.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { testCluster } from '../cluster/cluster.js';

/**
 * applyIsNoop against what the real API server stores: a StatefulSet's claim templates come back
 * with defaults filled in (apiVersion, kind, spec.volumeMode, status.phase), an atomic list that
 * the check compares without them; a template that changed, or whose default was set to another
 * value, is never taken for unchanged.
 */

const cluster = testCluster();

interface Template {
  readonly storage?: string;
  readonly volumeMode?: string;
  readonly labels?: Record<string, string>;
}

function statefulSet(ns: string, templates: Template[]): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: ns, labels: { app: 'db' } },
    spec: {
      serviceName: 'db',
      replicas: 0,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
      volumeClaimTemplates: templates.map((t, i) => ({
        metadata: { name: `data${i}`, ...(t.labels ? { labels: t.labels } : {}) },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(t.volumeMode ? { volumeMode: t.volumeMode } : {}),
          resources: { requests: { storage: t.storage ?? '1Gi' } },
        },
      })),
    },
  };
}

async function appliedAsKubemin(object: K8sObject): Promise<K8sObject> {
  await cluster.kubectl(['apply', '--server-side', '--field-manager=kubemin', '-f', '-'], { input: emitYaml(object as never) });
  const client = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => client.close());
  return (await client.get(refOf(object)))!;
}

describe('applyIsNoop: StatefulSet claim templates as the API server stores them', () => {
  it('the server fills defaults into the templates; the same templates are still unchanged', async () => {
    const ns = await cluster.newNamespace('noop-sts');
    const sts = statefulSet(ns, [{ labels: { app: 'db' } }, { storage: '2Gi' }]);
    const live = await appliedAsKubemin(sts);
    // What the check has to see past: the stored templates are not the applied ones.
    const stored = (live.spec as { volumeClaimTemplates: Array<Record<string, unknown>> }).volumeClaimTemplates;
    expect(stored[0]).toMatchObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    expect(stored).not.toEqual((sts.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates);
    expect(applyIsNoop(sts, live, 'kubemin')).toBe(true);
  });

  it('a template that changed (size, labels, one more or one less) is not unchanged', async () => {
    const ns = await cluster.newNamespace('noop-sts-changed');
    const live = await appliedAsKubemin(statefulSet(ns, [{ labels: { app: 'db' } }]));
    expect(applyIsNoop(statefulSet(ns, [{ labels: { app: 'db' } }]), live, 'kubemin')).toBe(true);
    expect(applyIsNoop(statefulSet(ns, [{ labels: { app: 'db' }, storage: '2Gi' }]), live, 'kubemin')).toBe(false);
    expect(applyIsNoop(statefulSet(ns, [{ labels: { app: 'other' } }]), live, 'kubemin')).toBe(false);
    expect(applyIsNoop(statefulSet(ns, [{}]), live, 'kubemin')).toBe(false);
    expect(applyIsNoop(statefulSet(ns, [{ labels: { app: 'db' } }, {}]), live, 'kubemin')).toBe(false);
    expect(applyIsNoop(statefulSet(ns, []), live, 'kubemin')).toBe(false);
  });

  it('a default set explicitly: the same value is unchanged; left out when the live one is not the default, it is not', async () => {
    const ns = await cluster.newNamespace('noop-sts-mode');
    const block = await appliedAsKubemin(statefulSet(ns, [{ volumeMode: 'Block' }]));
    expect(applyIsNoop(statefulSet(ns, [{ volumeMode: 'Block' }]), block, 'kubemin')).toBe(true);
    // The bundle leaves volumeMode out: the apply would make it Filesystem again.
    expect(applyIsNoop(statefulSet(ns, [{}]), block, 'kubemin')).toBe(false);
    expect(applyIsNoop(statefulSet(ns, [{ volumeMode: 'Filesystem' }]), block, 'kubemin')).toBe(false);

    const ns2 = await cluster.newNamespace('noop-sts-mode');
    const explicit = await appliedAsKubemin(statefulSet(ns2, [{ volumeMode: 'Filesystem' }]));
    expect(applyIsNoop(statefulSet(ns2, [{ volumeMode: 'Filesystem' }]), explicit, 'kubemin')).toBe(true);
  });

  it('a live template without one of the defaults (not as this server stores it) is not taken for unchanged', async () => {
    const ns = await cluster.newNamespace('noop-sts-nodefault');
    const sts = statefulSet(ns, [{}]);
    const live = await appliedAsKubemin(sts);
    const spec = live.spec as { volumeClaimTemplates: Array<Record<string, unknown>> };
    const { status: _status, ...noStatus } = spec.volumeClaimTemplates[0]!;
    expect(applyIsNoop(sts, { ...live, spec: { ...spec, volumeClaimTemplates: [noStatus] } }, 'kubemin')).toBe(false);
    expect(applyIsNoop(sts, { ...live, spec: { ...spec, volumeClaimTemplates: [{ ...noStatus, status: { phase: 'Bound' } }] } }, 'kubemin')).toBe(false);
  });
});
