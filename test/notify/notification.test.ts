import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/secrets/redactor.js';
import {
  notificationOfDrift,
  notificationOfPushFailure,
  notificationOfStart,
  notificationsFromApply,
  type NotificationContext,
} from '../../src/notify/notification.js';
import { appliedResult, failedJobResult, SHA, unschedulableResult } from './fixtures.js';

const identity = (s: string): string => s;
const ctx: NotificationContext = {
  commit: { sha: SHA, subject: 'Migrate the orders table', author: 'Ada' },
  trigger: 'commit',
  time: '2026-12-04T10:00:09.500Z',
  webViewUrl: 'https://kubemin.example.com/',
  scrub: identity,
};

describe('notificationsFromApply', () => {
  it('a failed Job: the failure names the Job, its reason, its cause and its source line', () => {
    const [n, ...rest] = notificationsFromApply(failedJobResult(), ctx);
    expect(rest).toEqual([]);
    expect(n).toMatchObject({
      kind: 'apply.failed',
      outcome: 'failed',
      app: 'shop',
      environment: 'production',
      key: 'production/shop',
      namespace: 'shop-prod',
      time: '2026-12-04T10:00:09.500Z',
      trigger: 'commit',
      commit: { sha: SHA, subject: 'Migrate the orders table', author: 'Ada' },
      link: 'https://kubemin.example.com/apps/production/shop',
      failure: {
        phase: '01-migrate',
        object: 'Job shop-prod/migrate',
        reason: 'BackoffLimitExceeded',
        cause: 'Job has reached the specified backoff limit',
        source: 'kubemin.yaml:42',
      },
      durations: {
        totalMs: 9500,
        phases: [
          { phase: '00-namespace', outcome: 'ready', durationMs: 4000 },
          { phase: '01-migrate', outcome: 'failed', durationMs: 4000 },
        ],
      },
    });
    expect(n!.summary).toBe(
      'production/shop: failed 3f2a9c1d4b5e "Migrate the orders table" in 9.5s: 01-migrate: Job shop-prod/migrate BackoffLimitExceeded: Job has reached the specified backoff limit (kubemin.yaml:42)',
    );
    expect(n!.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the id is the same for the same apply, whatever the time it is built at, and differs for another apply', () => {
    const a = notificationsFromApply(failedJobResult(), ctx)[0]!;
    const again = notificationsFromApply(failedJobResult(), { ...ctx, time: '2026-12-04T10:05:00.000Z' })[0]!;
    const other = notificationsFromApply({ ...failedJobResult(), startedAt: '2026-12-04T10:10:00.000Z' }, ctx)[0]!;
    expect(again.id).toBe(a.id);
    expect(other.id).not.toBe(a.id);
  });

  it('an unschedulable phase is a rejection', () => {
    const [n] = notificationsFromApply(unschedulableResult(), ctx);
    expect(n).toMatchObject({
      kind: 'apply.rejected',
      outcome: 'rejected',
      failure: { phase: '00-train', object: 'Job shop-prod/train', source: 'kubemin.yaml:60' },
    });
  });

  it('a success has no failure; after drift it is also drift.corrected; a dry run says nothing', () => {
    expect(notificationsFromApply(appliedResult(), ctx).map((n) => [n.kind, n.failure])).toEqual([['apply.succeeded', undefined]]);
    expect(notificationsFromApply(appliedResult(), { ...ctx, trigger: 'drift' }).map((n) => n.kind)).toEqual(['apply.succeeded', 'drift.corrected']);
    expect(notificationsFromApply({ ...appliedResult(), outcome: 'planned' }, ctx)).toEqual([]);
  });

  it('an interrupted apply, and the environment taken from the context when the result has none', () => {
    const { environment: _e, ...result } = { ...failedJobResult(), outcome: 'interrupted' as const };
    const [n] = notificationsFromApply(result, { ...ctx, environment: 'staging' });
    expect(n).toMatchObject({ kind: 'apply.interrupted', environment: 'staging', key: 'staging/shop' });
  });

  it('no link without a web view URL; no environment for an app outside any', () => {
    const { environment: _e, ...result } = appliedResult();
    const { webViewUrl: _w, ...plain } = ctx;
    const [n] = notificationsFromApply(result, plain);
    expect(n!.link).toBeUndefined();
    expect(n!.environment).toBeUndefined();
    expect(n!.key).toBe('shop');
  });

  it('a secret value in a cause or a commit subject is masked everywhere', () => {
    const redactor = new Redactor();
    redactor.add('Zq8hunter2value');
    const [n] = notificationsFromApply(failedJobResult('login refused for Zq8hunter2value'), {
      ...ctx,
      commit: { sha: SHA, subject: 'rotate Zq8hunter2value' },
      scrub: (t) => redactor.scrub(t),
    });
    const text = JSON.stringify(n);
    expect(text).not.toContain('hunter2');
    expect(n!.failure!.cause).toBe('login refused for ***');
    expect(n!.commit.subject).toBe('rotate ***');
  });
});

describe('the other events', () => {
  it('apply.started: the id follows the start time', () => {
    const n = notificationOfStart({ app: 'shop', environment: 'production', namespace: 'shop-prod', startedAt: '2026-12-04T10:00:00.000Z' }, ctx);
    expect(n).toMatchObject({ kind: 'apply.started', outcome: 'started', summary: 'production/shop: applying 3f2a9c1d4b5e "Migrate the orders table"' });
    const later = notificationOfStart({ app: 'shop', environment: 'production', namespace: 'shop-prod', startedAt: '2026-12-04T10:30:00.000Z' }, ctx);
    expect(later.id).not.toBe(n.id);
  });

  it('drift.found names the objects, sorted', () => {
    const n = notificationOfDrift({ app: 'shop', namespace: 'shop', objects: ['Service shop/web', 'Deployment shop/web'] }, ctx);
    expect(n).toMatchObject({ kind: 'drift.found', outcome: 'drifted', drifted: ['Deployment shop/web', 'Service shop/web'] });
    expect(n.summary).toBe('shop: 2 objects drifted from 3f2a9c1d4b5e "Migrate the orders table": Deployment shop/web, Service shop/web');
  });

  it('status.push-failed carries the cause, scrubbed', () => {
    const n = notificationOfPushFailure(
      { app: 'shop', namespace: 'shop', startedAt: '2026-12-04T10:00:00.000Z', cause: 'push to https://x:tok3n-value@git.example.com refused' },
      { ...ctx, scrub: (t) => t.replaceAll('tok3n-value', '***') },
    );
    expect(n.kind).toBe('status.push-failed');
    expect(n.summary).toContain('push to https://x:***@git.example.com refused');
  });
});

describe('masking', () => {
  it('every text of every event passes through scrub (ids, times, kinds, shas and numbers aside)', () => {
    const mark = (t: string): string => `«${t}»`;
    const marked = { ...ctx, scrub: mark };
    const all = [
      ...notificationsFromApply(failedJobResult(), marked),
      ...notificationsFromApply(appliedResult(), { ...marked, trigger: 'drift' }),
      notificationOfStart({ app: 'shop', environment: 'production', namespace: 'shop-prod', startedAt: '2026-12-04T10:00:00.000Z' }, marked),
      notificationOfDrift({ app: 'shop', namespace: 'shop', objects: ['Deployment shop/web'] }, marked),
      notificationOfPushFailure({ app: 'shop', namespace: 'shop', startedAt: '2026-12-04T10:00:00.000Z', cause: 'refused' }, marked),
    ];
    const unmasked: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (typeof v === 'string') {
        if (!(v.startsWith('«') && v.endsWith('»'))) unmasked.push(`${at}=${v}`);
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${at}/${k}`);
    };
    for (const n of all) walk(n, n.kind);
    const exempt = /\/(id|kind|time|outcome|trigger|sha|durations\/phases\/\d+\/outcome)$/;
    expect(unmasked.filter((u) => !exempt.test(u.split('=')[0]!))).toEqual([]);
    expect(unmasked.length).toBeGreaterThan(0);
  });
});
