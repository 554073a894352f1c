import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { parseStatusReport, type StatusReport } from '../../src/watch/status-report.js';
import { testCluster } from '../cluster/cluster.js';
import { serviceAccountTokens, writeExecPlugin, writeKubeconfig } from '../cluster/tokens.js';
import { tempDir } from '../helpers/cli.js';
import { RemoteFixture } from './git/remote-fixture.js';
import { httpGet, startWatchProcess, until } from './watch-process.js';

/**
 * `kubemin watch` as a process, as a user starts it, over months compressed into a minute: its
 * exec credential plugin's token is revoked mid-run (for real, on the test cluster's API server),
 * and the Lease's namespace may not exist. No `--lease-namespace`: the default is the context's.
 */

const cluster = testCluster();

function app(name: string, ns: string, image: string): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: { components: [{ name: 'web', type: 'webservice', image, ports: [{ port: 8080 }] }] },
  } as never);
}

function statusOn(fx: RemoteFixture, name: string): StatusReport | undefined {
  try {
    return parseStatusReport(fx.files('main').get(`.kubemin/status/${name}.yaml`));
  } catch {
    return undefined;
  }
}

const FAST = [
  '--branch',
  'main',
  '--path',
  'apps',
  '--interval',
  '500ms',
  '--poll-interval',
  '200ms',
  '--lease-duration',
  '3s',
  '--lease-renew',
  '1s',
  '--listen',
  '127.0.0.1:0',
];

describe('kubemin watch runs for months', { timeout: 180_000 }, () => {
  it('keeps applying when the token of its exec plugin is revoked and renewed; with no valid token left, says whose, and /readyz says why', async () => {
    const ns = await cluster.newNamespace('watch-auth');
    const tokens = await serviceAccountTokens(cluster, ns);
    const dir = tempDir('kubemin-watch-auth-');
    const plugin = writeExecPlugin(dir);
    const first = await tokens.mint('first');
    writeFileSync(join(dir, 'token'), first);
    const kubeconfig = writeKubeconfig(
      join(dir, 'kubeconfig'),
      tokens,
      { name: 'deployer', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.script, interactiveMode: 'Never' } } },
      { context: 'exec-ctx', namespace: ns },
    );
    const fx = new RemoteFixture();
    const c1 = fx.commit('shop', { 'apps/shop/kubemin.yaml': app('shop', ns, 'ghcr.io/acme/web:1.0') });
    const d = startWatchProcess(['--repo', fx.remote, '--work-dir', fx.workDir('daemon'), '--kubeconfig', kubeconfig, ...FAST]);
    await until('the first commit applied', d.text, () => statusOn(fx, 'shop')?.commit === c1);
    expect(statusOn(fx, 'shop')?.outcome).toBe('applied');
    // The Lease is in the context's namespace.
    expect(d.lines().find((l) => l.msg === 'watching')?.lease).toBe(`${ns}/kubemin-watch`);
    expect((await cluster.kubectlJson<any>(['-n', ns, 'get', 'lease', 'kubemin-watch'])).spec.holderIdentity).toBeTruthy();

    // 15 minutes later, EKS-style: the plugin has a new token, the old one no longer works.
    const second = await tokens.mint('second');
    writeFileSync(join(dir, 'token'), second);
    await tokens.revoke('first', first);
    const c2 = fx.commitOnRemoteTip('v1.1', { 'apps/shop/kubemin.yaml': app('shop', ns, 'ghcr.io/acme/web:1.1') });
    await until('the second commit applied with the new token', d.text, () => statusOn(fx, 'shop')?.commit === c2);
    expect(statusOn(fx, 'shop')?.outcome).toBe('applied');
    expect((await cluster.kubectlJson<any>(['-n', ns, 'get', 'deployment/web'])).spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:1.1');
    expect(plugin.runs()).toBeGreaterThanOrEqual(2);
    expect(d.lines().filter((l) => l.level === 'error')).toEqual([]);

    // Revoked, and the plugin has nothing better: said once, clearly; /readyz says why.
    await tokens.revoke('second', second);
    const who = 'refused the credentials of user "deployer" (context "exec-ctx") (401 Unauthorized)';
    await until('the refusal logged', d.text, () => d.lines().some((l) => l.level === 'error' && String(l.error).includes(who)));
    const ready = await until('/readyz saying why', d.text, async () => {
      const r = await httpGet(`${d.url()}/readyz`);
      return r?.status === 503 && r;
    });
    expect(ready.body).toContain(
      `not ready: the API server at ${new URL(tokens.server).origin} ${who}: the exec plugin "${plugin.script}" gave no other credential`,
    );
    const refusals = () => d.lines().filter((l) => l.msg === 'could not take the lease').length;
    const runsBefore = plugin.runs();
    await new Promise((r) => setTimeout(r, 3000)); // three more attempts to take the lease
    expect(refusals()).toBe(1);
    expect(plugin.runs() - runsBefore).toBeLessThanOrEqual(10); // one run per refused request: about one a second, not a loop
    for (const t of [first, second]) expect(d.text()).not.toContain(t);

    // A valid token again: it takes the lease back and is ready.
    writeFileSync(join(dir, 'token'), await tokens.mint('third'));
    await until('/readyz ready again', d.text, async () => (await httpGet(`${d.url()}/readyz`))?.status === 200);
    expect(d.lines().some((l) => l.msg === 'the lease can be used again')).toBe(true);
    expect(await d.stop()).toBe(0);
  });

  it('with no Lease namespace, says once how to fix it and /readyz says why; once it exists, it leads and applies', async () => {
    const ns = await cluster.newNamespace('watch-lease-ns');
    const missing = `${ns}-lease`;
    onTestFinished(async () => void (await cluster.kubectl(['delete', 'namespace', missing, '--ignore-not-found', '--wait=false'])));
    // The admin kubeconfig, its context's namespace being one that does not exist yet.
    const config = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as { contexts: Array<{ context: Record<string, unknown> }> };
    config.contexts[0]!.context.namespace = missing;
    const kubeconfig = join(tempDir('kubemin-lease-'), 'kubeconfig');
    writeFileSync(kubeconfig, yaml.dump(config));
    const fx = new RemoteFixture();
    const c1 = fx.commit('shop', { 'apps/shop/kubemin.yaml': app('shop', ns, 'ghcr.io/acme/web:1.0') });
    const d = startWatchProcess(['--repo', fx.remote, '--work-dir', fx.workDir('daemon'), '--kubeconfig', kubeconfig, ...FAST]);

    const fix = `the namespace "${missing}" of the Lease kubemin-watch does not exist: create it (kubectl create namespace ${missing}), or choose another with --lease-namespace`;
    await until('the missing namespace logged', d.text, () => d.lines().some((l) => l.level === 'error' && l.error === fix));
    const ready = await until('/readyz saying why', d.text, async () => {
      const r = await httpGet(`${d.url()}/readyz`);
      return r?.status === 503 && r;
    });
    expect(ready.body).toBe(`not ready: ${fix}\n`);
    await new Promise((r) => setTimeout(r, 3000)); // three more attempts: still one line
    expect(d.lines().filter((l) => l.msg === 'could not take the lease')).toHaveLength(1);
    expect(statusOn(fx, 'shop')).toBeUndefined();

    await cluster.kubectl(['create', 'namespace', missing]);
    await until('the commit applied', d.text, () => statusOn(fx, 'shop')?.commit === c1);
    expect((await httpGet(`${d.url()}/readyz`))?.status).toBe(200);
    expect((await cluster.kubectlJson<any>(['-n', missing, 'get', 'lease', 'kubemin-watch'])).spec.holderIdentity).toBeTruthy();
    expect(await d.stop()).toBe(0);
  });
});
