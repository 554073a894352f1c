import { describe, expect, it } from 'vitest';
import type { CompileResult, CompiledApp } from '../../src/compile.js';
import { appKey } from '../../src/environments/app-key.js';
import { environmentVariant } from '../../src/environments/merge-environment.js';
import { selectEnvironment } from '../../src/environments/select-environment.js';
import { builtinRegistry } from '../../src/plugins/builtin.js';
import type { AppSpec } from '../../src/spec/types.js';
import { KubeminError } from '../../src/errors/kubemin-error.js';
import { codes, compileApp } from '../helpers/spec.js';

const components = [
  { name: 'settings', type: 'config', data: { LOG_LEVEL: 'info' } },
  {
    name: 'api',
    type: 'webservice',
    image: 'registry.example.com/books/api:2.3.0',
    replicas: 3,
    ports: [{ port: 8080 }],
    env: { LOG_LEVEL: 'info', REGION: 'eu' },
    traits: { envFrom: [{ type: 'config', sourceName: 'settings' }], resources: { cpu: '250m', memory: '256Mi' } },
  },
  { name: 'report', type: 'cronjob', image: 'registry.example.com/books/report:2.3.0', schedule: '0 3 * * *' },
];
const workflow = {
  steps: [
    { name: 'config', components: ['settings'] },
    { name: 'gpu', type: 'gpu-preflight', for: ['report'] },
    { name: 'app', components: ['report', 'api'], mode: 'parallel' },
  ],
};
const environments = [
  {
    name: 'staging',
    namespace: 'books-staging',
    cluster: 'staging-eu',
    policies: { timeout: '10m' },
    components: {
      api: {
        replicas: 1,
        image: 'registry.example.com/books/api:2.4.0-rc.1',
        env: { LOG_LEVEL: 'debug', REGION: null },
        traits: { resources: { cpu: '100m' } },
      },
      report: { disabled: true },
    },
  },
  { name: 'production', namespace: 'books-production', components: { api: { traits: { autoscale: { minReplicas: 6, maxReplicas: 30 } } } } },
];

function app(extra: Record<string, unknown> = {}): AppSpec {
  return {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'books', namespace: 'books' },
    spec: { policies: { timeout: '5m', retries: 2 }, components, workflow, environments, ...extra },
  } as unknown as AppSpec;
}

function variant(result: CompileResult, env: string | undefined): CompiledApp {
  const found = result.apps.find((a) => a.environment === env);
  if (!found) throw new Error(`no variant ${env}: ${JSON.stringify(result.diagnostics, null, 1)}`);
  return found;
}

function objects(a: CompiledApp): Array<Record<string, any>> {
  return a.phases.flatMap((p) => p.objects.map((o) => o.object as Record<string, any>));
}

describe('an environment merged over the base', () => {
  const v = environmentVariant(app(), 0, builtinRegistry.stepTypes);

  it('patches components by RFC 7386 (maps merge, null removes, the rest replaces), merges the policies and sets the namespace', () => {
    const api = v.spec.spec.components.find((c) => c.name === 'api')!;
    expect(api.replicas).toBe(1);
    expect(api.image).toBe('registry.example.com/books/api:2.4.0-rc.1');
    expect(api.env).toEqual({ LOG_LEVEL: 'debug' });
    expect(api.traits).toEqual({ envFrom: [{ type: 'config', sourceName: 'settings' }], resources: { cpu: '100m', memory: '256Mi' } });
    expect(v.spec.spec.policies).toEqual({ timeout: '10m', retries: 2 });
    expect(v.spec.metadata.namespace).toBe('books-staging');
    expect(v.spec.spec.environments).toBeUndefined();
    expect(v.cluster).toBe('staging-eu');
  });

  it('leaves disabled components out, and out of the steps: a step left with none is dropped', () => {
    expect(v.spec.spec.components.map((c) => c.name)).toEqual(['settings', 'api']);
    expect(v.spec.spec.workflow!.steps).toEqual([
      { name: 'config', components: ['settings'] },
      { name: 'app', components: ['api'], mode: 'parallel' },
    ]);
    expect([...v.disabled]).toEqual([['report', '/spec/environments/0/components/report/disabled']]);
  });

  it('finds where each merged value is written: in the override, in the base, past the components and steps left out', () => {
    expect(v.origin('/spec/components/1/replicas')).toBe('/spec/environments/0/components/api/replicas');
    expect(v.origin('/spec/components/1/ports/0/port')).toBe('/spec/components/1/ports/0/port');
    expect(v.origin('/spec/components/1/env/LOG_LEVEL')).toBe('/spec/environments/0/components/api/env/LOG_LEVEL');
    expect(v.origin('/spec/components/1/traits/resources/cpu')).toBe('/spec/environments/0/components/api/traits/resources/cpu');
    expect(v.origin('/spec/components/1/traits/resources/memory')).toBe('/spec/components/1/traits/resources/memory');
    expect(v.origin('/spec/components/1')).toBe('/spec/components/1');
    expect(v.origin('/spec/policies/timeout')).toBe('/spec/environments/0/policies/timeout');
    expect(v.origin('/spec/policies/retries')).toBe('/spec/policies/retries');
    expect(v.origin('/metadata/namespace')).toBe('/spec/environments/0/namespace');
    // The merged step 1 is the document's step 2 ("gpu", step 1, was dropped).
    expect(v.origin('/spec/workflow/steps/1/components/0')).toBe('/spec/workflow/steps/2/components/1');
    expect(v.removed('/spec/components/1/env')).toEqual(['/spec/environments/0/components/api/env/REGION']);
  });

  it("a list in an override replaces the base list whole: everything under it is the override's", () => {
    const spec = app({
      environments: [{ name: 'dev', components: { api: { ports: [{ port: 9090, name: 'http' }] } } }],
    });
    const dev = environmentVariant(spec, 0, builtinRegistry.stepTypes);
    expect(dev.spec.spec.components[1]!.ports).toEqual([{ port: 9090, name: 'http' }]);
    expect(dev.origin('/spec/components/1/ports/0/name')).toBe('/spec/environments/0/components/api/ports/0/name');
    expect(dev.origin('/spec/components/1/ports/0/protocol')).toBe('/spec/environments/0/components/api/ports/0');
  });
});

describe("a variant's dependsOn", () => {
  it("is recorded as the environment's patch leaves it (for the pictures of the workflow)", () => {
    const base = [components[0]!, { ...components[1]!, dependsOn: ['settings'] }, components[2]!];
    const result = compileApp(
      {
        policies: { timeout: '5m' },
        components: base,
        environments: [
          { name: 'dev', namespace: 'books-dev', components: { api: { dependsOn: [] } } },
          { name: 'prod', namespace: 'books-prod' },
        ],
      },
      { name: 'books', namespace: 'books' },
    );
    expect(result.diagnostics).toEqual([]);
    expect(variant(result, 'prod').dependsOn).toEqual({ api: ['settings'] });
    expect(variant(result, 'dev').dependsOn).toEqual({});
  });
});

describe("a disabled component is nobody's peer", () => {
  it('drops the networkPolicy peers that name it, and traces the kept ones to where they are written', () => {
    const spec = app({
      policies: { networkIsolation: true },
      environments: [
        {
          name: 'dev',
          namespace: 'dev',
          components: { report: { disabled: true }, api: { traits: { networkPolicy: { from: [{ component: 'report' }, { ingressController: true }] } } } },
        },
      ],
    });
    const dev = environmentVariant(spec, 0, builtinRegistry.stepTypes, builtinRegistry.traits);
    expect(dev.spec.spec.components[1]!.traits!.networkPolicy).toEqual({ from: [{ ingressController: true }] });
    expect(dev.origin('/spec/components/1/traits/networkPolicy/from/0/ingressController')).toBe(
      '/spec/environments/0/components/api/traits/networkPolicy/from/1/ingressController',
    );
    // The written spec is not changed.
    expect((spec.spec.environments![0]!.components!.api as any).traits.networkPolicy.from).toHaveLength(2);
    const result = compileApp(spec.spec as never, { name: 'books', namespace: 'books' });
    expect(result.diagnostics).toEqual([]);
  });
});

describe('compiling an app with environments', () => {
  const result = compileApp({ policies: { timeout: '5m' }, components, workflow, environments }, { name: 'books', namespace: 'books' });

  it('gives one variant per environment, each with its objects in its namespace, and not the base', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.apps.map(appKey)).toEqual(['production/books', 'staging/books']);
    const staging = variant(result, 'staging');
    expect(staging).toMatchObject({ name: 'books', environment: 'staging', cluster: 'staging-eu', namespace: 'books-staging' });
    expect(objects(staging).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining(['ConfigMap/books-staging/settings', 'Deployment/books-staging/api']),
    );
    expect(objects(staging).some((o) => o.kind === 'CronJob')).toBe(false);
    expect(objects(staging).find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(1);
    const production = variant(result, 'production');
    expect(production.cluster).toBeUndefined();
    expect(objects(production).find((o) => o.kind === 'HorizontalPodAutoscaler')!.spec).toMatchObject({ minReplicas: 6, maxReplicas: 30 });
    expect(objects(production).some((o) => o.kind === 'CronJob')).toBe(true);
  });

  it('an object of a variant is traced to the line of the override that shaped it, else to the base', () => {
    const staging = variant(result, 'staging');
    const deployment = staging.phases.flatMap((p) => p.objects).find((o) => o.object.kind === 'Deployment')!;
    expect(deployment.source.pointer).toBe('/spec/components/1');
    expect(staging.source.pointer).toBe('/spec/environments/0');
  });

  it('is deterministic: the same spec twice gives the same variants', () => {
    const again = compileApp({ policies: { timeout: '5m' }, components, workflow, environments }, { name: 'books', namespace: 'books' });
    expect(JSON.stringify(again.apps)).toBe(JSON.stringify(result.apps));
  });

  it('a problem only an environment has names it and stops only that app', () => {
    const bad = compileApp(
      {
        components,
        environments: [
          { name: 'dev', namespace: 'dev', components: { api: { replicas: -2 } } },
          { name: 'prod', namespace: 'prod' },
        ],
      },
      { name: 'books', namespace: 'books' },
    );
    expect(bad.apps).toEqual([]);
    expect(bad.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      ['invalid-value', '/spec/environments/0/components/api/replicas', 'environment "dev": "replicas" must be at least 0, not -2'],
    ]);
  });

  it('a problem of the base is said once, not once per environment', () => {
    const bad = compileApp(
      {
        components: [...components, { name: 'db', type: 'secret', stringData: { PASSWORD: 'pw-value-1234' } }],
        environments: [
          { name: 'dev', namespace: 'dev' },
          { name: 'prod', namespace: 'prod' },
        ],
      },
      { name: 'books', namespace: 'books' },
    );
    expect(codes(bad)).toEqual(['plain-secret']);
    expect(bad.apps.map(appKey)).toEqual(['dev/books', 'prod/books']);
  });

  it('two environments of two apps meet only on the same cluster', () => {
    const twoClusters = compileApp(
      {
        components,
        environments: [
          { name: 'a', cluster: 'one' },
          { name: 'b', cluster: 'two' },
        ],
      },
      { name: 'books', namespace: 'books' },
    );
    expect(twoClusters.diagnostics).toEqual([]);
    expect(twoClusters.apps.map((a) => [a.environment, a.cluster, a.namespace])).toEqual([
      ['a', 'one', 'books'],
      ['b', 'two', 'books'],
    ]);
  });
});

describe('selectEnvironment (--env)', () => {
  const apps = [
    { name: 'books', environment: 'production' },
    { name: 'books', environment: 'staging' },
    { name: 'shop' },
    { name: 'wiki', environment: 'staging' },
  ] as unknown as CompiledApp[];

  it("keeps the apps without environments and each app's variant; lists the apps that lack the environment", () => {
    const s = selectEnvironment(apps, 'production');
    expect(s.apps.map(appKey)).toEqual(['production/books', 'shop']);
    expect(s.skipped).toEqual(['wiki']);
    expect(selectEnvironment(apps, undefined).apps).toHaveLength(4);
  });

  it('an environment no app has is an error with a did-you-mean', () => {
    expect(() => selectEnvironment(apps, 'prodution')).toThrow(KubeminError);
    expect(() => selectEnvironment(apps, 'prodution')).toThrow(
      '--env prodution: no application has an environment "prodution"; did you mean "production"? (environments: production, staging)',
    );
    expect(() => selectEnvironment([{ name: 'shop' }] as unknown as CompiledApp[], 'staging')).toThrow('no application here has environments');
  });
});
