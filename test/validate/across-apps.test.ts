import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { refKey } from '../../src/k8s/object-ref.js';
import { compileApp } from '../helpers/spec.js';

/** Two apps, each in its own file, each with one k8s-objects component holding `objects`. */
function twoApps(a: readonly object[], b: readonly object[]) {
  const doc = (name: string, objects: readonly object[]) =>
    emitYaml({
      apiVersion: 'kubemin.dev/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'shared' },
      spec: { components: [{ name: 'raw', type: 'k8s-objects', objects }] },
    } as never);
  return compile([
    { path: 'a/kubemin.yaml', text: doc('alpha', a) },
    { path: 'b/kubemin.yaml', text: doc('beta', b) },
  ]);
}

const widget = (group: string) => ({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w' }, spec: {} });

describe('one object identity: group, kind, namespace, name', () => {
  it('refKey ignores the version and keeps the group', () => {
    const ref = { kind: 'Deployment', namespace: 'ns', name: 'web' };
    expect(refKey({ ...ref, apiVersion: 'apps/v1' })).toBe(refKey({ ...ref, apiVersion: 'apps/v1beta1' }));
    expect(refKey({ ...ref, apiVersion: 'apps/v1' })).not.toBe(refKey({ ...ref, apiVersion: 'extensions/v1beta1' }));
    expect(refKey({ apiVersion: 'v1', kind: 'Namespace', name: 'ns' })).toBe('/Namespace//ns');
  });

  it('two apps producing one object is an error naming it as every message does', () => {
    const r = twoApps([widget('acme.io')], [widget('acme.io')]);
    const collisions = r.diagnostics.filter((d) => d.code === 'object-name-collision');
    expect(collisions.map((d) => d.message)).toEqual(['Widget shared/w is produced by application "alpha" and by application "beta"']);
  });

  it('kinds of one name in two API groups are two objects, not a collision', () => {
    const r = twoApps([widget('acme.io')], [widget('example.com')]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.apps.map((a) => a.name)).toEqual(['alpha', 'beta']);
  });

  it('within an app, one object under two versions of its group is produced twice', () => {
    const r = compileApp({
      components: [{ name: 'raw', type: 'k8s-objects', objects: [widget('acme.io'), { ...widget('acme.io'), apiVersion: 'acme.io/v2' }] }],
    });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['object-name-collision']);
  });
});
