import { beforeEach, describe, expect, it, vi } from 'vitest';
import { noticeRepoPluginConfigs } from '../../../src/plugins/repo-config-notice.js';
import { GitRepo, type GitRepoOptions } from '../../../src/watch/git/repo.js';
import { GitSource } from '../../../src/watch/git-source.js';
import { statusPath, type StatusReport } from '../../../src/watch/status-report.js';
import { RemoteFixture } from './remote-fixture.js';

/** Every git process the daemon's code starts, by its arguments: the history must not start one per version. */
const spawned = vi.hoisted(() => [] as string[][]);
vi.mock('../../../src/watch/git/spawn-git.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/watch/git/spawn-git.js')>();
  return {
    ...original,
    spawnGit: (opts: Parameters<typeof original.spawnGit>[0]) => {
      spawned.push([...opts.args]);
      return original.spawnGit(opts);
    },
  };
});

const AUTHOR = { name: 'kubemin watch', email: 'watch@kubemin.invalid' };

let fx: RemoteFixture;
let specs: string;

beforeEach(() => {
  fx = new RemoteFixture();
  specs = fx.commit('add the shop', { 'apps/shop/kubemin.yaml': 'shop: 1\n' });
});

async function open(overrides: Partial<GitRepoOptions> = {}): Promise<{ repo: GitRepo; source: GitSource }> {
  const repo = await GitRepo.open({ url: fx.remote, branch: 'main', workDir: fx.workDir(), author: AUTHOR, backoffMs: 1, ...overrides });
  return { repo, source: new GitSource(repo, { url: fx.remote, branch: 'main', path: '' }) };
}

/** The n-th apply of an app: its own commit, times and digest, so that no two reports are alike. */
function report(app: string, n: number, opts: { environment?: string; outcome?: 'applied' | 'failed' } = {}): StatusReport {
  const at = (s: number): string => `2026-12-04T10:${String(n).padStart(2, '0')}:${String(s).padStart(2, '0')}.000Z`;
  return {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Status',
    app,
    ...(opts.environment ? { environment: opts.environment } : {}),
    namespace: app,
    commit: String(n).repeat(40).slice(0, 40),
    trigger: 'commit',
    outcome: opts.outcome ?? 'applied',
    startedAt: at(0),
    finishedAt: at(n),
    bundleDigest: `sha256:${app}-${n}`,
    phases: [{ phase: '01-app', outcome: 'ready', durationMs: n * 1000, attempts: 1, objects: [], reasons: [] }],
    pruned: [],
    jobs: [{ object: `Job ${app}/migrate`, component: 'migrate', startedAt: at(0), completedAt: at(1), attempts: 1, outcome: 'succeeded' }],
    lastFailure: null,
  };
}

const digests = (reports: readonly StatusReport[]): string[] => reports.map((r) => r.bundleDigest);

describe('GitSource: the history of status reports', () => {
  it('gives the last versions of an app report, newest first, up to the limit; none for an app without reports', async () => {
    const { source } = await open();
    for (const n of [1, 2, 3]) {
      await source.writeStatus(report('shop', n));
      await source.writeStatus(report('cart', n));
    }
    // Someone else's commit on the branch, between the reports, is not a version of them.
    fx.commitOnRemoteTip('a change of the specs', { 'apps/shop/kubemin.yaml': 'shop: 2\n' });
    await source.poll();
    await source.writeStatus(report('shop', 4));

    expect(digests(await source.statusHistory('shop', 10))).toEqual(['sha256:shop-4', 'sha256:shop-3', 'sha256:shop-2', 'sha256:shop-1']);
    expect(digests(await source.statusHistory('shop', 2))).toEqual(['sha256:shop-4', 'sha256:shop-3']);
    expect(digests(await source.statusHistory('cart', 10))).toEqual(['sha256:cart-3', 'sha256:cart-2', 'sha256:cart-1']);
    expect(await source.statusHistory('shop', 0)).toEqual([]);
    expect(await source.statusHistory('shop', Number.NaN)).toEqual([]);
    expect(await source.statusHistory('shop', Infinity)).toHaveLength(4);
    expect(await source.statusHistory('billing', 10)).toEqual([]);
    // The key is a file name, not a pattern: the versions of `s*` are its own, not those of shop's report.
    await source.writeStatus(report('s*', 5));
    await source.writeStatus(report('shop', 5));
    expect(digests(await source.statusHistory('s*', 10))).toEqual(['sha256:s*-5']);
    // Each version reads back as it was written, jobs included; the newest is readStatus's.
    const [newest] = await source.statusHistory('shop', 1);
    expect(newest).toEqual(report('shop', 5));
    expect(await source.readStatus('shop')).toEqual(newest);
  });

  it('keeps the reports of two environments (and of no environment) apart', async () => {
    const { source } = await open();
    await source.writeStatus(report('shop', 1, { environment: 'production' }));
    await source.writeStatus(report('shop', 2, { environment: 'staging' }));
    await source.writeStatus(report('shop', 3, { environment: 'production', outcome: 'failed' }));
    await source.writeStatus(report('shop', 4));

    const production = await source.statusHistory('production/shop', 10);
    expect(digests(production)).toEqual(['sha256:shop-3', 'sha256:shop-1']);
    expect(production.map((r) => [r.environment, r.outcome])).toEqual([
      ['production', 'failed'],
      ['production', 'applied'],
    ]);
    expect(digests(await source.statusHistory('staging/shop', 10))).toEqual(['sha256:shop-2']);
    expect(digests(await source.statusHistory('shop', 10))).toEqual(['sha256:shop-4']);
  });

  it('skips a version that is not a report (the limit counts versions: fewer reports come back)', async () => {
    const { source } = await open();
    await source.writeStatus(report('shop', 1));
    fx.commitOnRemoteTip('hand edit', { [statusPath('shop')]: 'kind: Status\napp: [shop\n' });
    await source.poll();
    expect(await source.statusHistory('shop', 10)).toHaveLength(1);
    await source.writeStatus(report('shop', 2));
    // A report missing its phases is no report either.
    fx.commitOnRemoteTip('hand edit', { [statusPath('shop')]: 'kind: Status\napp: shop\nbundleDigest: x\n' });
    await source.poll();
    await source.writeStatus(report('shop', 3));

    expect(digests(await source.statusHistory('shop', 10))).toEqual(['sha256:shop-3', 'sha256:shop-2', 'sha256:shop-1']);
    expect(digests(await source.statusHistory('shop', 2))).toEqual(['sha256:shop-3']);
  });

  it('reads the status branch, not the watched one; none before it exists', async () => {
    const { source } = await open({ statusBranch: 'kubemin/status' });
    expect(await source.statusHistory('shop', 10)).toEqual([]);
    await source.writeStatus(report('shop', 1));
    await source.writeStatus(report('shop', 2));
    expect(digests(await source.statusHistory('shop', 10))).toEqual(['sha256:shop-2', 'sha256:shop-1']);
    expect(fx.remoteGit('log', '--format=%s', 'main')).toBe('add the shop');
  });

  it('starts as many git processes for 12 versions as for 1: one log, one batched read', async () => {
    const { source } = await open();
    await source.writeStatus(report('shop', 1));
    spawned.length = 0;
    expect(await source.statusHistory('shop', 20)).toHaveLength(1);
    const one = spawned.splice(0);
    for (let n = 2; n <= 12; n++) await source.writeStatus(report('shop', n));
    spawned.length = 0;
    expect(await source.statusHistory('shop', 20)).toHaveLength(12);
    const twelve = spawned.splice(0);
    expect(twelve.length).toBe(one.length);
    expect(twelve.filter((args) => args.includes('log'))).toHaveLength(1);
    expect(twelve.filter((args) => args.includes('cat-file'))).toHaveLength(1);
  });
});

describe('GitSource: who made a revision', () => {
  it('tells subject, author and time, asking git once per commit; undefined for a commit the clone does not have', async () => {
    const { source } = await open();
    spawned.length = 0;
    const info = await source.revisionInfo(specs);
    expect(info).toMatchObject({ subject: 'add the shop', authorName: 'Seeder', authorEmail: 'seeder@example.com' });
    expect(info!.time).toBeInstanceOf(Date);
    const asked = spawned.length;
    expect(asked).toBeGreaterThan(0);
    expect(await Promise.all([source.revisionInfo(specs), source.revisionInfo(specs)])).toEqual([info, info]);
    expect(spawned.length).toBe(asked);
    expect(await source.revisionInfo('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    // Not remembered as missing: a commit fetched later is found.
    const later = fx.commit('later', { 'apps/shop/kubemin.yaml': 'shop: 3\n' });
    expect(await source.revisionInfo(later)).toBeUndefined();
    await source.poll();
    expect(await source.revisionInfo(later)).toMatchObject({ subject: 'later' });
  });

  it('the plugin-config notice passes history and revision info through', async () => {
    const { source } = await open();
    await source.writeStatus(report('shop', 1));
    const wrapped = noticeRepoPluginConfigs(
      source,
      async () => false,
      () => undefined,
    );
    expect(digests(await wrapped.statusHistory('shop', 5))).toEqual(['sha256:shop-1']);
    expect(await wrapped.revisionInfo(specs)).toMatchObject({ subject: 'add the shop' });
  });
});
