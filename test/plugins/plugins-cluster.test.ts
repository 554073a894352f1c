import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';

/** A plugin's step type with an executor: planned by the compiler, run by `kubemin apply` against the cluster. */

const cluster = testCluster();

const SMOKE_TEST = `
export default (api) => ({
  name: 'smoke',
  stepTypes: [{
    name: 'smoke-test',
    description: 'Checks that a Service of the app exists and has endpoints slices.',
    properties: { service: api.fragments.dnsLabel },
    required: ['service'],
    plan: (step) => ({ phases: [{ name: step.name, mode: 'serial', components: [], params: { service: step.service } }] }),
    async execute(phase, ctx) {
      // Runs in a worker: the client, the clock, the readiness rules and progress are kubemin's, over messages.
      if (typeof ctx.clock.now() !== 'number' || ctx.clock.now() > ctx.deadline) throw new Error('no clock');
      ctx.progress(0, 1, 'Service ' + phase.params.service);
      const ref = { apiVersion: 'v1', kind: 'Service', namespace: ctx.app.namespace, name: phase.params.service };
      const svc = await ctx.client.get(ref);
      if (!svc) return { outcome: 'failed', objects: [], reasons: ['smoke test: Service ' + ref.namespace + '/' + ref.name + ' does not exist'] };
      const verdict = ctx.ruleFor(svc).check(svc, []);
      return { outcome: verdict.state === 'ready' ? 'ready' : 'failed', objects: [], reasons: verdict.state === 'ready' ? [] : [verdict.message] };
    },
  }],
});
`;

function repo(ns: string, service: string, plugin = SMOKE_TEST): string {
  const dir = tempDir('kubemin-smoke-');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'kubemin.config.mjs'), "export default { plugins: ['./smoke.mjs'] };\n");
  writeFileSync(join(dir, 'smoke.mjs'), plugin);
  writeFileSync(
    join(dir, 'kubemin.yaml'),
    `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: smoke, namespace: ${ns}}
spec:
  components:
    - {name: web, type: webservice, image: "ghcr.io/acme/web:1", ports: [{port: 80}]}
  workflow:
    steps:
      - {name: app, components: [web]}
      - {name: check, type: smoke-test, service: ${service}}
`,
  );
  return dir;
}

describe('a plugin step type with an executor', { timeout: 120_000 }, () => {
  it('runs in its phase, after the phases before it; its failure stops the app', async () => {
    const ns = await cluster.newNamespace('plugin-step');
    const ok = await cli(['apply', '.', '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms'], repo(ns, 'web'));
    expect(ok.code).toBe(0);
    const applied = (JSON.parse(ok.stdout) as { apps: AppApplyResult[] }).apps[0]!;
    expect(applied.phases.map((p) => `${p.name}:${p.stepType}:${p.outcome}`)).toEqual(['app:deploy:ready', 'check:smoke-test:ready']);

    const bad = await cli(['apply', '.', '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms'], repo(ns, 'nope'));
    expect(bad.code).toBe(1);
    const failed = (JSON.parse(bad.stdout) as { apps: AppApplyResult[] }).apps[0]!;
    expect(failed.phases[1]).toMatchObject({ outcome: 'failed', reasons: [`smoke test: Service ${ns}/nope does not exist`] });
  });
});

/** The smoke step type with another execute body. */
const smokeWith = (body: string): string => SMOKE_TEST.replace(/async execute\(phase, ctx\) \{[\s\S]*?\n    \},\n/, `async execute(phase, ctx) { ${body} },\n`);

describe('a plugin step type whose execute misbehaves', { timeout: 120_000 }, () => {
  for (const [what, body, outcome, reason] of [
    [
      'loops forever',
      'for (;;) {}',
      'timeout',
      /^phase check: step type "smoke-test" of plugin "smoke" \(smoke.mjs\): did not return by the phase's deadline plus 3 s \(KUBEMIN_PLUGIN_TIMEOUT\)$/,
    ],
    [
      'allocates without bound',
      'const all = []; for (;;) all.push(new Array(1e5).fill(1));',
      'failed',
      /^phase check: step type "smoke-test" of plugin "smoke" \(smoke.mjs\): ran out of memory \(the limit is 64 MB of heap; KUBEMIN_PLUGIN_MEMORY\)$/,
    ],
    [
      'calls process.exit(0)',
      'process.exit(0);',
      'failed',
      /^phase check: step type "smoke-test" of plugin "smoke" \(smoke.mjs\): it called process.exit\(0\): a plugin cannot end kubemin$/,
    ],
    ['returns something else', "return { outcome: 'done' };", 'failed', /it returned something invalid: outcome must be one of ready, failed/],
  ] as const) {
    it(`${what}: its phase ends ${outcome} naming the plugin, the apply exits 1, kubemin goes on`, async () => {
      vi.stubEnv('KUBEMIN_PLUGIN_TIMEOUT', '3s');
      vi.stubEnv('KUBEMIN_PLUGIN_MEMORY', '64');
      try {
        const ns = await cluster.newNamespace('plugin-fault');
        const r = await cli(
          ['apply', '.', '--kubeconfig', cluster.kubeconfig, '-o', 'json', '--poll-interval', '200ms', '--timeout', '2s'],
          repo(ns, 'web', smokeWith(body)),
        );
        expect(r.code, r.stderr).toBe(1);
        const applied = (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!;
        expect(applied.phases.map((p) => `${p.name}:${p.outcome}`)).toEqual(['app:ready', `check:${outcome}`]);
        expect(applied.phases[1]!.reasons).toEqual([expect.stringMatching(reason)]);
      } finally {
        vi.unstubAllEnvs();
      }
    });
  }
});
