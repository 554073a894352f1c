import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
      const ref = { apiVersion: 'v1', kind: 'Service', namespace: ctx.app.namespace, name: phase.params.service };
      const svc = await ctx.client.get(ref);
      return svc
        ? { outcome: 'ready', objects: [], reasons: [] }
        : { outcome: 'failed', objects: [], reasons: ['smoke test: Service ' + ref.namespace + '/' + ref.name + ' does not exist'] };
    },
  }],
});
`;

function repo(ns: string, service: string): string {
  const dir = tempDir('kubemin-smoke-');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'kubemin.config.mjs'), "export default { plugins: ['./smoke.mjs'] };\n");
  writeFileSync(join(dir, 'smoke.mjs'), SMOKE_TEST);
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
