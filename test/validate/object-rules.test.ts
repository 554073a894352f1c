/**
 * The checks of rendered objects (src/validate/object-rules/): the last line before the API
 * server, for objects of any origin (a plugin's included). Each object below is what a component
 * type or trait could produce; the spec is a minimal one with a component "web".
 */
import { describe, expect, it } from 'vitest';
import type { ExpandedObject } from '../../src/expand/expand-app.js';
import type { K8sObject } from '../../src/k8s/types.js';
import type { AppSpec } from '../../src/spec/types.js';
import { checkObjects } from '../../src/validate/check-objects.js';

const spec = (annotations?: Record<string, string>): AppSpec => ({
  apiVersion: 'kubemin.dev/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec: { components: [{ name: 'web', type: 'plugin-thing', secretType: 'kubernetes.io/tls' }] },
});

const of = (object: Omit<K8sObject, 'metadata'> & { metadata: Partial<K8sObject['metadata']> }, pointer = '/spec/components/0'): ExpandedObject => ({
  object: { ...object, metadata: { namespace: 'ns', name: 'web', ...object.metadata } } as K8sObject,
  component: 'web',
  pointer,
});

const check = (o: ExpandedObject, s = spec()): Array<[string, string, string]> => checkObjects(s, [o]).map((d) => [d.code, d.pointer, d.message]);

describe('object rules', () => {
  it('a name its kind refuses is an error at the component name the object is named after', () => {
    const [problem] = check(of({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-9' } }));
    expect(problem).toBeUndefined();
    expect(check(of({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web.x' } }))).toEqual([
      [
        'invalid-object-name',
        '/spec/components/0/name',
        expect.stringContaining('the name of StatefulSet "web.x" (named after component "web") must be a lowercase RFC 1123 label'),
      ],
    ]);
    expect(check(of({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `web-${'x'.repeat(60)}` } }))[0]![2]).toContain('at most 52 are allowed');
  });

  it('a name not made from the component is an error at the object source', () => {
    expect(check(of({ apiVersion: 'v1', kind: 'Service', metadata: { name: '9lives' } }, '/spec/components/0/traits/x'))).toEqual([
      ['invalid-object-name', '/spec/components/0/traits/x', expect.stringContaining('the name of Service "9lives" must be a lowercase RFC 1035 label')],
    ]);
  });

  it('no ConfigMap may take the name of an inventory, whoever makes it', () => {
    expect(check(of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubemin-inventory-billing' } }, '/spec/components/0/traits/x'))).toEqual([
      ['reserved-name', '/spec/components/0/traits/x', expect.stringContaining('the inventory kubemin keeps for application "billing"')],
    ]);
  });

  it('labels, annotation keys and the annotations total are checked on every object', () => {
    const labelled = of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { 'bad key': 'x', ok: '-x' }, annotations: { 'a/b/c': '' } } });
    expect(check(labelled).map((p) => p[0])).toEqual(['invalid-label', 'invalid-label', 'invalid-annotation']);
    const big = { note: 'x'.repeat(300_000) };
    expect(check(of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: big } }), spec(big))).toEqual([
      ['annotations-too-large', '/metadata/annotations', expect.stringContaining('the annotations of the application total 300004 bytes')],
    ]);
  });

  it('ConfigMap and Secret keys, sizes and Secret types, naming keys, never values', () => {
    const secret = of({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {},
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from('sekrit').toString('base64'), 'a b': '' },
    });
    const problems = check(secret);
    expect(problems.map((p) => [p[0], p[1]])).toEqual([
      ['invalid-key', '/spec/components/0'],
      ['secret-type', '/spec/components/0/secretType'],
    ]);
    expect(JSON.stringify(problems)).not.toContain('sekrit');
    const large = of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { a: 'x'.repeat(600_000), b: 'y'.repeat(600_000) } });
    expect(check(large).map((p) => p[0])).toEqual(['data-too-large']);
  });

  it('an object etcd would not store is refused', () => {
    const keys: Record<string, string> = { big: 'v'.repeat(1_000_000) };
    for (let i = 0; i < 12_000; i++) keys[`key-${i}-${'k'.repeat(30)}`] = '';
    expect(check(of({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: keys })).map((p) => p[0])).toEqual(['object-too-large']);
  });
});
