import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emitYaml } from '../../src/bundle/yaml-emit.js';
import { watchRepo, type WatchRunOptions } from '../../src/operations/watch.js';
import type { WatchEvent } from '../../src/watch/daemon.js';
import { parseStatusReport, type StatusReport } from '../../src/watch/status-report.js';
import { testCluster } from '../cluster/cluster.js';
import { tempDir } from '../helpers/cli.js';
import { git, RemoteFixture } from './git/remote-fixture.js';

/**
 * `kubemin watch` on real git repositories (a bare remote in a temp dir) and the real test
 * cluster: the daemon runs in-process, as `kubemin watch` runs it; its events say what it did.
 */

const cluster = testCluster();
const AUTHOR = { name: 'kubemin', email: 'kubemin@localhost' };

/** An app of one webservice component (`web` unless said otherwise). */
function app(name: string, ns: string, image = 'ghcr.io/acme/web:1.0', extra: Record<string, unknown> = {}, component = 'web'): string {
  return emitYaml({
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ns },
    spec: { components: [{ name: component, type: 'webservice', image, ports: [{ port: 8080 }] }], ...extra },
  } as never);
}

interface Daemon {
  readonly events: WatchEvent[];
  logs(): string;
  stop(): Promise<void>;
  url(): string;
}

function startDaemon(overrides: Partial<WatchRunOptions> & { repo?: string; dir?: string }): Daemon {
  const stop = new AbortController();
  const events: WatchEvent[] = [];
  let logs = '';
  let url = '';
  const done = watchRepo({
    branch: 'main',
    path: 'apps',
    author: AUTHOR,
    auth: {},
    intervalMs: 300,
    logFormat: 'text',
    drift: 'apply',
    prune: true,
    appConcurrency: 2,
    leaderElection: false,
    leaseNamespace: 'unused',
    leaseName: 'kubemin-watch',
    kubeconfig: cluster.kubeconfig,
    pollMs: 200,
    signal: stop.signal,
    write: (l) => void (logs += l),
    onEvent: (e) => void events.push(e),
    onListening: (u) => void (url = u),
    ...overrides,
  });
  let stopped = false;
  const daemon: Daemon = {
    events,
    logs: () => logs,
    url: () => url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stop.abort();
      await done;
    },
  };
  onTestFinished(() => daemon.stop());
  done.catch((err: unknown) => void (logs += `daemon crashed: ${(err as Error).stack}\n`));
  return daemon;
}

/** Polls until `check` gives a value (bounded by the test's timeout, with the daemon's log when it fails). */
async function until<T>(what: string, d: Daemon, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; daemon log:\n${d.logs()}`);
}

const statusOn = (fx: RemoteFixture, appName: string, rev = 'main'): StatusReport | undefined => {
  try {
    return parseStatusReport(fx.files(rev).get(`.kubemin/status/${appName}.yaml`));
  } catch {
    return undefined;
  }
};

const ended = (d: Daemon, appName: string) =>
  d.events.filter((e): e is Extract<WatchEvent, { type: 'apply-end' }> => e.type === 'apply-end' && e.app === appName);

describe('kubemin watch', { timeout: 180_000 }, () => {
  it('applies a pushed commit and commits the status back; a push during the apply loses neither', async () => {
    const ns = await cluster.newNamespace('watch-push');
    const fx = new RemoteFixture();
    const first = fx.commit('shop and blog', {
      'apps/shop/kubemin.yaml': app('shop', ns),
      'apps/blog/kubemin.yaml': app('blog', ns, 'ghcr.io/acme/blog:1', {}, 'blog'),
    });
    let racer: string | undefined;
    const d = startDaemon({
      repo: fx.remote,
      workDir: fx.workDir('daemon'),
      onEvent: (e) => {
        d.events.push(e);
        // Someone pushes an unrelated commit while the apps are being applied.
        if (e.type === 'apply-start' && !racer) racer = fx.commitOnRemoteTip('docs', { 'README.md': '# deploys\n' });
      },
    });
    const shop = await until('the status of shop on main', d, () => statusOn(fx, 'shop'));
    const blog = await until('the status of blog on main', d, () => statusOn(fx, 'blog'));
    expect(shop).toMatchObject({ app: 'shop', outcome: 'applied', commit: first, trigger: 'commit' });
    expect(blog).toMatchObject({ app: 'blog', outcome: 'applied', commit: first });
    expect(shop.phases.map((p) => p.phase)).toEqual(['01-web']);
    const log = git(fx.remote, 'log', '--format=%an <%ae>|%s', 'main').split('\n');
    expect(log).toEqual(
      expect.arrayContaining([
        `kubemin <kubemin@localhost>|kubemin: shop applied at ${first.slice(0, 7)} [skip ci]`,
        `kubemin <kubemin@localhost>|kubemin: blog applied at ${first.slice(0, 7)} [skip ci]`,
        'Seeder <seeder@example.com>|docs',
      ]),
    );
    expect(fx.files('main').get('README.md')).toBe('# deploys\n');
    const deployment = await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns]);
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:1.0');
    // Neither the unrelated commit nor the status commits are applied again.
    await until('a round on the newest commit', d, () => d.events.some((e) => e.type === 'round' && e.revision === git(fx.remote, 'rev-parse', 'main')));
    expect(ended(d, 'shop')).toHaveLength(1);
    expect(ended(d, 'blog')).toHaveLength(1);
  });

  it('says which phase failed and why; the next good commit recovers', async () => {
    const ns = await cluster.newNamespace('watch-fail');
    const fx = new RemoteFixture();
    const secret = 'hunter2-value-of-the-secret';
    const withSecret = (image: string) =>
      app('shop', ns, image, { policies: { timeout: '10m' } }).replace(
        '  components:\n',
        `  components:\n    - {name: creds, type: secret, stringData: {TOKEN: ${secret}}}\n`,
      );
    const bad = fx.commit('bad image', { 'apps/shop/kubemin.yaml': withSecret('registry.invalid/acme/web:1.0') });
    const d = startDaemon({ repo: fx.remote, workDir: fx.workDir('daemon') });
    const failed = await until('a failed status', d, () => statusOn(fx, 'shop'));
    // No workflow: creds and web share the first phase (no dependency between them).
    expect(failed).toMatchObject({ outcome: 'failed', commit: bad, lastFailure: { commit: bad, phase: '01-creds-web' } });
    expect(failed.phases[0]).toMatchObject({ phase: '01-creds-web', outcome: 'failed' });
    expect(failed.phases[0]!.reasons[0]).toMatch(
      /Deployment .*\/web .*(ImagePullBackOff|ErrImagePull): container web cannot pull image registry.invalid\/acme\/web:1.0/,
    );
    expect(d.logs()).toMatch(/error apply failed app=shop .*phase=01-creds-web/);

    const good = fx.commitOnRemoteTip('fix image', { 'apps/shop/kubemin.yaml': withSecret('ghcr.io/acme/web:1.1') });
    const recovered = await until('an applied status', d, () => statusOn(fx, 'shop')?.outcome === 'applied' && statusOn(fx, 'shop'));
    expect(recovered).toMatchObject({ commit: good, lastFailure: { commit: bad } });
    // The Secret was applied, and its value is nowhere in what the daemon wrote.
    expect(recovered.phases.flatMap((p) => p.objects.map((o) => o.object))).toContain(`Secret ${ns}/creds`);
    for (const text of [d.logs(), fx.files('main').get('.kubemin/status/shop.yaml')!, git(fx.remote, 'log', '-p', '--format=%B', 'main', '--', '.kubemin')]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });

  it('applies nothing of a commit whose specs are invalid, and says where', async () => {
    const ns = await cluster.newNamespace('watch-invalid');
    const fx = new RemoteFixture();
    fx.commit('typo', { 'apps/shop/kubemin.yaml': app('shop', ns).replace('ports:', 'portz:') });
    const d = startDaemon({ repo: fx.remote, workDir: fx.workDir('daemon') });
    await until('the invalid commit logged', d, () =>
      /error invalid spec: nothing of this revision is applied .*at=apps\/shop\/kubemin.yaml:\d+:\d+/.test(d.logs()),
    );
    expect(d.events.some((e) => e.type === 'apply-start')).toBe(false);
    fx.commitOnRemoteTip('fixed', { 'apps/shop/kubemin.yaml': app('shop', ns) });
    await until('an applied status', d, () => statusOn(fx, 'shop')?.outcome === 'applied');
  });

  it('puts live objects that drifted back (drift=apply), or only reports them (drift=report)', async () => {
    const ns = await cluster.newNamespace('watch-drift');
    const fx = new RemoteFixture();
    fx.commit('shop', { 'apps/shop/kubemin.yaml': app('shop', ns) });
    const d = startDaemon({ repo: fx.remote, workDir: fx.workDir('daemon') });
    await until('shop applied', d, () => statusOn(fx, 'shop')?.outcome === 'applied');
    await cluster.kubectl(['-n', ns, 'set', 'image', 'deployment/web', 'web=ghcr.io/acme/web:hotfix']);
    await until('a re-apply for drift', d, () => ended(d, 'shop').some((e) => e.report.trigger === 'drift' && e.result.outcome === 'applied'));
    const live = await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns]);
    expect(live.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:1.0');
    await d.stop();

    const reporter = startDaemon({ repo: fx.remote, workDir: fx.workDir('reporter'), drift: 'report' });
    await until('a round', reporter, () => reporter.events.some((e) => e.type === 'round'));
    await cluster.kubectl(['-n', ns, 'set', 'image', 'deployment/web', 'web=ghcr.io/acme/web:hotfix']);
    await until('drift reported', reporter, () => reporter.events.some((e) => e.type === 'drift' && e.app === 'shop' && e.refs.length === 1));
    expect(reporter.events.some((e) => e.type === 'apply-start')).toBe(false); // its status says the bundle is applied: nothing to do
    expect(reporter.logs()).toMatch(/warn  drift app=shop objects=Deployment\/web:update/);
  });

  it('fetches at once on a push webhook, and serves health, readiness and metrics', async () => {
    const ns = await cluster.newNamespace('watch-hook');
    const fx = new RemoteFixture();
    fx.commit('shop', { 'apps/shop/kubemin.yaml': app('shop', ns) });
    const d = startDaemon({ repo: fx.remote, workDir: fx.workDir('daemon'), intervalMs: 3_600_000, listen: '127.0.0.1:0' });
    await until('shop applied', d, () => statusOn(fx, 'shop')?.outcome === 'applied');
    expect((await fetch(`${d.url()}/readyz`)).status).toBe(200);
    const next = fx.commitOnRemoteTip('v1.1', { 'apps/shop/kubemin.yaml': app('shop', ns, 'ghcr.io/acme/web:1.1') });
    expect((await fetch(`${d.url()}/hooks/git`, { method: 'POST', body: '{}' })).status).toBe(202);
    // The interval is an hour: only the webhook can have started this.
    await until('the pushed commit applied', d, () => statusOn(fx, 'shop')?.commit === next);
    const metrics = await (await fetch(`${d.url()}/metrics`)).text();
    expect(metrics).toMatch(/kubemin_applies_total\{app="shop",outcome="applied",trigger="commit"\} 2/);
    expect(metrics).toMatch(/kubemin_commit_to_applied_seconds_count\{app="shop"\} 2/);
    expect(metrics).toMatch(/kubemin_last_applied_commit_timestamp_seconds\{app="shop"\} \d+/);
    expect(metrics).toMatch(/kubemin_leader 1/);
  });

  it('stops cleanly: the apply under way ends interrupted, and its status is written', async () => {
    const ns = await cluster.newNamespace('watch-stop');
    const fx = new RemoteFixture();
    fx.commit('slow', { 'apps/shop/kubemin.yaml': app('shop', ns, 'ghcr.io/acme/web:slow') }); // Ready after 30 s
    const d = startDaemon({ repo: fx.remote, workDir: fx.workDir('daemon') });
    await until('the apply started', d, () => d.events.some((e) => e.type === 'apply-start'));
    await cluster.kubectl(['wait', '--for=create', '-n', ns, 'deployment/web', '--timeout=60s']);
    await d.stop();
    expect(statusOn(fx, 'shop')).toMatchObject({ outcome: 'interrupted', phases: [{ phase: '01-web', outcome: 'interrupted' }] });
  });

  it('local mode: applies a working tree and again when a spec is saved', async () => {
    const ns = await cluster.newNamespace('watch-dir');
    const dir = tempDir();
    mkdirSync(join(dir, 'shop'));
    writeFileSync(join(dir, 'shop', 'kubemin.yaml'), app('shop', ns));
    const d = startDaemon({ dir, intervalMs: 3_600_000, listen: '127.0.0.1:0' });
    await until('shop applied', d, () => ended(d, 'shop').length === 1);
    // A browser following the app's page while it is applied again.
    const stream = await fetch(`${d.url()}/events?page=${encodeURIComponent('/apps/shop')}`);
    const reader = stream.body!.getReader();
    let events = '';
    void (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) events += Buffer.from(r.value).toString('utf8');
    })().catch(() => undefined);
    writeFileSync(join(dir, 'shop', 'kubemin.yaml'), app('shop', ns, 'ghcr.io/acme/web:2.0'));
    await until('shop applied again', d, () => ended(d, 'shop').length === 2);
    expect(ended(d, 'shop')[1]!.result.outcome).toBe('applied');
    const live = await cluster.kubectlJson<any>(['get', 'deployment/web', '-n', ns]);
    expect(live.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/web:2.0');
    // The page heard of the second apply (its start time; the states in between may come together when the apply is quick).
    const second = ended(d, 'shop')[1]!.result.startedAt;
    await until('the page told of the second apply', d, () => events.includes(`datetime=\\"${second}\\"`) && events.includes('state state-ok\\">applied'));
    // Stopping does not wait for the browser to go away: the daemon ends its event streams.
    await d.stop();
  });
});

describe('kubemin watch, several replicas', { timeout: 180_000 }, () => {
  /** `kubemin watch` as its own process, JSON logs collected. */
  function replica(identity: string, fx: RemoteFixture, ns: string) {
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      'test/helpers/kubemin-process.ts',
      'watch',
      '--repo',
      fx.remote,
      '--branch',
      'main',
      '--path',
      'apps',
      '--work-dir',
      fx.workDir(identity),
      '--kubeconfig',
      cluster.kubeconfig,
      '--interval',
      '500ms',
      '--poll-interval',
      '200ms',
      '--log-format',
      'json',
      '--lease-namespace',
      ns,
      '--lease-duration',
      '3s',
      '--lease-renew',
      '1s',
      '--identity',
      identity,
      '--listen',
      '127.0.0.1:0',
    ]);
    let text = '';
    child.stdout.on('data', (b: Buffer) => void (text += b.toString()));
    child.stderr.on('data', (b: Buffer) => void (text += b.toString()));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    onTestFinished(async () => {
      child.kill('SIGKILL');
      await closed;
    });
    const lines = (): Array<Record<string, string>> =>
      text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, string>);
    return {
      identity,
      child,
      closed,
      lines,
      log: () => text,
      leads: () => lines().some((l) => l.msg?.startsWith('leading')),
      applied: (rev: string) => lines().filter((l) => l.msg === 'applying' && rev.startsWith(l.revision!)).length,
      /** Its web view's apps page. */
      page: async () => (await fetch(`${lines().find((l) => l.msg === 'listening')!.url}/`)).text(),
    };
  }

  it('only the holder of the Lease applies; when it is killed, another takes over', async () => {
    const ns = await cluster.newNamespace('watch-ha');
    const fx = new RemoteFixture();
    const first = fx.commit('shop', { 'apps/shop/kubemin.yaml': app('shop', ns) });
    const a = replica('replica-a', fx, ns);
    const b = replica('replica-b', fx, ns);
    const d: Daemon = { events: [], logs: () => `${a.log()}\n---\n${b.log()}`, stop: async () => undefined, url: () => '' };
    await until('the first commit applied', d, () => statusOn(fx, 'shop')?.commit === first);
    const leader = a.leads() ? a : b;
    const other = leader === a ? b : a;
    expect(other.leads()).toBe(false);
    expect(leader.applied(first) + other.applied(first)).toBe(1);
    expect(other.applied(first)).toBe(0);
    // The web view: the leader's lists the app; the standby's says who applies.
    expect(await leader.page()).toContain('<a href="/apps/shop">shop</a>');
    expect(await other.page()).toContain(`This replica is on standby: ${leader.identity} holds the lease and applies`);

    leader.child.kill('SIGKILL'); // no release: the lease has to run out
    await leader.closed;
    const second = fx.commitOnRemoteTip('v1.1', { 'apps/shop/kubemin.yaml': app('shop', ns, 'ghcr.io/acme/web:1.1') });
    await until('the other replica leading and applying the next commit', d, () => statusOn(fx, 'shop')?.commit === second);
    expect(other.leads()).toBe(true);
    expect(other.applied(second)).toBe(1);
    const taken = await other.page();
    expect(taken).not.toContain('on standby');
    expect(taken).toContain('<a href="/apps/shop">shop</a>');
    expect(statusOn(fx, 'shop')?.outcome).toBe('applied');
    const lease = await cluster.kubectlJson<any>(['get', 'lease', 'kubemin-watch', '-n', ns]);
    expect(lease.spec.holderIdentity).toBe(other.identity);
  });
});
