import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import type { InitAnswers } from '../../src/init/answers.js';
import { buildInitSpec, initSteps } from '../../src/init/build-init-spec.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import { initTypeNames } from '../../src/init/init-types.js';

const SHOP: InitAnswers = {
  name: 'shop',
  namespace: 'shop',
  createNamespace: true,
  components: [
    { name: 'settings', type: 'config' },
    { name: 'redis', type: 'store', image: 'redis:7.2', port: 6379 },
    { name: 'migrate', type: 'job', image: 'ghcr.io/acme/shop:1.4.0' },
    { name: 'web', type: 'webservice', image: 'ghcr.io/acme/shop:1.4.0', port: 8080 },
    { name: 'worker', type: 'worker', image: 'ghcr.io/acme/shop:1.4.0' },
  ],
  parallelLast: 2,
};

function compiled(answers: InitAnswers) {
  const result = compile([{ path: 'kubemin.yaml', text: buildInitSpec(answers) }]);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  const [app] = result.apps;
  return {
    result,
    app: app!,
    phases: app!.phases.map((p) => `${p.name} (${p.mode}): ${p.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).join(' ')}`),
  };
}

describe('buildInitSpec', () => {
  it('writes the shop answers as this text (golden, reviewed)', () => {
    expect(buildInitSpec(SHOP)).toBe(`# yaml-language-server: $schema=.kubemin/schema.json
# Written by \`kubemin init\`. The format: "The spec format" in the kubemin README; check it with \`kubemin validate\`.
apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: shop
spec:
  createNamespace: true
  components:
    - name: settings
      type: config
      data: {}
    - name: redis
      type: store
      image: redis:7.2
      ports: [{port: 6379}]
    - name: migrate
      type: job
      image: ghcr.io/acme/shop:1.4.0
    - name: web
      type: webservice
      image: ghcr.io/acme/shop:1.4.0
      ports: [{port: 8080}]
    - name: worker
      type: worker
      image: ghcr.io/acme/shop:1.4.0
  workflow:
    steps:
      - {name: settings, components: [settings]}
      - {name: redis, components: [redis]}
      - {name: migrate, components: [migrate]}
      - {name: parallel, components: [web, worker], mode: parallel}
`);
  });

  it('the shop text compiles with no problem into the phases asked for', () => {
    const { result, app, phases } = compiled(SHOP);
    expect(result.diagnostics).toEqual([]);
    expect(app.namespace).toBe('shop');
    expect(phases).toEqual([
      'namespace (parallel): Namespace/shop',
      'settings (serial): ConfigMap/settings',
      'redis (serial): Service/redis Service/redis-headless StatefulSet/redis',
      expect.stringMatching(/^migrate \(serial\): Job\/migrate-[0-9a-f]{8}$/),
      'parallel (parallel): Service/web Deployment/web Deployment/worker',
    ]);
    const web = app.phases.at(-1)!.objects.find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'web')!.object as any;
    expect(web.metadata.namespace).toBe('shop');
    expect(web.spec.template.spec.containers[0]).toMatchObject({ name: 'web', image: 'ghcr.io/acme/shop:1.4.0', ports: [{ containerPort: 8080 }] });
    const svc = app.phases.at(-1)!.objects.find((o) => o.object.kind === 'Service')!.object as any;
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 8080 })]);
  });

  it('a single webservice in the default namespace, no namespace created, no parallel step', () => {
    const { result, app, phases } = compiled({
      name: 'hello',
      namespace: 'default',
      createNamespace: false,
      components: [{ name: 'hello', type: 'webservice', image: 'nginx', port: 80 }],
      parallelLast: 0,
    });
    expect(result.diagnostics).toEqual([]);
    expect(app.namespace).toBe('default');
    expect(phases).toEqual(['hello (serial): Service/hello Deployment/hello']);
  });

  it('init offers every component type that compiles with what it asks for it (secret: the plain-secret warning); not k8s-objects, whose objects it does not ask for', () => {
    const answersFor: Record<string, { image?: string; port?: number; schedule?: string }> = {
      webservice: { image: 'nginx:1.27', port: 8080 },
      worker: { image: 'busybox' },
      store: { image: 'redis:7.2', port: 6379 },
      job: { image: 'ghcr.io/acme/tool@sha256:' + 'a'.repeat(64) },
      cronjob: { image: 'localhost:5000/report:0.9', schedule: '0 3 * * *' },
      config: {},
      secret: {},
    };
    expect(Object.keys(answersFor).sort()).toEqual([...initTypeNames(builtinRegistry)].sort());
    expect([...builtinRegistry.componentTypes.keys()].filter((t) => !initTypeNames(builtinRegistry).includes(t))).toEqual(['k8s-objects']);
    const { result, phases } = compiled({
      name: 'all',
      namespace: 'all',
      createNamespace: false,
      components: Object.entries(answersFor).map(([type, a]) => ({ name: `a-${type}`, type, ...a })),
      parallelLast: 7,
    });
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning plain-secret']);
    expect(phases).toHaveLength(1);
    expect(phases[0]).toMatch(/^parallel \(parallel\): .*CronJob\/a-cronjob/);
  });

  it('quotes names YAML would read as something else, and still compiles', () => {
    const answers: InitAnswers = {
      name: '123',
      namespace: 'yes',
      createNamespace: false,
      components: [
        { name: 'null', type: 'worker', image: 'busybox:1' },
        { name: 'on', type: 'cronjob', image: 'busybox:1', schedule: '@hourly' },
      ],
      parallelLast: 0,
    };
    const text = buildInitSpec(answers);
    expect(text).toContain('  name: "123"\n  namespace: "yes"\n');
    expect(text).toContain('- {name: "null", components: ["null"]}');
    expect(text).toContain('schedule: "@hourly"');
    const { app } = compiled(answers);
    expect(app.name).toBe('123');
    expect(app.phases.map((p) => p.name)).toEqual(['null', 'on']);
  });

  it('the parallel step is renamed when a component is called "parallel"', () => {
    const steps = initSteps({
      components: [
        { name: 'parallel', type: 'config' },
        { name: 'a', type: 'config' },
        { name: 'b', type: 'config' },
      ],
      parallelLast: 2,
    });
    expect(steps).toEqual([
      { name: 'parallel', components: ['parallel'], parallel: false },
      { name: 'parallel-2', components: ['a', 'b'], parallel: true },
    ]);
    // 0 and 1 both mean one step per component.
    expect(initSteps({ components: [{ name: 'a', type: 'config' }], parallelLast: 1 })).toEqual([{ name: 'a', components: ['a'], parallel: false }]);
  });

  it('points the schema comment where it is told', () => {
    expect(buildInitSpec(SHOP, { schemaRef: '../../schemas/kubemin.schema.json' })).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/kubemin\.schema\.json\n/,
    );
  });
});
