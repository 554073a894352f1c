import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';
import { RemoteFixture } from '../watch/git/remote-fixture.js';
import { startDaemon, until } from './plugin-daemon.js';
import { READY_WHEN_STATUS, WIDGET_CRD, widgetPlugin } from './widget-readiness-fixture.js';

/**
 * The watch daemon waits with the readiness rules of the plugins installed with it (`--plugin`),
 * as `kubemin apply` does: on a real git repository (a bare remote) and the test cluster, an app
 * with an object of a CRD's kind is applied, and its apply ends only once the plugin's rule says
 * the object is ready (its status set with kubectl, as the CRD's controller would).
 */

const cluster = testCluster();

describe('kubemin watch and a plugin’s readiness rule', { timeout: 180_000 }, () => {
  it('the apply of an object of the plugin’s kind ends once the plugin says it is ready', async () => {
    await cluster.kubectl(['apply', '-f', '-'], { input: WIDGET_CRD });
    await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/widgets.readiness.kubemin.test']);
    const ns = await cluster.newNamespace('watch-ready');
    const fx = new RemoteFixture();
    fx.commit('an app with a Widget', {
      'apps/widgets/kubemin.yaml': `apiVersion: kubemin.dev/v1alpha1
kind: Application
metadata: {name: widgets, namespace: ${ns}}
spec:
  components:
    - name: widget
      type: k8s-objects
      objects:
        - {apiVersion: readiness.kubemin.test/v1, kind: Widget, metadata: {name: w1}, spec: {size: 1}}
`,
    });
    const installed = join(tempDir('kubemin-daemon-plugins-'), 'widgets.mjs');
    writeFileSync(installed, widgetPlugin(READY_WHEN_STATUS));

    const { logs, events } = startDaemon(fx, [installed], cluster.kubeconfig);

    await until('the Widget applied', logs, async () => {
      const list = await cluster.kubectlJson<{ items: unknown[] }>(['get', 'widgets.readiness.kubemin.test', '-n', ns, '-o', 'json']);
      return list.items.length > 0;
    });
    // Applied, not ready: the apply has not ended.
    expect(events.filter((e) => e.type === 'apply-end')).toEqual([]);
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
    await until('the apply ended', logs, () => events.some((e) => e.type === 'apply-end'));
    const end = events.find((e) => e.type === 'apply-end');
    if (end?.type !== 'apply-end') throw new Error('no apply-end');
    expect(end.result.outcome, logs()).toBe('applied');
    expect(end.result.phases[0]!.objects.find((o) => o.ref.kind === 'Widget')).toMatchObject({ state: 'ready', message: 'status.ready is true' });
  });
});
