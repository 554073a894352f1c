import { describe, expect, it } from 'vitest';
import { codes, compileApp } from '../helpers/spec.js';

const w = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'worker', image: 'busybox', ...extra });
const phases = (r: ReturnType<typeof compileApp>) => r.apps[0]!.phases.map((p) => `${p.index} ${p.name} ${p.mode} ${p.timeout} [${p.components.join(',')}]`);

describe('workflow -> phases', () => {
  it('a serial step is one phase per component, a parallel step one phase', () => {
    const r = compileApp({
      components: [w('a'), w('b'), w('c'), w('d')],
      workflow: {
        steps: [
          { name: 's', components: ['b', 'a'] },
          { name: 'p', components: ['c', 'd'], mode: 'parallel', timeout: '1h' },
        ],
      },
    });
    expect(phases(r)).toEqual(['1 s-b serial 5m [b]', '2 s-a serial 5m [a]', '3 p parallel 1h [c,d]']);
  });

  it("accepts KubeMin-Cli's StepByStep and DAG", () => {
    const r = compileApp({
      components: [w('a'), w('b'), w('c')],
      workflow: {
        steps: [
          { name: 'one', components: ['a', 'b'], mode: 'StepByStep' },
          { name: 'two', components: ['c'], mode: 'DAG' },
        ],
      },
    });
    expect(phases(r)).toEqual(['1 one-a serial 5m [a]', '2 one-b serial 5m [b]', '3 two parallel 5m [c]']);
  });

  it('without a workflow, phases are the layers of dependsOn', () => {
    const r = compileApp({
      components: [w('web', { dependsOn: ['api'] }), w('api', { dependsOn: ['db', 'cache'] }), w('db'), w('cache'), w('lone')],
    });
    expect(phases(r)).toEqual(['1 cache-db-lone parallel 5m [cache,db,lone]', '2 api parallel 5m [api]', '3 web parallel 5m [web]']);
  });

  it('a component timeout applies to its phase; policies.timeout is the default', () => {
    const r = compileApp({
      policies: { timeout: '2m', retries: 1 },
      components: [w('a', { policies: { timeout: '10m', retries: 3 } }), w('b')],
      workflow: { steps: [{ name: 'x', components: ['a', 'b'], mode: 'parallel' }] },
    });
    expect(r.apps[0]!.phases.map((p) => [p.timeout, p.retries])).toEqual([['10m', 3]]);
  });

  it('a dependsOn cycle is an error naming the cycle', () => {
    const r = compileApp({ components: [w('a', { dependsOn: ['b'] }), w('b', { dependsOn: ['c'] }), w('c', { dependsOn: ['a'] })] });
    expect(codes(r)).toEqual(['depends-on-cycle']);
    expect(r.diagnostics[0]!.message).toBe('dependsOn forms a cycle: a -> b -> c -> a');
  });

  it('workflow and dependsOn must agree', () => {
    const r = compileApp({
      components: [w('a', { dependsOn: ['b'] }), w('b')],
      workflow: {
        steps: [
          { name: 'one', components: ['a'] },
          { name: 'two', components: ['b'] },
        ],
      },
    });
    expect(codes(r)).toEqual(['workflow-depends-on']);
    expect(r.diagnostics[0]!.related?.map((x) => x.message)).toEqual(['step deploying "a"', 'step deploying "b"']);
    const same = compileApp({
      components: [w('a', { dependsOn: ['b'] }), w('b')],
      workflow: { steps: [{ name: 'all', components: ['a', 'b'], mode: 'parallel' }] },
    });
    expect(same.diagnostics[0]!.message).toContain('deploys both together');
  });

  it('every component is in exactly one step, and steps name real components', () => {
    const r = compileApp({
      components: [w('a'), w('b'), w('c')],
      workflow: {
        steps: [
          { name: 'one', components: ['a', 'x'] },
          { name: 'two', components: ['a', 'b'] },
        ],
      },
    });
    expect(codes(r).sort()).toEqual(['component-in-two-steps', 'component-not-in-workflow', 'unknown-component']);
  });

  it('objects of a phase follow the kind order, then name', () => {
    const r = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'x', ports: [{ port: 80 }], traits: { ingress: [{}], autoscale: { maxReplicas: 3 }, rbac: [{}] } },
        { name: 'cfg', type: 'config', data: { a: 'b' } },
      ],
      workflow: { steps: [{ name: 'all', components: ['web', 'cfg'], mode: 'parallel' }] },
    });
    expect(r.apps[0]!.phases[0]!.objects.map((o) => o.object.kind)).toEqual([
      'ServiceAccount',
      'ConfigMap',
      'Service',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
    ]);
  });

  it('createNamespace puts the Namespace in a first phase of its own', () => {
    const r = compileApp({ createNamespace: true, components: [w('a')] });
    expect(phases(r)).toEqual(['1 namespace parallel 5m []', '2 a parallel 5m [a]']);
  });
});
