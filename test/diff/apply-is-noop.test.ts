import { describe, expect, it } from 'vitest';
import { applyIsNoop } from '../../src/cluster/apply-is-noop.js';
import type { K8sObject } from '../../src/k8s/types.js';

/** The bundle's object, and the live one as the API server keeps it after kubemin applied it (fieldsV1 as the server writes it). */
const bundle = (image = 'web:1'): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }] } } },
});

const appliedFields = (extra: Record<string, unknown> = {}) => ({
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': {
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:name': {},
            'f:image': {},
            'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, ...extra } },
          },
        },
      },
    },
  },
});

function live(opts: { image?: string; fields?: unknown; manager?: string; apiVersion?: string; containers?: unknown[] } = {}): K8sObject {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      resourceVersion: '7',
      managedFields: [
        {
          manager: opts.manager ?? 'kubemin',
          operation: 'Apply',
          apiVersion: opts.apiVersion ?? 'apps/v1',
          fieldsType: 'FieldsV1',
          fieldsV1: opts.fields ?? appliedFields(),
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          subresource: 'status',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': {} },
        },
      ],
    } as K8sObject['metadata'],
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate' },
      template: {
        spec: {
          containers: opts.containers ?? [
            { name: 'web', image: opts.image ?? 'web:1', ports: [{ containerPort: 8080, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' },
          ],
          restartPolicy: 'Always',
        },
      },
    },
    status: { replicas: 2 },
  };
}

describe('applyIsNoop: an unchanged object told from the live one alone', () => {
  it('the same fields at the same values, server defaults beside them (a defaulted key field too): no change', () => {
    expect(applyIsNoop(bundle(), live(), 'kubemin')).toBe(true);
  });

  it('a value that differs, in the bundle or by hand in the cluster: ask the server', () => {
    expect(applyIsNoop(bundle('web:2'), live(), 'kubemin')).toBe(false);
    expect(applyIsNoop(bundle(), live({ image: 'web:hotfix' }), 'kubemin')).toBe(false);
  });

  it('a field kubemin owns that the bundle no longer sets (the apply would remove it): ask the server', () => {
    const b = bundle();
    delete (b.spec as { replicas?: number }).replicas;
    expect(applyIsNoop(b, live(), 'kubemin')).toBe(false);
  });

  it('a key field kubemin set itself and now leaves out may default to another value: ask the server', () => {
    expect(applyIsNoop(bundle(), live({ fields: appliedFields({ 'f:protocol': {} }) }), 'kubemin')).toBe(false);
  });

  it("another manager's list element beside kubemin's: ask the server", () => {
    const containers = [
      { name: 'web', image: 'web:1', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
      { name: 'sidecar', image: 'proxy:1' },
    ];
    expect(applyIsNoop(bundle(), live({ containers }), 'kubemin')).toBe(false);
  });

  it('no Apply entry of kubemin, or one at another apiVersion: ask the server', () => {
    expect(applyIsNoop(bundle(), live({ manager: 'kubectl' }), 'kubemin')).toBe(false);
    expect(applyIsNoop(bundle(), live({ apiVersion: 'apps/v1beta2' }), 'kubemin')).toBe(false);
  });

  it('a value written differently from how the server stores it (a number for a string): ask the server', () => {
    const b = bundle();
    (b.metadata.labels as Record<string, unknown>).app = 1;
    expect(applyIsNoop(b, live(), 'kubemin')).toBe(false);
  });
});
