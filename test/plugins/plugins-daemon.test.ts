import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatusReport } from '../../src/watch/status-report.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';
import { RemoteFixture } from '../watch/git/remote-fixture.js';
import { startDaemon, until } from './plugin-daemon.js';

/**
 * The watch daemon runs plugins installed with it (`--plugin`), never code from the branch it
 * follows: on a real git repository (a bare remote) and the test cluster. The repository's
 * kubemin.config.mjs would leave a marker file if it ever ran.
 */

const cluster = testCluster();

/** A component type `tiny` (one ConfigMap), saying who made it. */
const tinyPlugin = (by: string): string => `export default {
  name: 'tiny',
  componentTypes: [{
    name: 'tiny', description: 'One ConfigMap.', maxNameLength: 63,
    capabilities: { podTemplate: false, service: false, scalable: false, claimTemplates: false, runToCompletion: false },
    properties: { greeting: { type: 'string' } }, required: ['greeting'],
    expand: (ctx) => [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: ctx.meta(ctx.component.name), data: { greeting: ctx.component.greeting, by: '${by}' } } }],
  }],
};
`;

/** A repository whose config, if run, writes `marker` and brings its own `tiny`. */
function repository(ns: string, marker: string): RemoteFixture {
  const fx = new RemoteFixture();
  fx.commit('shop, with a plugin config', {
    'kubemin.config.mjs': `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'the repository config ran');\nexport default { plugins: ['./plugins/tiny.mjs'] };\n`,
    'plugins/tiny.mjs': tinyPlugin('the repository'),
    'apps/shop/kubemin.yaml': `apiVersion: kubemin.dev/v1alpha1\nkind: Application\nmetadata: {name: shop, namespace: ${ns}}\nspec:\n  components:\n    - {name: hello, type: tiny, greeting: bonjour}\n`,
  });
  return fx;
}

const IGNORED =
  /warn +the repository's plugin config is not run: the daemon runs only plugins installed with it \(kubemin watch --plugin <package-or-path>\) revision=[0-9a-f]{12} configs=kubemin\.config\.mjs/;

describe("kubemin watch and a repository's plugins", { timeout: 180_000 }, () => {
  it('compiles and applies with the plugins installed with the daemon; the repository config never runs, and the log says so', async () => {
    const ns = await cluster.newNamespace('watch-plugins');
    const marker = join(tempDir('kubemin-marker-'), 'MARKER');
    const fx = repository(ns, marker);
    const installed = join(tempDir('kubemin-daemon-plugins-'), 'tiny.mjs');
    writeFileSync(installed, tinyPlugin('the daemon'));
    const d = startDaemon(fx, [installed], cluster.kubeconfig);
    await until('the status of shop', d.logs, () => {
      try {
        return parseStatusReport(fx.files('main').get('.kubemin/status/shop.yaml'))?.outcome === 'applied';
      } catch {
        return false;
      }
    });
    const cm = await cluster.kubectlJson<{ data: Record<string, string> }>(['get', 'configmap/hello', '-n', ns]);
    expect(cm.data).toEqual({ greeting: 'bonjour', by: 'the daemon' });
    expect(d.logs()).toMatch(/info +plugins loaded="tiny \(.*tiny\.mjs\)"/);
    expect(d.logs()).toMatch(IGNORED);
    expect(existsSync(marker)).toBe(false);
  });

  it('without --plugin, a spec needing the repository plugins is invalid (unknown type), and the log says why', async () => {
    const ns = await cluster.newNamespace('watch-plugins');
    const marker = join(tempDir('kubemin-marker-'), 'MARKER');
    const fx = repository(ns, marker);
    const d = startDaemon(fx, [], cluster.kubeconfig);
    await until('the invalid revision logged', d.logs, () =>
      /error +invalid spec: nothing of this revision is applied .*at=apps\/shop\/kubemin\.yaml:6:\d+ code=invalid-value problem=.*tiny.* not one of: webservice/.test(
        d.logs(),
      ),
    );
    expect(d.logs()).toMatch(IGNORED);
    expect(d.events.some((e) => e.type === 'apply-start')).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });
});
