import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compile } from '../../src/compile.js';
import { PluginLoadError } from '../../src/plugins/extension-error.js';
import { loadAndCompile } from '../../src/operations/load-and-compile.js';
import { createPluginSet } from '../../src/plugins/plugin-set.js';
import { loadPluginConfig } from '../../src/plugins/load-plugins.js';
import { cli, tempDir } from '../helpers/cli.js';
import { REPO } from '../helpers/tree.js';

/** Plugins: a repository's own component types, traits and step types, loaded from its config. */

/** A repository in a temp dir: files by path. */
function repo(files: Record<string, string>): string {
  const dir = tempDir('kubemin-plugins-');
  mkdirSync(join(dir, '.git')); // the repository root: configs are not looked for above it
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A plugin module with one component type `tiny` (a ConfigMap) whose expand body is given. */
const tinyPlugin = (name: string, expandBody: string, extra = ''): string => `
export default {
  name: '${name}',
  componentTypes: [{
    name: 'tiny',
    description: 'One ConfigMap with a greeting.',
    capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
    maxNameLength: 63,
    properties: { greeting: { type: 'string', minLength: 1 } },
    required: ['greeting'],
    expand(ctx) { ${expandBody} },
  }],
  ${extra}
};
`;

const OK_EXPAND =
  "return [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta(ctx.component.name), data: { greeting: ctx.component.greeting } } }];";

const spec = (component: string): string => `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: hello, namespace: hello}
spec:
  components:
    - name: hi
      type: tiny
${component}`;

describe('loading plugins', () => {
  it('from .kubemin/config.yaml: a local file and an npm package, for the specs below it', async () => {
    const dir = repo({
      '.kubemin/config.yaml': 'plugins: [./plugins/tiny.mjs, kubemin-plugin-extra]\n',
      'plugins/tiny.mjs': tinyPlugin('tiny', OK_EXPAND),
      'node_modules/kubemin-plugin-extra/package.json': JSON.stringify({ name: 'kubemin-plugin-extra', type: 'module', exports: './index.mjs' }),
      'node_modules/kubemin-plugin-extra/index.mjs': `export default (api) => ({ name: 'extra', traits: [{ name: 'note', description: 'an annotation', scope: 'pod', schema: { type: 'string' }, apply: (v, ctx) => ({ objects: [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.component.meta(ctx.component.component.name + '-note-' + api.shortHash(v)), data: { note: v } } }] }) }] });`,
      'apps/hello/kubemin.yaml': spec('      greeting: hello\n'),
    });
    const result = await loadAndCompile({ paths: ['apps'], cwd: dir });
    expect(result.diagnostics).toEqual([]);
    const objects = result.apps[0]!.phases.flatMap((p) => p.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`));
    expect(objects).toEqual(['ConfigMap/hi']);
    const set = result.pluginsFor('apps/hello/kubemin.yaml');
    expect(set.plugins.map((p) => [p.plugin.name, p.source])).toEqual([
      ['kubemin', 'built-in'],
      ['tiny', expect.stringMatching(/plugins\/tiny.mjs$/)],
      ['extra', 'kubemin-plugin-extra'],
    ]);
  });

  it("a typo in a plugin's field gets the same diagnostics as a built-in one: file:line:col, did you mean", async () => {
    const dir = repo({
      'kubemin.config.mjs': "export default { plugins: ['./tiny.mjs'] };\n",
      'tiny.mjs': tinyPlugin('tiny', OK_EXPAND),
      'kubemin.yaml': spec('      greetin: hello\n'),
    });
    const r = await cli(['validate', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/kubemin.yaml:8:7 error unknown-field .*greetin.*\n[\s\S]*did you mean "greeting"/);
  });

  it('a name that clashes with a built-in or another plugin is an error at load time, naming both', async () => {
    const job = repo({
      'kubemin.config.mjs': "export default { plugins: ['./p.mjs'] };\n",
      'p.mjs': tinyPlugin('p', OK_EXPAND).replace("name: 'tiny'", "name: 'job'"),
    });
    await expect(loadPluginConfig(join(job, 'kubemin.config.mjs'))).rejects.toThrow(
      /component type "job" of plugin "p" \(.*p.mjs\) clashes with the one of plugin "kubemin" \(built-in\)/,
    );
    const two = repo({
      'kubemin.config.mjs': "export default { plugins: ['./a.mjs', './b.mjs'] };\n",
      'a.mjs': tinyPlugin('a', OK_EXPAND),
      'b.mjs': tinyPlugin('b', OK_EXPAND),
      'kubemin.yaml': spec('      greeting: hello\n'),
    });
    await expect(loadPluginConfig(join(two, 'kubemin.config.mjs'))).rejects.toThrow(
      /component type "tiny" of plugin "b" .* clashes with the one of plugin "a"/,
    );
    const r = await cli(['validate', '.'], two);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubemin: component type "tiny" of plugin "b"/);
  });

  it('a plugin of the wrong shape, or one that cannot be found, is refused with the reason', async () => {
    expect(() => createPluginSet([{ plugin: { name: 'x', componentTypes: [{ name: 'y' } as never] }, source: 'x.mjs' }])).toThrow(PluginLoadError);
    expect(() => createPluginSet([{ plugin: { name: 'x', componentTypes: [{ name: 'y' } as never] }, source: 'x.mjs' }])).toThrow(
      /x.mjs: componentTypes "y" needs a function expand\(\)/,
    );
    const missing = repo({ '.kubemin/config.yaml': 'plugins: [kubemin-plugin-nowhere]\n' });
    await expect(loadPluginConfig(join(missing, '.kubemin/config.yaml'))).rejects.toThrow(/plugin "kubemin-plugin-nowhere" cannot be found .*install it/);
  });
});

describe('plugin functions run in a worker', () => {
  it("a trait's ctx.buildContainer calls back into kubemin, whose traits may call the same worker again", async () => {
    const traits = `export default {
      name: 'helpers',
      traits: [
        { name: 'helper', description: 'a sidecar built by kubemin', scope: 'pod', requires: ['podTemplate'], schema: { type: 'string' },
          apply(tag, ctx) {
            const built = ctx.buildContainer({ name: 'helper', image: 'ghcr.io/acme/helper:1', traits: { tag, envs: [{ name: 'FROM', value: 'kubemin' }] } }, 'sidecar', ctx.pointer);
            return { sidecars: [built.container] };
          } },
        { name: 'tag', description: 'an env var TAG', scope: 'container', schema: { type: 'string' }, apply: (tag) => ({ container: { env: [{ name: 'TAG', value: tag }] } }) },
      ],
    };\n`;
    const dir = repo({
      'kubemin.config.mjs': "export default { plugins: ['./helpers.mjs'] };\n",
      'helpers.mjs': traits,
      'kubemin.yaml': spec('      greeting: x\n').replace(
        'type: tiny\n      greeting: x\n',
        'type: worker\n      image: ghcr.io/acme/w:1\n      traits: {helper: v7}\n',
      ),
    });
    const result = await loadAndCompile({ paths: ['.'], cwd: dir });
    expect(result.diagnostics).toEqual([]);
    const deployment = result.apps[0]!.phases.flatMap((p) => p.objects).find((o) => o.object.kind === 'Deployment')!.object as any;
    const helper = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'helper');
    expect(helper.env).toEqual(
      expect.arrayContaining([
        { name: 'TAG', value: 'v7' },
        { name: 'FROM', value: 'kubemin' },
      ]),
    );
  });
});

describe('a plugin that does not return in time', () => {
  it("stops its worker for the rest of the compile; the next compile (the daemon's next revision) gets a fresh one", async () => {
    vi.stubEnv('KUBEMIN_PLUGIN_TIMEOUT', '3s');
    try {
      const dir = repo({
        'kubemin.config.mjs': "export default { plugins: ['./tiny.mjs'] };\n",
        'tiny.mjs': tinyPlugin('tiny', `if (ctx.component.greeting === 'loop') for (;;) {} ${OK_EXPAND}`),
      });
      const { registry } = await loadPluginConfig(join(dir, 'kubemin.config.mjs'));
      const file = (greeting: string) => ({
        path: 'kubemin.yaml',
        text: spec(`      greeting: ${greeting}\n`) + '    - {name: second, type: tiny, greeting: fine}\n',
      });
      const slow = compile([file('loop')], { registry });
      expect(slow.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual([
        expect.stringMatching(
          /^6: component type "tiny" of plugin "tiny" \(.*\): did not return within 3 s \(the time limit; KUBEMIN_PLUGIN_TIMEOUT\) \(on component "hi"\)$/,
        ),
        expect.stringMatching(/^9: .*: not called: the plugins of .*kubemin.config.mjs were stopped earlier in this run: did not return within 3 s/),
      ]);
      await new Promise((r) => setImmediate(r));
      const next = compile([file('hello')], { registry });
      expect(next.diagnostics).toEqual([]);
      expect(next.apps[0]!.phases.flatMap((p) => p.objects.map((o) => o.object.metadata.name))).toEqual(['hi', 'second']);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('a plugin that fails', () => {
  for (const [what, body, message] of [
    [
      'throws',
      "throw new Error('boom: no greeting service');",
      /component type "tiny" of plugin "tiny" \(.*tiny.mjs\): it threw: boom: no greeting service \(on component "hi"\)/,
    ],
    [
      'returns an object without a name',
      "return [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } }];",
      /it returned something invalid: ConfigMap has no valid metadata.name/,
    ],
    [
      'returns something that is not YAML',
      "return [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta('x'), data: { f: new Map() } } }];",
      /cannot be written as YAML \(cannot serialise an instance of Map at data.f\)/,
    ],
    [
      'returns something that is not data',
      "return [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta('x'), data: { f: () => 1 } } }];",
      /it returned something that is not data: \/0\/object\/data\/f is a function/,
    ],
    ['is not synchronous', 'return Promise.resolve([]);', /it returned a promise/],
  ] as const) {
    it(`${what}: a diagnostic naming the plugin and the component; nothing is written`, async () => {
      const dir = repo({
        'kubemin.config.mjs': "export default { plugins: ['./tiny.mjs'] };\n",
        'tiny.mjs': tinyPlugin('tiny', body),
        'kubemin.yaml': spec('      greeting: hello\n'),
      });
      const result = await loadAndCompile({ paths: ['.'], cwd: dir });
      expect(result.apps).toEqual([]);
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', code: 'plugin-failed', message: expect.stringMatching(message), file: 'kubemin.yaml', line: 6 }),
      ]);
      const r = await cli(['render', '.', '--out', 'out'], dir);
      expect(r.code).toBe(1);
      expect(existsSync(join(dir, 'out'))).toBe(false);
    });
  }
});

describe('the commands', () => {
  it('kubemin plugins lists what is loaded and from where', async () => {
    const r = await cli(['plugins', 'examples'], REPO);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('examples/plugins/ai-eval/kubemin.config.mjs:\n');
    expect(r.stdout).toMatch(
      /plugin "ai-eval" \(examples\/plugins\/ai-eval\/ai-eval.plugin.mjs\)\n    component types: ai-eval\n    traits: serviceMonitor\n    readiness: servicemonitor \(monitoring.coreos.com\/ServiceMonitor\)\n    used by: examples\/plugins\/ai-eval\/kubemin.yaml/,
    );
    // kubemin runs its built-in step types itself: not plan only.
    expect(r.stdout).toMatch(/^    step types: deploy, gpu-preflight, webhook$/m);
    // The built-in plugin's readiness rules, each with its kinds.
    expect(r.stdout).toMatch(/^    readiness: deployment \(apps\/Deployment\), statefulset \(apps\/StatefulSet\), /m);
    expect(r.stdout).toMatch(/no kubemin.config \(built-ins only\):\n  plugin "kubemin" \(built-in\)/);
  });

  it('kubemin schema includes the plugins of a directory', async () => {
    const withPlugins = JSON.parse((await cli(['schema', 'examples/plugins/ai-eval'], REPO)).stdout) as Record<string, any>;
    const builtins = JSON.parse((await cli(['schema'], REPO)).stdout) as Record<string, any>;
    expect(JSON.stringify(withPlugins)).toContain('"ai-eval"');
    expect(JSON.stringify(withPlugins)).toContain('serviceMonitor');
    expect(JSON.stringify(builtins)).not.toContain('ai-eval');
  });
});
