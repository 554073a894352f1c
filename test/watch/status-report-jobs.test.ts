import { describe, expect, it } from 'vitest';
import type { AppApplyResult } from '../../src/apply/types.js';
import type { ClusterClient } from '../../src/cluster/types.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { JobObserver } from '../../src/watch/job-observer.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { buildStatusReport, emitStatusReport, parseStatusReport, type StatusJob } from '../../src/watch/status-report.js';

/** The Jobs of an apply in its status report: as the JobObserver last saw them through the apply's client. */

const result: AppApplyResult = {
  app: 'etl',
  namespace: 'etl',
  outcome: 'applied',
  startedAt: '2026-12-04T10:00:00.000Z',
  finishedAt: '2026-12-04T10:00:30.000Z',
  durationMs: 30_000,
  phases: [],
  pruned: [],
  failure: null,
  warnings: [],
};
const ctx = { commit: 'a'.repeat(40), trigger: 'commit' as const, bundleDigest: 'sha256:abc' };

const migrate: StatusJob = {
  object: 'Job etl/migrate',
  component: 'migrate',
  startedAt: '2026-12-04T10:00:01Z',
  completedAt: '2026-12-04T10:00:20Z',
  attempts: 2,
  outcome: 'succeeded',
};
const seed: StatusJob = { object: 'Job etl/seed', component: null, startedAt: '2026-12-04T10:00:02Z', completedAt: null, attempts: 1, outcome: 'running' };

describe('status reports: jobs', () => {
  it('are sorted by object and emitted in one field order, whatever the order and shape they came in', () => {
    const a = emitStatusReport(buildStatusReport(result, { ...ctx, jobs: [seed, migrate] }));
    const shuffled = {
      outcome: seed.outcome,
      attempts: seed.attempts,
      completedAt: null,
      startedAt: seed.startedAt,
      component: null,
      object: seed.object,
      extra: 'x',
    };
    const b = emitStatusReport(buildStatusReport(result, { ...ctx, jobs: [migrate, shuffled as StatusJob] }));
    expect(b).toBe(a);
    expect(a).toContain(
      [
        'jobs:',
        '  - object: Job etl/migrate',
        '    component: migrate',
        '    startedAt: "2026-12-04T10:00:01Z"',
        '    completedAt: "2026-12-04T10:00:20Z"',
        '    attempts: 2',
        '    outcome: succeeded',
        '  - object: Job etl/seed',
        '    component: null',
      ].join('\n'),
    );
    expect(parseStatusReport(a)?.jobs).toEqual([migrate, seed]);
  });

  it('are left out for an app without Jobs: the report reads as before', () => {
    const report = buildStatusReport(result, { ...ctx, jobs: [] });
    expect('jobs' in report).toBe(false);
    expect(emitStatusReport(report)).toBe(emitStatusReport(buildStatusReport(result, ctx)));
    expect(parseStatusReport(emitStatusReport(report))).toEqual(report);
  });

  it('a report without jobs (older than them) still reads; one whose jobs are not a list does not', () => {
    const old = emitStatusReport(buildStatusReport(result, ctx));
    expect(old).not.toContain('jobs');
    expect(parseStatusReport(old)?.jobs).toBeUndefined();
    expect(parseStatusReport(old)?.app).toBe('etl');
    expect(parseStatusReport(old.replace('lastFailure:', 'jobs: 3\nlastFailure:'))).toBeUndefined();
    expect(parseStatusReport(old.replace('lastFailure:', 'jobs: [7]\nlastFailure:'))).toBeUndefined();
  });
});

function job(name: string, uid: string, status: Record<string, unknown>): K8sObject {
  const metadata = { name, namespace: 'etl', uid, creationTimestamp: '2026-12-04T10:00:00Z' };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, status };
}

const running = (uid: string) => job('migrate', uid, { startTime: '2026-12-04T10:00:01Z', active: 1, failed: 1 });
const complete = (uid: string) =>
  job('migrate', uid, {
    startTime: '2026-12-04T10:00:01Z',
    completionTime: '2026-12-04T10:00:20Z',
    succeeded: 1,
    failed: 1,
    conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-12-04T10:00:21Z' }],
  });

/** A client that answers each GET with the next state of its Job, and every LIST with `listed`. */
function stubClient(states: K8sObject[], listed: K8sObject[] = []): ClusterClient {
  const refuse = (): never => {
    throw new Error('not used');
  };
  return {
    resourceFor: refuse,
    get: async () => states.shift(),
    apply: refuse,
    create: refuse,
    replace: refuse,
    list: async (_apiVersion: string, kind: string) => (kind === 'Job' ? listed : []),
    listVersioned: refuse,
    watch: refuse,
    delete: refuse,
    forgetDiscovery: () => undefined,
    requests: 0,
    close: () => undefined,
  };
}

const MIGRATE_REF = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'etl', name: 'migrate' };
const components = new Map([
  ['batch/Job/etl/migrate', 'migrate'],
  ['batch/Job/etl/seed', ''],
]);

describe('JobObserver: the Jobs an apply saw', () => {
  it('says each Job of the app as last read: times, pods started, outcome', async () => {
    const observer = new JobObserver(new WatchMetrics(), 0);
    const w = observer.watching(stubClient([running('u1'), complete('u1')]), { app: 'etl' }, components);
    await w.client.get(MIGRATE_REF);
    expect(w.seen()).toEqual([
      { object: 'Job etl/migrate', component: 'migrate', startedAt: '2026-12-04T10:00:01Z', completedAt: null, attempts: 2, outcome: 'running' },
    ]);
    await w.client.get(MIGRATE_REF);
    await w.settle();
    expect(w.seen()).toEqual([
      {
        object: 'Job etl/migrate',
        component: 'migrate',
        startedAt: '2026-12-04T10:00:01Z',
        completedAt: '2026-12-04T10:00:20Z',
        attempts: 2,
        outcome: 'succeeded',
      },
    ]);
  });

  it('an older read of a Job still running does not take back its end; a Job created anew (another uid) does', async () => {
    const observer = new JobObserver(new WatchMetrics(), 0);
    const w = observer.watching(stubClient([complete('u1'), running('u1'), running('u2')]), { app: 'etl' }, components);
    await w.client.get(MIGRATE_REF);
    await w.client.get(MIGRATE_REF);
    expect(w.seen().map((j) => j.outcome)).toEqual(['succeeded']);
    await w.client.get(MIGRATE_REF);
    expect(w.seen().map((j) => j.outcome)).toEqual(['running']);
    await w.settle();
  });

  it('a failed Job ends at its FailureTarget, its pods not counted yet among its attempts; Jobs of other apps, and other kinds, are not said; sorted by object; no component is null', async () => {
    // Read at its FailureTarget: its last pod finished, not counted yet.
    const failed = job('seed', 'u3', {
      startTime: '2026-12-04T10:00:02Z',
      failed: 2,
      uncountedTerminatedPods: { failed: ['pod-3'] },
      conditions: [
        { type: 'Failed', status: 'True', lastTransitionTime: '2026-12-04T10:00:40Z' },
        { type: 'FailureTarget', status: 'True', lastTransitionTime: '2026-12-04T10:00:35Z' },
      ],
    });
    const other = job('other', 'u4', running('u4').status as Record<string, unknown>);
    const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'migrate-x', namespace: 'etl' } };
    const observer = new JobObserver(new WatchMetrics(), 0);
    const w = observer.watching(stubClient([], [failed, other, complete('u1'), pod]), { app: 'etl' }, components);
    await w.client.list('batch/v1', 'Job', { namespace: 'etl' });
    await w.settle();
    expect(w.seen()).toEqual([
      {
        object: 'Job etl/migrate',
        component: 'migrate',
        startedAt: '2026-12-04T10:00:01Z',
        completedAt: '2026-12-04T10:00:20Z',
        attempts: 2,
        outcome: 'succeeded',
      },
      { object: 'Job etl/seed', component: null, startedAt: '2026-12-04T10:00:02Z', completedAt: '2026-12-04T10:00:35Z', attempts: 3, outcome: 'failed' },
    ]);
    // Each apply has its own: another watching() saw nothing yet.
    expect(observer.watching(stubClient([]), { app: 'etl' }, components).seen()).toEqual([]);
  });
});
