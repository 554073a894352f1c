import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtinTraits } from '../../src/expand/traits/index.js';
import { cli, tempDir } from '../helpers/cli.js';

/**
 * The rules that look at what traits add to a container (probe-ports, containers' env names,
 * mount-paths; pod-security, to place a violation) ask every trait through its hooks
 * (TraitDef.probePorts, envNames, mountPaths, written), never by name: a plugin's trait with the
 * hooks is checked by the same rules, with the same diagnostics, placed at its own fields; its
 * hooks run in the plugin's worker, guarded.
 */

const TRAITS = (hooks: { probePorts: string; envNames: string; mountPaths: string }): string => `export default {
  name: 'health',
  traits: [
    {
      name: 'healthz',
      description: 'A liveness probe on /healthz, and a variable that turns the endpoint on.',
      scope: 'container',
      schema: { type: 'object', additionalProperties: false, required: ['port'], properties: { port: { type: ['string', 'integer'] }, envName: { type: 'string' } } },
      apply: (p) => ({ container: { env: p.envName ? [{ name: p.envName, value: '1' }] : [], livenessProbe: { httpGet: { path: '/healthz', port: p.port } } } }),
      probePorts: ${hooks.probePorts},
      envNames: ${hooks.envNames},
    },
    {
      name: 'cache',
      description: 'A scratch volume mounted at path.',
      scope: 'container',
      schema: { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string' } } },
      apply: (p, ctx) => ({ volumes: [{ value: { name: 'cache', emptyDir: {} }, pointer: ctx.pointer }], container: { volumeMounts: [{ name: 'cache', mountPath: p.path }] } }),
      mountPaths: ${hooks.mountPaths},
    },
  ],
};
`;

const GOOD = {
  probePorts: "(p) => [{ port: p.port, pointer: '/port' }]",
  envNames: "(p) => (p.envName ? [{ name: p.envName, pointer: '/envName' }] : [])",
  mountPaths: "(p) => [{ volume: 'cache', path: p.path, label: 'the cache volume', entry: '', pointer: '/path' }]",
};

const SPEC = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: web, namespace: web}
spec:
  components:
    - name: web
      type: webservice
      image: ghcr.io/acme/web:1
      ports: [{name: http, port: 8080}]
      env: {DEBUG: "0"}
      traits:
        storage: [{name: scratch, type: ephemeral, mountPath: /cache}]
        healthz: {port: metrics, envName: DEBUG}
        cache: {path: /cache}
`;

function repo(plugin: string, spec = SPEC): string {
  const dir = tempDir('kubemin-hooks-');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'kubemin.config.mjs'), "export default { plugins: ['./health.mjs'] };\n");
  writeFileSync(join(dir, 'health.mjs'), plugin);
  writeFileSync(join(dir, 'kubemin.yaml'), spec);
  return dir;
}

/** The first line of each diagnostic (validate writes them to stderr), and its hint and `see` lines, without colour (FORCE_COLOR may turn it on). */
const summary = (stdout: string): string[] =>
  stripVTControlCharacters(stdout)
    .split('\n')
    .filter((l) => /^\S+\.yaml:\d+:\d+ |^  hint: |^  see /.test(l));

describe('traits take part in the rules through their hooks', () => {
  it('the built-in traits that add env names, probe ports and mounts give them through hooks', () => {
    const withHook = (hook: 'envNames' | 'probePorts' | 'mountPaths'): string[] => builtinTraits.filter((t) => t[hook]).map((t) => t.name);
    expect(withHook('envNames')).toEqual(['envs']);
    expect(withHook('probePorts')).toEqual(['probes']);
    expect(withHook('mountPaths')).toEqual(['storage']);
    const probes = builtinTraits.find((t) => t.name === 'probes')!;
    expect(
      probes.probePorts!([
        { type: 'liveness', httpGet: { port: 'web' } },
        { type: 'startup', tcpSocket: { port: 81 } },
      ]),
    ).toEqual([
      { port: 'web', pointer: '/0/httpGet/port' },
      { port: 81, pointer: '/1/tcpSocket/port' },
    ]);
  });

  it('a plugin trait’s probe port, env name and mount are checked by the same rules as the built-ins’, at its own fields', async () => {
    const r = await cli(['validate', '.'], repo(TRAITS(GOOD)));
    expect(r.code, r.stderr).toBe(1);
    expect(summary(r.stderr), r.stdout + r.stderr).toEqual([
      'kubemin.yaml:13:25 error probe-port probe port "metrics" is not a named port of container "web"',
      '  hint: named ports: http',
      'kubemin.yaml:13:43 error duplicate-env environment variable "DEBUG" is set twice in this container',
      '  hint: keep one; with two, only the last one would take effect',
      '  see kubemin.yaml:10:20 first set here',
      'kubemin.yaml:14:23 error duplicate-mount-path the cache volume is mounted at /cache, where storage "scratch" is already mounted in container "web"',
      '  hint: give each volume its own mount path',
      '  see kubemin.yaml:12:19 storage "scratch"',
    ]);
  });

  it('with values that do not clash, nothing is reported', async () => {
    const spec = SPEC.replace('{port: metrics, envName: DEBUG}', '{port: http, envName: HEALTHZ}').replace('{path: /cache}', '{path: /tmp/cache}');
    const r = await cli(['validate', '.'], repo(TRAITS(GOOD), spec));
    expect(r.stdout + r.stderr).not.toMatch(/error/);
    expect(r.code, r.stdout).toBe(0);
  });

  it('a hook that throws or answers something else is a plugin-failed diagnostic naming the plugin, not a crash', async () => {
    const throws = await cli(['validate', '.'], repo(TRAITS({ ...GOOD, probePorts: "() => { throw new Error('no ports today'); }" })));
    expect(throws.code).toBe(1);
    expect(summary(throws.stderr)[0]).toMatch(
      /^kubemin\.yaml:\d+:\d+ error plugin-failed trait "healthz" of plugin "health" \(health\.mjs\): it threw: no ports today/,
    );
    const wrong = await cli(['validate', '.'], repo(TRAITS({ ...GOOD, envNames: "(p) => [{ name: p.envName, pointer: 'envName' }]" })));
    expect(wrong.code).toBe(1);
    expect(summary(wrong.stderr)[0]).toMatch(
      /error plugin-failed trait "healthz" of plugin "health" \(health\.mjs\): it returned something invalid: pointer "envName" is not a JSON pointer/,
    );
  });

  it('a plugin trait that says where it wrote a field (written) gets the pod-security violation there, else the container does', async () => {
    const debug = (written: string): string => `export default {
  name: 'health',
  traits: [{
    name: 'debugger',
    description: 'Lets a debugger attach.',
    scope: 'container',
    schema: { type: 'object', additionalProperties: false, properties: { privileged: { type: 'boolean' } } },
    apply: (p) => ({ container: { securityContext: { privileged: p.privileged } } }),
    ${written}
  }],
};
`;
    const spec = `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: web, namespace: web}
spec:
  components:
    - name: web
      type: webservice
      image: ghcr.io/acme/web:1
      traits:
        debugger: {privileged: true}
`;
    const at = await cli(
      ['validate', '.'],
      repo(debug("written: (p, f) => (f.on === 'container' && f.path[0] === 'securityContext' ? '/privileged' : undefined),"), spec),
    );
    expect(at.code).toBe(1);
    expect(summary(at.stderr)[0]).toMatch(/^kubemin\.yaml:10:32 error pod-security container "web": privileged/);
    const without = await cli(['validate', '.'], repo(debug(''), spec));
    expect(without.code).toBe(1);
    expect(summary(without.stderr)[0]).toMatch(/^kubemin\.yaml:6:7 error pod-security container "web": privileged/);
  });

  it('a plugin trait’s preStop sleep is checked against the pod’s grace period like the lifecycle trait’s', async () => {
    const plugin = `export default {
  name: 'health',
  traits: [{
    name: 'drain',
    description: 'Sleeps before the stop signal, so that load balancers stop sending requests first.',
    scope: 'container',
    schema: { type: 'object', additionalProperties: false, required: ['seconds'], properties: { seconds: { type: 'integer', minimum: 1 } } },
    apply: (p) => ({ container: { lifecycle: { preStop: { sleep: { seconds: p.seconds } } } } }),
    preStopSeconds: (p) => [{ seconds: p.seconds, pointer: '/seconds' }],
  }],
};
`;
    const spec = (traits: string): string => `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: web, namespace: web}
spec:
  components:
    - name: web
      type: webservice
      image: ghcr.io/acme/web:1
      traits: {${traits}}
`;
    const r = await cli(['validate', '.'], repo(plugin, spec('drain: {seconds: 45}')));
    expect(r.code).toBe(1);
    expect(summary(r.stderr)).toEqual([
      'kubemin.yaml:9:33 error prestop-exceeds-grace the preStop hook of container "web" sleeps 45 s, but the pod is killed 30 s after its stop begins (terminationGracePeriodSeconds, the default): the application would never get its stop signal in time',
      '  hint: set traits.pod.terminationGracePeriodSeconds to more than 45 (the sleep plus the time the application needs to finish), or sleep less',
    ]);
    const longer = await cli(['validate', '.'], repo(plugin, spec('drain: {seconds: 45}, pod: {terminationGracePeriodSeconds: 60}')));
    expect(longer.code, longer.stderr).toBe(0);
  });

  it('a plugin trait’s volumes of the wrong shape are a plugin-failed diagnostic, not an internal error', async () => {
    const plugin = TRAITS(GOOD).replace(
      "volumes: [{ value: { name: 'cache', emptyDir: {} }, pointer: ctx.pointer }]",
      "volumes: [{ name: 'cache', emptyDir: {} }]",
    );
    const spec = SPEC.replace('{port: metrics, envName: DEBUG}', '{port: http, envName: HEALTHZ}').replace('{path: /cache}', '{path: /tmp/cache}');
    const r = await cli(['validate', '.'], repo(plugin, spec));
    expect(r.code, r.stderr).toBe(1);
    expect(summary(r.stderr)[0]).toMatch(
      /error plugin-failed trait "cache" of plugin "health" \(health\.mjs\): it returned something invalid: volumes: each must be \{value: a volume with a valid name, pointer\}/,
    );
  });
});
