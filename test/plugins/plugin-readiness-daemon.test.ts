import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { watchRepo } from '../../src/operations/watch.js';
import type { WatchEvent } from '../../src/watch/daemon.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';
import { RemoteFixture } from '../watch/git/remote-fixture.js';

/**
 * The watch daemon waits with the readiness rules of the plugins installed with it (`--plugin`),
 * as `kubemin apply` does: on a real git repository (a bare remote) and the test cluster, an app
 * with an object of a CRD's kind is applied, and its apply ends only once the plugin's rule says
 * the object is ready (its status set with kubectl, as the CRD's controller would).
 */

const cluster = testCluster();

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.readiness.kubemin.test}
spec:
  group: readiness.kubemin.test
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
            status: {type: object, properties: {ready: {type: boolean}}}
`;

const PLUGIN = `export default {
  name: 'widgets',
  readiness: [{
    name: 'widget',
    description: 'A Widget is ready when its controller sets status.ready.',
    kinds: ['readiness.kubemin.test/Widget'],
    check: (o) => (o.status?.ready === true ? { state: 'ready', message: 'status.ready is true' } : { state: 'progressing', message: 'waiting for status.ready' }),
  }],
};
`;

async function until(what: string, logs: () => string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; daemon log:\n${logs()}`);
}

describe('kubemin watch and a plugin’s readiness rule', { timeout: 180_000 }, () => {
  it('the apply of an object of the plugin’s kind ends once the plugin says it is ready', async () => {
    await cluster.kubectl(['apply', '-f', '-'], { input: CRD });
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
    writeFileSync(installed, PLUGIN);

    const stop = new AbortController();
    const events: WatchEvent[] = [];
    let logs = '';
    const done = watchRepo({
      repo: fx.remote,
      workDir: fx.workDir('daemon'),
      branch: 'main',
      path: 'apps',
      author: { name: 'kubemin', email: 'kubemin@localhost' },
      auth: {},
      intervalMs: 300,
      logFormat: 'text',
      drift: 'off',
      prune: true,
      appConcurrency: 1,
      leaderElection: false,
      leaseNamespace: 'unused',
      leaseName: 'kubemin-watch',
      kubeconfig: cluster.kubeconfig,
      pollMs: 200,
      signal: stop.signal,
      write: (l) => void (logs += l),
      onEvent: (e) => void events.push(e),
      plugins: [installed],
    });
    done.catch((err: unknown) => void (logs += `daemon crashed: ${(err as Error).message}\n`));
    onTestFinished(async () => {
      stop.abort();
      await done.catch(() => undefined);
    });

    await until(
      'the Widget applied',
      () => logs,
      async () => {
        const list = await cluster.kubectlJson<{ items: unknown[] }>(['get', 'widgets.readiness.kubemin.test', '-n', ns, '-o', 'json']);
        return list.items.length > 0;
      },
    );
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
    await until(
      'the apply ended',
      () => logs,
      () => events.some((e) => e.type === 'apply-end'),
    );
    const end = events.find((e) => e.type === 'apply-end');
    if (end?.type !== 'apply-end') throw new Error('no apply-end');
    expect(end.result.outcome, logs).toBe('applied');
    expect(end.result.phases[0]!.objects.find((o) => o.ref.kind === 'Widget')).toMatchObject({ state: 'ready', message: 'status.ready is true' });
  });
});
