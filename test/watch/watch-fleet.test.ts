import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { watchRepo, type WatchRunOptions } from '../../src/operations/watch.js';
import type { WatchEvent } from '../../src/watch/daemon.js';
import { parseStatusReport, type StatusReport } from '../../src/watch/status-report.js';
import { testCluster } from '../cluster/cluster.js';
import { git, RemoteFixture } from './git/remote-fixture.js';

/**
 * A fleet: one `kubemin watch --env NAME` per cluster, all following one repository and pushing
 * their status reports to it. Here two daemons (staging and production) run against the test
 * cluster (each environment in a namespace of its own) and push to one bare remote at once.
 */

const cluster = testCluster();
const AUTHOR = { name: 'kubemin', email: 'kubemin@localhost' };

/** `shop` with two environments, each in a namespace of its own; staging names a kubeconfig context the test cluster does not have. */
function shop(staging: string, production: string, productionImage = 'ghcr.io/acme/web:1.0'): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: staging },
    spec: {
      components: [{ name: 'web', type: 'webservice', image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }] }],
      environments: [
        { name: 'staging', cluster: 'staging-eu' },
        { name: 'production', namespace: production, cluster: 'kubemin-test', components: { web: { image: productionImage } } },
      ],
    },
  } as never);
}

/** An app without environments: every daemon applies it, to its own cluster. */
function blog(ns: string): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'blog', namespace: ns },
    spec: { components: [{ name: 'blog', type: 'webservice', image: 'ghcr.io/acme/blog:1', ports: [{ port: 8080 }] }] },
  } as never);
}

interface Daemon {
  readonly events: WatchEvent[];
  logs(): string;
  url(): string;
}

function startDaemon(fx: RemoteFixture, name: string, overrides: Partial<WatchRunOptions>): Daemon {
  const stop = new AbortController();
  const events: WatchEvent[] = [];
  let logs = '';
  let url = '';
  const done = watchRepo({
    repo: fx.remote,
    workDir: fx.workDir(name),
    branch: 'main',
    path: 'apps',
    author: AUTHOR,
    auth: {},
    intervalMs: 300,
    logFormat: 'text',
    drift: 'off',
    prune: true,
    appConcurrency: 2,
    leaderElection: false,
    kubeconfig: cluster.kubeconfig,
    pollMs: 200,
    signal: stop.signal,
    write: (l) => void (logs += l),
    onEvent: (e) => void events.push(e),
    onListening: (u) => void (url = u),
    ...overrides,
  });
  done.catch((err: unknown) => void (logs += `daemon crashed: ${(err as Error).stack}\n`));
  onTestFinished(async () => {
    stop.abort();
    await done.catch(() => undefined);
  });
  return { events, logs: () => logs, url: () => url };
}

async function until<T>(what: string, daemons: readonly Daemon[], check: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; logs:\n${daemons.map((d) => d.logs()).join('\n---\n')}`);
}

const statusOn = (fx: RemoteFixture, path: string): StatusReport | undefined => parseStatusReport(fx.files('main').get(`.kubemin/status/${path}.yaml`));
const ended = (d: Daemon, key: string) => d.events.filter((e) => e.type === 'apply-end' && e.app === key);

describe('kubemin watch --env: a fleet of daemons, one repository', { timeout: 180_000 }, () => {
  it('each daemon applies its environment and the apps without, and both push their reports to one remote without losing one', async () => {
    const stagingNs = await cluster.newNamespace('fleet-staging');
    const productionNs = await cluster.newNamespace('fleet-production');
    const leaseNs = await cluster.newNamespace('fleet-lease');
    const fx = new RemoteFixture();
    const first = fx.commit('shop and blog', { 'apps/shop/kubemin.yaml': shop(stagingNs, productionNs), 'apps/blog/kubemin.yaml': blog(stagingNs) });
    // Both elect a leader in one namespace: the Leases are per environment, so both lead.
    const common = { leaderElection: true, leaseNamespace: leaseNs, leaseDurationMs: 3000, leaseRenewMs: 1000 };
    const staging = startDaemon(fx, 'staging', { ...common, env: 'staging' });
    const production = startDaemon(fx, 'production', { ...common, env: 'production', context: 'kubemin-test', listen: '127.0.0.1:0' });
    const both = [staging, production];

    const reports = await until('the four status reports on main', both, () => {
      const r = ['staging/shop', 'staging/blog', 'production/shop', 'production/blog'].map((p) => statusOn(fx, p));
      return r.every(Boolean) && (r as StatusReport[]);
    });
    for (const r of reports) expect(r).toMatchObject({ outcome: 'applied', commit: first });
    expect(reports.map((r) => `${r.environment}/${r.app} ${r.namespace}`)).toEqual([
      `staging/shop ${stagingNs}`,
      `staging/blog ${stagingNs}`,
      `production/shop ${productionNs}`,
      `production/blog ${stagingNs}`,
    ]);
    // No report at the paths of a daemon without --env.
    expect([...fx.files('main').keys()].filter((p) => p.startsWith('.kubemin/')).sort()).toEqual([
      '.kubemin/status/production/blog.yaml',
      '.kubemin/status/production/shop.yaml',
      '.kubemin/status/staging/blog.yaml',
      '.kubemin/status/staging/shop.yaml',
    ]);
    // Each variant is live in its own namespace.
    const image = async (ns: string) => (await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns])).spec.template.spec.containers[0].image;
    expect(await image(stagingNs)).toBe('ghcr.io/acme/web:1.0');
    expect(await image(productionNs)).toBe('ghcr.io/acme/web:1.0');

    // Promotion: a commit that changes production's override only. The production daemon applies
    // it; the staging daemon sees nothing of its own changed.
    const second = fx.commitOnRemoteTip('release 1.1 to production', { 'apps/shop/kubemin.yaml': shop(stagingNs, productionNs, 'ghcr.io/acme/web:1.1') });
    await until('production/shop applied at the second commit', both, () => statusOn(fx, 'production/shop')?.commit === second);
    expect(await image(productionNs)).toBe('ghcr.io/acme/web:1.1');
    await until('a staging round on the newest commit', both, () =>
      staging.events.some((e) => e.type === 'round' && e.revision === git(fx.remote, 'rev-parse', 'main')),
    );
    expect(ended(staging, 'staging/shop')).toHaveLength(1);
    expect(ended(staging, 'staging/blog')).toHaveLength(1);
    expect(ended(production, 'production/shop')).toHaveLength(2);
    expect(statusOn(fx, 'staging/shop')?.commit).toBe(first);
    expect(await image(stagingNs)).toBe('ghcr.io/acme/web:1.0');

    // Every apply has exactly one status commit, whichever daemon pushed first.
    const subjects = git(fx.remote, 'log', '--format=%s', 'main')
      .split('\n')
      .filter((s) => s.startsWith('kubemin: '))
      .sort();
    expect(subjects).toEqual(
      [
        `kubemin: production/blog applied at ${first.slice(0, 7)} [skip ci]`,
        `kubemin: production/shop applied at ${first.slice(0, 7)} [skip ci]`,
        `kubemin: production/shop applied at ${second.slice(0, 7)} [skip ci]`,
        `kubemin: staging/blog applied at ${first.slice(0, 7)} [skip ci]`,
        `kubemin: staging/shop applied at ${first.slice(0, 7)} [skip ci]`,
      ].sort(),
    );

    // The daemon's own cluster wins; an environment naming another context is said once.
    const warnings = staging
      .logs()
      .split('\n')
      .filter((l) => l.includes('names cluster "staging-eu"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\S+ warn  environment "staging" names cluster "staging-eu", but this daemon applies to context "kubemin-test" \(the current context of the kubeconfig\): it is applied there all the same/,
    );
    expect(production.logs()).not.toMatch(/names cluster/);
    expect(staging.logs()).toMatch(/info  applying app=shop environment=staging /);
    // Metrics say the environment beside the app, for an app without environments too (the daemon's).
    const metrics = await (await fetch(`${production.url()}/metrics`)).text();
    expect(metrics).toMatch(/kubemin_applies_total\{app="shop",environment="production",outcome="applied",trigger="commit"\} 2/);
    expect(metrics).toMatch(/kubemin_applies_total\{app="blog",environment="production",outcome="applied",trigger="commit"\} 1/);
    expect(metrics).toMatch(/kubemin_last_applied_commit_timestamp_seconds\{app="shop",environment="production"\} \d+/);
    const leases = await cluster.kubectlJson<any>(['get', 'leases', '-n', leaseNs]);
    expect(leases.items.map((l: any) => l.metadata.name).sort()).toEqual(['kubemin-watch-production', 'kubemin-watch-staging']);

    // A staging daemon started afresh (a new pod) reads its reports back from .kubemin/status/staging/: nothing to apply.
    const restarted = startDaemon(fx, 'staging-2', { env: 'staging' });
    const tip = git(fx.remote, 'rev-parse', 'main');
    await until(
      'a round of the new staging daemon',
      [restarted],
      () => restarted.events.some((e) => e.type === 'round' && e.revision === tip) && /no app changed/.test(restarted.logs()),
    );
    expect(restarted.events.filter((e) => e.type === 'apply-start')).toEqual([]);
  });

  it('an --env no app has applies nothing, and says which there are', async () => {
    const ns = await cluster.newNamespace('fleet-typo');
    const fx = new RemoteFixture();
    fx.commit('shop and blog', { 'apps/shop/kubemin.yaml': shop(ns, `${ns}-p`), 'apps/blog/kubemin.yaml': blog(ns) });
    const d = startDaemon(fx, 'typo', { env: 'stagin' });
    await until('the error', [d], () =>
      /error nothing of this revision is applied .*problem="--env stagin: no application has an environment \\"stagin\\"; did you mean \\"staging\\"\?/.test(
        d.logs(),
      ),
    );
    expect(d.events.some((e) => e.type === 'apply-start')).toBe(false);
  });
});
