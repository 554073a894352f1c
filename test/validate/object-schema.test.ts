import { describe, expect, it } from 'vitest';
import { schemaProblems } from '../../src/k8s/openapi/check-schema.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { compileApp } from '../helpers/spec.js';

/** Objects of built-in kinds against the API server's schema: declared fields, right types. */
describe('object schema', () => {
  it('names an unknown field with a guess, and a wrong type without quoting the value', () => {
    const o = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replica: 2, template: { spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: '80' }] }] } } },
    } as unknown as K8sObject;
    expect(schemaProblems(o)).toEqual([
      { path: '/spec/replica', message: '.spec.replica is not a field the API server knows here', hint: 'did you mean "replicas"?' },
      {
        path: '/spec/template/spec/containers/0/ports/0/containerPort',
        message: '.spec.template.spec.containers[0].ports[0].containerPort must be an integer, not a string',
      },
    ]);
  });

  it('int-or-string and quantities take both; custom resources are not checked; null is allowed', () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        ports: [
          { port: 1, targetPort: 'http' },
          { port: 2, targetPort: 2 },
        ],
        selector: null,
      },
    } as unknown as K8sObject;
    expect(schemaProblems(svc)).toEqual([]);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', resources: { limits: { cpu: 1, memory: '1Gi' } } }] },
    } as unknown as K8sObject;
    expect(schemaProblems(pod)).toEqual([]);
    expect(schemaProblems({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, anything: { goes: 1 } } as K8sObject)).toEqual([]);
  });

  it("a raw object's problem is placed at the field in the spec; a patch's at the patch", () => {
    const raw = compileApp({
      components: [
        { name: 'raw', type: 'k8s-objects', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' }, datta: {} }] },
      ],
    });
    expect(raw.diagnostics.map((d) => [d.code, d.pointer, d.message, d.hint])).toEqual([
      ['object-schema', '/spec/components/0/objects/0/datta', 'ConfigMap "c": .datta is not a field the API server knows here', 'did you mean "data"?'],
    ]);
    const patched = compileApp({
      components: [
        {
          name: 'web',
          type: 'webservice',
          image: 'x:1',
          traits: { patches: [{ target: { kind: 'Deployment' }, merge: { spec: { replicas: 'two', minReadySecond: 3 } } }] },
        },
      ],
    });
    expect(patched.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      [
        'object-schema',
        '/spec/components/0/traits/patches/0/merge/spec/replicas',
        'after this patch, Deployment "web": .spec.replicas must be an integer, not a string',
      ],
      [
        'object-schema',
        '/spec/components/0/traits/patches/0/merge/spec/minReadySecond',
        'after this patch, Deployment "web": .spec.minReadySecond is not a field the API server knows here',
      ],
    ]);
  });
});
