import { describe, expect, it } from 'vitest';
import { formatDiffMarkdown } from '../../src/diff/format-markdown.js';
import { formatDiffText } from '../../src/diff/format-text.js';
import { maskSecretPair } from '../../src/diff/mask-secrets.js';
import { objectSecrets } from '../../src/secrets/object-secrets.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { normalizeObject } from '../../src/diff/normalize.js';
import { unifiedDiff } from '../../src/diff/object-diff.js';
import type { AppDiff, ObjectDiff } from '../../src/diff/types.js';
import { decodeInventory, encodeInventory } from '../../src/inventory/inventory.js';
import type { K8sObject } from '../../src/k8s/types.js';

const secret = (data: Record<string, string>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'n' },
  type: 'Opaque',
  data,
});

describe('secret masking', () => {
  it('masks every value; equal values look equal, a changed value is marked before/after', () => {
    const [before, after] = maskSecretPair(
      secret({ same: 'c2FtZQ==', changed: 'b2xk', gone: 'eA==' }),
      secret({ same: 'c2FtZQ==', changed: 'bmV3', added: 'eQ==' }),
    );
    expect(before!.data).toEqual({ same: '***', changed: '*** (before)', gone: '***' });
    expect(after!.data).toEqual({ same: '***', changed: '*** (after)', added: '***' });
    const text = unifiedDiff(before, after);
    expect(text).toContain('-  changed: "*** (before)"');
    expect(text).toContain('+  changed: "*** (after)"');
    expect(text).not.toMatch(/b2xk|bmV3|old|new/);
  });

  it('leaves other kinds alone', () => {
    const cm: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    expect(maskSecretPair(cm, cm)).toEqual([cm, cm]);
  });

  it('redacts secret values, raw and base64, from server messages', () => {
    const redactor = new Redactor().addAll(objectSecrets([secret({ token: Buffer.from('hunter2-secret').toString('base64') })]));
    expect(redactor.scrubForeign('data[token]: Invalid value: "hunter2-secret" (aHVudGVyMi1zZWNyZXQ=)')).toBe('data[token]: Invalid value: "***" (***)');
  });
});

describe('normalisation and object diffs', () => {
  it('drops server bookkeeping, status and foreign annotations', () => {
    const live: K8sObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'n',
        uid: 'u',
        resourceVersion: '7',
        creationTimestamp: 't',
        managedFields: [],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      } as K8sObject['metadata'],
      data: { a: 'b' },
      status: {},
    };
    expect(normalizeObject(live)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { a: 'b' } });
  });

  it('an image bump is exactly one changed line', () => {
    const dep = (image: string): K8sObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 80 }] }] } } },
    });
    const text = unifiedDiff(dep('a:1'), dep('a:2'));
    expect(text.split('\n').filter((l) => /^[-+]/.test(l))).toEqual(['-          image: a:1', '+          image: a:2']);
    expect(unifiedDiff(dep('a:1'), dep('a:1'))).toBe('');
  });
});

describe('diff output', () => {
  const change = (i: number): ObjectDiff => ({
    action: 'update',
    ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: `c${i}` },
    component: 'c',
    source: 'kubemin.yaml:3',
    phase: '01-a',
    diff: '@@ -1,1 +1,1 @@\n-a: ' + 'x'.repeat(900) + '\n+a: y\n',
    note: null,
  });
  const app = (n: number): AppDiff => ({ app: 'shop', namespace: 'n', objects: Array.from({ length: n }, (_, i) => change(i)), problems: [] });

  it('text: header per changed object, summary last', () => {
    const text = formatDiffText([app(1)]);
    expect(text.split('\n')[0]).toBe('ConfigMap n/c0 (update, kubemin.yaml:3)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('0 to create, 1 to update, 0 to delete, 0 unchanged');
  });

  it('markdown: a table, collapsible sections, and a visible cut before the limit', () => {
    const md = formatDiffMarkdown([app(100)], 20_000);
    expect(md.length).toBeLessThan(20_000);
    expect(md).toContain('| shop | n | 0 | 100 | 0 | 0 | 0 |');
    expect(md).toContain('<details><summary>shop: <code>ConfigMap n/c0</code> update (kubemin.yaml:3)</summary>');
    expect(md).toMatch(/The diff was cut here\*\*: \d+ of 100 sections are not shown/);
    expect(formatDiffMarkdown([app(2)])).not.toContain('cut here');
  });
});

describe('inventory', () => {
  it('round-trips, sorted, and refuses a malformed line', () => {
    const inv = {
      app: 'shop',
      namespace: 'shop',
      objects: [
        { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        { apiVersion: 'v1', kind: 'Namespace', name: 'shop' },
      ],
    };
    const cm = encodeInventory(inv);
    expect(cm.metadata.name).toBe('kubemin-inventory-shop');
    expect(decodeInventory('shop', cm).objects).toEqual([inv.objects[1], inv.objects[0]]);
    expect(() => decodeInventory('shop', { ...cm, data: { objects: '{nope' } })).toThrow(/line 1 is not JSON/);
  });
});
