import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import { defaultLeaseName } from '../../src/operations/watch.js';
import { statusCommitMessage, statusKey, statusPath, type StatusReport } from '../../src/watch/status-report.js';
import { WatchScope, type DaemonCluster } from '../../src/watch/watch-scope.js';
import { REPO } from '../helpers/tree.js';

/** What a daemon with or without --env applies, where its reports go, and what it says about clusters. */

const app = (name: string, environment?: string, cluster?: string): CompiledApp => ({
  name,
  ...(environment ? { environment } : {}),
  ...(cluster ? { cluster } : {}),
  namespace: environment ? `${name}-${environment}` : name,
  source: { file: `apps/${name}/kubemin.yaml`, pointer: '', line: 1, col: 1 },
  phases: [],
});

const apps = [app('blog'), app('shop', 'production', 'prod-us'), app('shop', 'staging', 'staging-eu'), app('wiki', 'staging')];

describe('WatchScope', () => {
  it('with --env: the variants of that environment and the apps without any; reports under the environment', () => {
    const scope = new WatchScope('staging');
    const selected = scope.select(apps);
    expect(selected).toEqual({ ok: true, apps: [apps[0], apps[2], apps[3]], skipped: [] });
    // An app without environments is applied by every daemon of a fleet, each to its cluster: a report of each.
    expect(apps.map((a) => scope.key(a))).toEqual(['staging/blog', 'staging/shop', 'staging/shop', 'staging/wiki']);
    expect(scope.labels(apps[0]!)).toEqual({ app: 'blog', environment: 'staging' });
    const production = new WatchScope('production').select(apps);
    expect(production).toEqual({ ok: true, apps: [apps[0], apps[1]], skipped: ['wiki'] });
  });

  it('without --env: every app and variant, keyed as appKey says', () => {
    const scope = new WatchScope(undefined);
    expect(scope.select(apps)).toEqual({ ok: true, apps, skipped: [] });
    expect(apps.map((a) => scope.key(a))).toEqual(['blog', 'production/shop', 'staging/shop', 'staging/wiki']);
    expect(scope.labels(apps[0]!)).toEqual({ app: 'blog' });
    expect(scope.labels(apps[1]!)).toEqual({ app: 'shop', environment: 'production' });
  });

  it('an --env no app has is an error to log, with a did-you-mean', () => {
    expect(new WatchScope('prodution').select(apps)).toEqual({
      ok: false,
      error: '--env prodution: no application has an environment "prodution"; did you mean "production"? (environments: production, staging)',
    });
    expect(new WatchScope('staging').select([app('blog')])).toEqual({
      ok: false,
      error: '--env staging: no application here has environments (spec.environments)',
    });
  });

  it("the daemon's own cluster wins: an environment naming another context is a warning, once", () => {
    const byFlag: DaemonCluster = { context: 'staging-eu', source: 'flag' };
    const scope = new WatchScope('staging', byFlag);
    expect(scope.notices([apps[0]!, apps[2]!, apps[3]!])).toEqual([]);
    const other = new WatchScope('production', byFlag);
    const [notice, ...rest] = other.notices([apps[0]!, apps[1]!]);
    expect(rest).toEqual([]);
    expect(notice).toMatchObject({ level: 'warn', fields: { environment: 'production', cluster: 'prod-us', context: 'staging-eu' } });
    expect(notice!.message).toBe(
      'environment "production" names cluster "prod-us", but this daemon applies to context "staging-eu" (--context): it is applied there all the same; run the daemon of environment "production" with --context prod-us, or correct the environment\'s cluster',
    );
    expect(other.notices([apps[1]!])).toEqual([]); // said once
    expect(new WatchScope('production', { context: 'dev', source: 'current-context' }).notices([apps[1]!])[0]!.message).toContain(
      '(the current context of the kubeconfig)',
    );
  });

  it('in a pod, context names mean nothing: only said; without --env, applying every environment here is a warning', () => {
    const pod: DaemonCluster = { context: 'inClusterContext', source: 'in-cluster' };
    expect(new WatchScope('production', pod).notices([apps[1]!])).toEqual([
      {
        level: 'info',
        message: 'environment "production" names cluster "prod-us": applied to the cluster this daemon runs in',
        fields: { app: 'shop', environment: 'production', cluster: 'prod-us' },
      },
    ]);
    const all = new WatchScope(undefined).notices(apps);
    expect(all).toEqual([
      {
        level: 'warn',
        message: expect.stringMatching(/^no --env: the variants of every environment are applied to this cluster/),
        fields: { environments: 'production,staging' },
      },
    ]);
    expect(new WatchScope(undefined).notices([apps[0]!])).toEqual([]);
  });
});

describe('status reports of environments', () => {
  const report = { app: 'shop', environment: 'production', outcome: 'applied', commit: 'a1b2c3d4e5f6' } as StatusReport;

  it('live under .kubemin/status/<env>/, and their commits name the environment', () => {
    expect(statusKey(report)).toBe('production/shop');
    expect(statusPath(statusKey(report))).toBe('.kubemin/status/production/shop.yaml');
    expect(statusCommitMessage(report)).toBe('kubemin: production/shop applied at a1b2c3d [skip ci]');
    expect(statusKey({ app: 'blog' })).toBe('blog');
  });

  it('the daemons of two environments never share a Lease by default', () => {
    expect(defaultLeaseName(undefined)).toBe('kubemin-watch');
    expect(defaultLeaseName('production')).toBe('kubemin-watch-production');
    // deploy/kubemin.yaml says how to set --env, and which Lease its RBAC must then name.
    const deploy = readFileSync(join(REPO, 'deploy', 'kubemin.yaml'), 'utf8');
    expect(deploy).toContain('#   - --env=production\n');
    expect(deploy).toContain(`Lease ${defaultLeaseName('production')} `);
  });
});
