import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyApp } from '../../src/apply/apply-app.js';
import { connect } from '../../src/cluster/http-client.js';
import type { CompiledApp } from '../../src/compile.js';
import { diffApps } from '../../src/cluster/diff-apps.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { testCluster } from '../cluster/cluster.js';
import { onePhaseApp } from '../helpers/one-phase-app.js';

/**
 * Kinds the cluster does not serve yet, against the real API server: a CustomResourceDefinition
 * and an object of its kind in one bundle (as plugins will produce them), and a kind nobody defines.
 */

const cluster = testCluster();

function widgets(): { group: string; crd: K8sObject; widget: (ns: string) => K8sObject } {
  const group = `w${randomBytes(3).toString('hex')}.kubemin.test`;
  const crd: K8sObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
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
  const widget = (ns: string): K8sObject => ({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace: ns }, spec: { size: 3 } });
  return { group, crd, widget };
}

const app = (ns: string, objects: K8sObject[]): CompiledApp => onePhaseApp('widgets', ns, objects, 'w');

async function client() {
  const c = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => c.close());
  return c;
}

describe('kinds defined in the bundle, and kinds nobody defines', () => {
  it('apply: waits for the CRD to be established, then applies objects of its kind in the same phase', async () => {
    const ns = await cluster.newNamespace('crd-apply');
    const { group, crd, widget } = widgets();
    onTestFinished(async () => void (await cluster.kubectl(['delete', 'crd', crd.metadata.name, '--wait=false'])));
    const result = await applyApp(app(ns, [widget(ns), crd]), await client(), { pollMs: 200 });
    expect(result.outcome).toBe('applied');
    expect(result.phases[0]!.objects.map((o) => `${o.ref.kind}:${o.action}:${o.state}`).sort()).toEqual([
      'CustomResourceDefinition:created:ready',
      'Widget:created:ready',
    ]);
    const live = await cluster.kubectlJson<any>(['get', `widgets.${group}`, 'w1', '-n', ns]);
    expect(live.spec.size).toBe(3);
  });

  it('diff: an object of a CRD in the same bundle is a create; a kind nobody serves is an error naming the object', async () => {
    const ns = await cluster.newNamespace('crd-diff');
    const { crd, widget } = widgets();
    const c = await client();
    const [withCrd] = await diffApps([app(ns, [crd, widget(ns)])], c);
    expect(withCrd!.problems).toEqual([]);
    expect(withCrd!.objects.map((o) => [o.ref.kind, o.action, o.note])).toEqual([
      ['CustomResourceDefinition', 'create', null],
      ['Widget', 'create', 'its CustomResourceDefinition is created by this bundle first'],
    ]);
    const [without] = await diffApps([app(ns, [widget(ns)])], c);
    expect(without!.objects).toEqual([]);
    expect(without!.problems).toEqual([
      expect.objectContaining({
        reason: 'UnknownKind',
        component: 'w',
        source: 'kubemin.yaml:1',
        message: expect.stringMatching(/the cluster does not serve Widget in w[0-9a-f]+\.kubemin\.test\/v1: install its CustomResourceDefinition first/),
      }),
    ]);
  });
});
