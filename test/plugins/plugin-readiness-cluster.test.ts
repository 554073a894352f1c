import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import { testCluster } from '../cluster/cluster.js';
import { cli, tempDir } from '../helpers/cli.js';
import { READY_WHEN_STATUS, WIDGET_CRD, widgetPlugin } from './widget-readiness-fixture.js';

/**
 * A plugin's readiness rule for its CRD's kind, on the test cluster: `kubemin apply` waits for an
 * object of that kind until the plugin says it is ready (here: when its status says so, which the
 * test sets with kubectl as the CRD's controller would); a rule that throws fails the phase,
 * naming the plugin.
 */

const cluster = testCluster();

function repo(ns: string, check: string): string {
  const dir = tempDir('kubemin-widget-');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'kubemin.config.mjs'), "export default { plugins: ['./widgets.mjs'] };\n");
  writeFileSync(join(dir, 'widgets.mjs'), widgetPlugin(check));
  writeFileSync(
    join(dir, 'kubemin.yaml'),
    `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: widgets, namespace: ${ns}}
spec:
  components:
    - name: widget
      type: k8s-objects
      objects:
        - {apiVersion: readiness.kubemin.test/v1, kind: Widget, metadata: {name: w1}, spec: {size: 1}}
    - {name: after, type: config, data: {a: b}, dependsOn: [widget]}
`,
  );
  return dir;
}

async function installCrd(): Promise<void> {
  await cluster.kubectl(['apply', '-f', '-'], { input: WIDGET_CRD });
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/widgets.readiness.kubemin.test']);
}

/** Resolves when the Widget exists (kubemin applied it). */
async function widgetCreated(ns: string, done: () => boolean): Promise<void> {
  while (!done()) {
    const list = await cluster.kubectlJson<{ items: unknown[] }>(['get', 'widgets.readiness.kubemin.test', '-n', ns, '-o', 'json']);
    if (list.items.length) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const applyArgs = ['apply', '.', '--kubeconfig', '', '-o', 'json', '--poll-interval', '200ms', '--timeout', '90s'];

describe('a plugin’s readiness rule for its CRD', { timeout: 180_000 }, () => {
  it('kubemin apply waits for the object until the plugin says it is ready; the next phase runs after', async () => {
    await installCrd();
    const ns = await cluster.newNamespace('plugin-ready');
    const args = applyArgs.map((a, i) => (i === 3 ? cluster.kubeconfig : a));
    let finished = false;
    const run = cli(args, repo(ns, READY_WHEN_STATUS)).finally(() => (finished = true));
    await widgetCreated(ns, () => finished);
    // Applied, not ready: the apply is still waiting, and the next phase's ConfigMap is not there.
    expect(finished).toBe(false);
    const before = await cluster.kubectlJson<{ items: unknown[] }>(['get', 'configmaps', '-n', ns, '-l', 'app.kubernetes.io/name=after', '-o', 'json']);
    expect(before.items).toEqual([]);
    await cluster.kubectl([
      'patch',
      'widgets.readiness.kubemin.test',
      'w1',
      '-n',
      ns,
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"ready":true}}',
    ]);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    const app = (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!;
    expect(app.phases.map((p) => p.outcome)).toEqual(['ready', 'ready']);
    const w = app.phases[0]!.objects.find((o) => o.ref.kind === 'Widget');
    expect(w).toMatchObject({ state: 'ready', message: 'status.ready is true' });
  });

  for (const [what, check, reason] of [
    ['throws', "throw new Error('no status yet');", /: readiness rule "widget" of plugin "widgets" \(widgets\.mjs\): it threw: no status yet$/],
    [
      'answers something that is not a readiness',
      "return { state: 'done' };",
      /: readiness rule "widget" of plugin "widgets" \(widgets\.mjs\): it returned something invalid: state must be one of ready, progressing, failed, unschedulable$/,
    ],
    [
      'loops forever',
      'for (;;) {}',
      /: readiness rule "widget" of plugin "widgets" \(widgets\.mjs\): did not return within 3 s \(the time limit; KUBEMIN_PLUGIN_TIMEOUT\)$/,
    ],
  ] as const) {
    it(`a rule that ${what} fails the phase naming the plugin; kubemin goes on to report it`, async () => {
      await installCrd();
      const ns = await cluster.newNamespace('plugin-ready-fault');
      const args = applyArgs.map((a, i) => (i === 3 ? cluster.kubeconfig : a));
      // A short time limit for the loop (3 s: a rule that behaves answers well within it).
      vi.stubEnv('KUBEMIN_PLUGIN_TIMEOUT', '3s');
      const r = await cli(args, repo(ns, check)).finally(() => vi.unstubAllEnvs());
      expect(r.code, r.stderr).toBe(1);
      const app = (JSON.parse(r.stdout) as { apps: AppApplyResult[] }).apps[0]!;
      expect(app.phases.map((p) => p.outcome)).toEqual(['failed', 'skipped']);
      expect(app.phases[0]!.reasons).toEqual([expect.stringMatching(reason)]);
      expect(app.phases[0]!.objects.find((o) => o.ref.kind === 'Widget')).toMatchObject({ state: 'failed', reason: 'ReadinessRuleFailed' });
    });
  }
});
