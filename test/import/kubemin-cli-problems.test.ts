import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import { importKubeminCli, type ImportResult } from '../../src/import/kubemin-cli/import-kubemin-cli.js';
import { find } from '../helpers/spec.js';

function run(input: unknown): ImportResult {
  return importKubeminCli(input, { file: 'app.json' });
}

/** An application with these components (and more top-level fields). */
function app(component: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'demo', component, ...extra };
}

const web = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'web', type: 'webservice', image: 'nginx:1.27', ...extra });

/** [pointer, code] of each problem. */
const places = (ps: ReadonlyArray<{ pointer: string; code: string }>): Array<[string, string]> => ps.map((p) => [p.pointer, p.code]);

describe('kubemin import kubemin-cli: input that cannot be converted', () => {
  it.each([
    ['an array', []],
    ['a string', 'app'],
    ['a number', 42],
    ['null', null],
  ])('the document is %s: an error for the whole document, nothing written', (_what, input) => {
    const r = run(input);
    expect(places(r.errors)).toEqual([['', 'wrong-type']]);
    expect(r.errors[0]!.message).toMatch(/^a KubeMin-Cli application must be a JSON object, not /);
    expect(r.spec).toBe('');
  });

  it('no name, no components', () => {
    const r = run({ namespace: 'x' });
    expect(places(r.errors)).toEqual([
      ['/name', 'missing-name'],
      ['/component', 'no-components'],
    ]);
    expect(r.spec).toBe('');
  });

  it('a component without a type, of an unknown type, not an object, without an image', () => {
    const r = run(app([{ name: 'a', image: 'x' }, { name: 'b', type: 'worker', image: 'x' }, 'c', { name: 'd', type: 'store' }, web()]));
    expect(places(r.errors)).toEqual([
      ['/component/0/type', 'missing-type'],
      ['/component/1/type', 'invalid-value'],
      ['/component/2', 'wrong-type'],
      ['/component/3/image', 'missing-image'],
    ]);
    expect(r.errors[0]!.message).toBe('component "a" needs a type: webservice, store, config or secret');
    expect(r.errors[1]!.message).toBe('component "b" has type "worker", which is not one of: webservice, store, config, secret');
    expect(r.spec).toBe('');
  });

  it('names that cannot be Kubernetes names, and two components of one name', () => {
    const r = run({ name: 'my_app', component: [web(), web({ name: 'Web' }), web({ name: 'api/v1' })] });
    expect(places(r.errors)).toEqual([
      ['/name', 'invalid-name'],
      ['/component/1/name', 'duplicate-component'],
      ['/component/2/name', 'invalid-name'],
    ]);
    expect(r.errors[0]!.message).toContain('application name "my_app" cannot be a Kubernetes name');
  });

  it('wrong JSON types are errors at their place; secret values never appear in messages', () => {
    const r = run(
      app([
        web({ replicas: '2', properties: { env: { A: ['x'] }, command: 'run' } }),
        { name: 's', type: 'secret', properties: { secret: { PASSWORD: { value: 'hunter2' } } } },
        { name: 't', type: 'secret', properties: { secret: 'hunter2' } },
      ]),
    );
    expect(places(r.errors)).toEqual([
      ['/component/0/replicas', 'wrong-type'],
      ['/component/0/properties/env/A', 'wrong-type'],
      ['/component/0/properties/command', 'wrong-type'],
      ['/component/1/properties/secret/PASSWORD', 'wrong-type'],
      ['/component/2/properties/secret', 'wrong-type'],
    ]);
    expect(r.errors[0]!.message).toBe('"replicas" must be a whole number, not the string "2"');
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('templates, host-mounted storage and nested sidecars have no conversion', () => {
    const r = run(
      app([
        web({ template: { id: 'abc123' } }),
        web({
          name: 'b',
          traits: {
            storage: [{ name: 'host', type: 'host-mounted', mount_path: '/host' }],
            sidecar: [{ name: 'proxy', image: 'envoy', traits: { sidecar: [{ name: 'inner', image: 'x' }] } }],
          },
        }),
      ]),
    );
    expect(places(r.errors)).toEqual([
      ['/component/0/template', 'template-unsupported'],
      ['/component/1/traits/storage/0/type', 'host-path-unsupported'],
      ['/component/1/traits/sidecar/0/traits/sidecar', 'nested-sidecar'],
    ]);
  });

  it('trait entries KubeMin-Cli refuses: missing fields and unknown types', () => {
    const r = run(
      app([
        web({
          traits: {
            storage: [{ type: 'persistent' }, { name: 'x', type: 'nfs' }],
            env_from: [{ type: 'vault', source_name: 'a' }, { type: 'secret' }],
            envs: [{ name: 'A' }, { name: 'B', value_from: {} }],
            probes: [
              { type: 'ready', exec: { command: ['true'] } },
              { type: 'liveness', http_get: { path: '/' } },
            ],
            resources: { gpu: '0.5' },
            rbac: [{ rules: [{ resources: ['pods'] }] }],
            init: [{ name: 'i' }],
            sidecar: [{ name: 's' }],
          },
        }),
      ]),
    );
    expect(places(r.errors)).toEqual([
      ['/component/0/traits/storage/0/name', 'missing-field'],
      ['/component/0/traits/storage/1/type', 'invalid-value'],
      ['/component/0/traits/env_from/0/type', 'invalid-value'],
      ['/component/0/traits/env_from/1/source_name', 'missing-field'],
      ['/component/0/traits/envs/0/value_from', 'missing-field'],
      ['/component/0/traits/envs/1/value_from', 'missing-field'],
      ['/component/0/traits/probes/0/type', 'invalid-value'],
      ['/component/0/traits/probes/1/http_get/port', 'missing-field'],
      ['/component/0/traits/resources/gpu', 'invalid-value'],
      ['/component/0/traits/rbac/0/rules/0/verbs', 'missing-field'],
      ['/component/0/traits/init/0/properties', 'missing-image'],
      ['/component/0/traits/sidecar/0/image', 'missing-image'],
    ]);
  });

  it('what kubemin itself refuses is an error at the nearest place of the input, and nothing is written', () => {
    // Its schema first (a path without /)...
    const schema = run(app([web({ properties: { ports: [{ port: 80 }] }, traits: { ingress: [{ routes: [{ path: 'no-slash' }] }] } })]));
    expect(schema.spec).toBe('');
    expect(places(schema.errors)).toEqual([['/component/0/traits/ingress/0/routes/0/path', 'invalid-value']]);
    expect(schema.errors[0]!.message).toBe(
      `kubemin refuses the converted spec: "path": "no-slash" must be an absolute URL path such as /api, without '//', '/./', '/../' or an encoded '/' (%2F), not ending in '/.' or '/..'; it does not start with '/' (try "/no-slash") (at /spec/components/0/traits/ingress/0/routes/0/path of the converted spec)`,
    );
    // ...then its rules and the expansion of the components.
    const expanded = run(
      app([
        web({ traits: { probes: [{ type: 'liveness', http_get: { path: '/', port: 8080 }, success_threshold: 2 }] } }),
        web({ name: 'worker', traits: { ingress: [{ routes: [{ path: '/' }] }] } }),
      ]),
    );
    expect(expanded.spec).toBe('');
    expect(places(expanded.errors)).toEqual([
      ['/component/0/traits/probes/0/success_threshold', 'probe-success-threshold'],
      ['/component/1/traits/ingress/0/routes/0', 'ingress-no-port'],
    ]);
    for (const e of expanded.errors)
      expect(e.message).toMatch(/^kubemin refuses the converted spec: .* \(at \/spec\/components\/\d\/traits\/.* of the converted spec\)/);
  });
});

describe('kubemin import kubemin-cli: warnings not in the fixtures', () => {
  it('the image in properties, replicas below 0, tmp_create on a webservice', () => {
    const r = run(
      app([
        {
          name: 'web',
          type: 'webservice',
          replicas: -1,
          properties: { image: 'nginx:1.27' },
          traits: { storage: [{ name: 'data', type: 'persistent', tmp_create: true }] },
        },
      ]),
    );
    expect(r.errors).toEqual([]);
    expect(places(r.warnings)).toEqual([
      ['/component/0/replicas', 'invalid-value'],
      ['/component/0/properties/image', 'image-from-properties'],
      ['/component/0/traits/storage/0/tmp_create', 'field-unused'],
    ]);
    expect(r.spec).toContain('image: nginx:1.27');
    expect(r.spec).not.toContain('replicas');
  });

  it('an ingress annotation rewrite-target wins over route rewrites; an unknown path type is dropped', () => {
    const r = run(
      app([
        web({
          properties: { ports: [{ port: 80 }] },
          traits: {
            ingress: [
              {
                annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/' },
                default_path_type: 'regex',
                routes: [{ path: '/a', backend: { service_name: 'web' }, rewrite: { replacement: '/b' } }],
              },
            ],
          },
        }),
      ]),
    );
    expect(places(r.warnings)).toEqual([
      ['/component/0/traits/ingress/0/default_path_type', 'invalid-value'],
      ['/component/0/traits/ingress/0/routes/0/rewrite', 'ingress-rewrite-annotation'],
    ]);
    const ingress = find(compile([{ path: 'kubemin.yaml', text: r.spec }]), 'Ingress', 'web');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/rewrite-target': '/' });
    expect(ingress.spec.rules[0].http.paths[0]).toEqual({ path: '/a', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } });
  });

  it('workflow steps without a name, sub-steps without components (named like a component)', () => {
    const r = run(
      app([web(), web({ name: 'api' }), web({ name: 'worker' })], {
        workflow: [{ components: ['web'] }, { name: 'rest', sub_steps: [{ name: 'api' }, { name: 'worker' }] }],
      }),
    );
    expect(places(r.warnings)).toEqual([['/workflow/0', 'generated-name']]);
    const compiled = compile([{ path: 'kubemin.yaml', text: r.spec }]);
    expect(compiled.apps[0]!.phases.map((p) => p.name)).toEqual(['step-1', 'api', 'worker']);
  });

  it('without a workflow, configs and secrets are deployed first, so that the workloads reading them find them', () => {
    const r = run(
      app([
        web({
          traits: {
            env_from: [
              { type: 'config', source_name: 'settings' },
              { type: 'secret', source_name: 'keys' },
            ],
          },
        }),
        { name: 'settings', type: 'config', properties: { conf: { A: 'b' } } },
        { name: 'keys', type: 'secret', properties: { secret: { K: 'v' } } },
      ]),
    );
    expect(places(r.warnings)).toEqual([
      ['/component', 'config-first'],
      ['/component/2', 'plain-secret'],
    ]);
    expect(r.warnings[0]!.message).toBe(
      'without a workflow, KubeMin-Cli deploys one component after another in the order written: a workload that reads "settings" or "keys" but is written before it waits until it times out. kubemin deploys the configs and secrets first',
    );
    const compiled = compile([{ path: 'kubemin.yaml', text: r.spec }]);
    expect(compiled.apps[0]!.phases.map((p) => p.name)).toEqual(['settings', 'keys', 'web']);
  });

  it('the header: the schema, where the spec comes from, what KubeMin-Cli knew about the app (one comment line per line)', () => {
    const r = run(app([web()], { alias: 'Demo\u0007App', version: '2.0.0', description: 'First line\n\nThird: \u001b[31mred' }));
    expect(r.spec.split('apiVersion:')[0]).toBe(
      [
        '# yaml-language-server: $schema=.kubemin/schema.json',
        '# Imported from the KubeMin-Cli application app.json by `kubemin import kubemin-cli`.',
        '# KubeMin-Cli alias Demo App, version 2.0.0',
        '# description: First line',
        '#',
        '#   Third:  [31mred',
        '',
      ].join('\n'),
    );
    expect(compile([{ path: 'kubemin.yaml', text: r.spec }]).diagnostics).toEqual([]);
  });

  it('warnings are in the order of the input, whatever stage found them', () => {
    const r = run(app([{ name: 'key', type: 'secret', properties: { secret: { K: 'v' } }, zzz: 1 }, web({ yyy: 2 })], { xxx: 3 }));
    expect(places(r.warnings)).toEqual([
      ['/component/0', 'plain-secret'],
      ['/component/0/zzz', 'unknown-field'],
      ['/component/1/yyy', 'unknown-field'],
      ['/xxx', 'unknown-field'],
    ]);
  });
});
