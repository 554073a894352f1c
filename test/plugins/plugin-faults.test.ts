import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { builtBinary, runBinary, type BinaryRun } from './built-binary.js';

/**
 * Plugins that loop, allocate without bound, try to exit, or throw what is not an Error: through
 * the built binary as a user runs it, `validate`, `render --out` and `render --check` each end
 * with exit 1 and one plugin-failed diagnostic naming the plugin; no stack, no V8 dump, nothing
 * written. The limits are made short for the test (3 s: a plugin that behaves loads well within it, even on a busy machine) with KUBEMIN_PLUGIN_TIMEOUT and _MEMORY.
 */

const LIMITS = { KUBEMIN_PLUGIN_TIMEOUT: '3s', KUBEMIN_PLUGIN_MEMORY: '64' };

const SPEC = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: hello, namespace: hello}
spec:
  components:
    - name: hi
      type: tiny
      greeting: hello
`;

/** A plugin `p` with a component type `tiny`: its expand body, and code run when the module is imported. */
const plugin = (expandBody: string, topLevel = '', properties = "properties: { greeting: { type: 'string' } },"): string => `${topLevel}
export default {
  name: 'p',
  componentTypes: [{
    name: 'tiny',
    description: 'One ConfigMap.',
    maxNameLength: 63,
    capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
    ${properties}
    expand(ctx) { ${expandBody} },
  }],
};
`;

/** A repository with one directory per case: its config, its plugin and an app using it. */
function repo(cases: ReadonlyArray<readonly [string, string]>): string {
  const dir = tempDir('kubemin-fault-');
  mkdirSync(join(dir, '.git'));
  for (const [name, pluginText] of cases) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'kubemin.config.mjs'), "export default { plugins: ['./p.mjs'] };\n");
    writeFileSync(join(dir, name, 'p.mjs'), pluginText);
    writeFileSync(join(dir, name, 'kubemin.yaml'), SPEC.replace('name: hello', `name: ${name}`));
  }
  return dir;
}

/** The one line each case must give, for its spec file `<case>/kubemin.yaml` (p.mjs shown as `<case>/p.mjs`). */
const atHi = (name: string, message: string): string =>
  `^${name}/kubemin\\.yaml:6:7 error plugin-failed component type "tiny" of plugin "p" \\(${name}/p\\.mjs\\): ${message} \\(on component "hi"\\)$`;
const atLoad = (name: string, message: string): string => `^${name}/kubemin\\.yaml:1:1 error plugin-failed ${name}/kubemin\\.config\\.mjs: ${message}$`;

const CASES: ReadonlyArray<readonly [string, string, string]> = [
  [
    'import-loop',
    plugin('return [];', 'for (;;) {}'),
    atLoad('import-loop', 'plugin "\\./p\\.mjs" did not load within 3 s \\(the time limit; KUBEMIN_PLUGIN_TIMEOUT\\)'),
  ],
  ['expand-loop', plugin('for (;;) {}'), atHi('expand-loop', 'did not return within 3 s \\(the time limit; KUBEMIN_PLUGIN_TIMEOUT\\)')],
  [
    'allocation',
    plugin('const all = []; for (;;) all.push(new Array(1e5).fill(Math.random()));'),
    atHi('allocation', 'ran out of memory \\(the limit is 64 MB of heap; KUBEMIN_PLUGIN_MEMORY\\)'),
  ],
  ['expand-exit', plugin('process.exit(0);'), atHi('expand-exit', 'it called process\\.exit\\(0\\): a plugin cannot end kubemin')],
  [
    'import-exit',
    plugin('return [];', 'process.exit(0);'),
    atLoad('import-exit', 'plugin "\\./p\\.mjs" failed to load: it called process\\.exit\\(0\\): a plugin cannot end kubemin'),
  ],
  [
    'getter',
    plugin('return [];', '', "get properties() { throw new Error('no properties today'); },"),
    atLoad('getter', 'reading getter/p\\.mjs: componentTypes\\[0\\]\\.properties threw: no properties today'),
  ],
  [
    'result-getter',
    plugin("return [{ get object() { throw new Error('getter says no'); } }];"),
    atHi('result-getter', 'it returned something that is not data: reading /0/object threw: getter says no'),
  ],
  ['number', plugin('throw 42;'), atHi('number', 'it threw: 42 \\(not an Error\\)')],
  ['symbol', plugin("throw Symbol('boo');"), atHi('symbol', 'it threw: a symbol, Symbol\\(boo\\) \\(not an Error\\)')],
  [
    'proxy',
    plugin("throw new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } });"),
    atHi('proxy', 'it threw: a Proxy \\(not an Error\\)'),
  ],
];

let bin: string;
beforeAll(async () => {
  bin = await builtBinary();
}, 60_000);

const output = (r: BinaryRun): string => r.stdout + r.stderr;

function expectNoCrashOutput(r: BinaryRun): void {
  expect(output(r)).not.toMatch(/^\s+at /m);
  expect(output(r)).not.toMatch(/FATAL ERROR|Last few GCs|node:internal|Error \[ERR_/);
}

describe('plugins that misbehave, through the built binary', { timeout: 120_000 }, () => {
  it('(the harness works: a plugin that behaves validates and renders, exit 0)', async () => {
    const dir = repo([
      [
        'good',
        plugin(
          "return [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta(ctx.component.name), data: { greeting: ctx.component.greeting } } }];",
        ),
      ],
    ]);
    const [validate, render] = await Promise.all([
      runBinary(bin, ['validate', '.'], dir, LIMITS),
      runBinary(bin, ['render', '.', '--out', 'out'], dir, LIMITS),
    ]);
    expect([validate.code, render.code], output(validate) + output(render)).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'out', 'good', '01-hi', '01-configmap-hi.yaml'), 'utf8')).toContain('greeting: hello');
  });

  it('loops (at import, in expand), unbounded allocation, process.exit, throwing getters, thrown non-Errors: validate, render and render --check exit 1, one line each, kubemin goes on', async () => {
    const dir = repo(CASES.map(([name, text]) => [name, text] as const));
    const runs = await Promise.all([
      runBinary(bin, ['validate', '.'], dir, LIMITS),
      runBinary(bin, ['render', '.', '--out', 'out'], dir, LIMITS),
      runBinary(bin, ['render', '.', '--check', '--out', 'checked'], dir, LIMITS),
    ]);
    for (const r of runs) {
      expect(r.code, output(r)).toBe(1);
      for (const [name, , line] of CASES) {
        expect(output(r), name).toMatch(new RegExp(line, 'm'));
        expect(output(r).match(new RegExp(`^${name}/kubemin\\.yaml:\\d+:\\d+ error plugin-failed `, 'gm')), name).toHaveLength(1);
      }
      expect(output(r).match(/ error /g)).toHaveLength(CASES.length);
      expectNoCrashOutput(r);
    }
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
