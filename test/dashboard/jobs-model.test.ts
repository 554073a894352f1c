import { describe, expect, it } from 'vitest';
import { jobRows, type JobRow, type JobsApp } from '../../src/dashboard/jobs-model.js';
import { jobsPage } from '../../src/dashboard/jobs-page.js';
import { renderPage } from '../../src/dashboard/page.js';
import type { K8sObject } from '../../src/k8s/types.js';

/** The Jobs view's model and page on Jobs and pods as the API server returns them. */

const NOW = Date.parse('2026-12-04T17:00:00Z');
const at = (minutesBefore: number): string => new Date(NOW - minutesBefore * 60_000).toISOString().replace('.000Z', 'Z');

const APPS: JobsApp[] = [
  { key: 'shop', app: 'shop', namespace: 'shop' },
  { key: 'prod/etl', app: 'etl', environment: 'prod', namespace: 'etl-prod' },
];

interface JobFixture {
  name: string;
  app?: string;
  namespace?: string;
  component?: string;
  created: number;
  started?: number;
  status?: Record<string, unknown>;
  spec?: Record<string, unknown>;
  cronJob?: string;
  labels?: Record<string, string>;
}

function job(f: JobFixture): K8sObject {
  const labels = f.labels ?? {
    'app.kubernetes.io/name': f.component ?? f.name.replace(/-[0-9a-f]+$/, ''),
    'app.kubernetes.io/instance': f.app ?? 'shop',
    'app.kubernetes.io/component': f.cronJob ? 'cronjob' : 'job',
    'app.kubernetes.io/managed-by': 'kubemin',
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: f.name,
      namespace: f.namespace ?? 'shop',
      uid: `uid-${f.name}`,
      labels,
      creationTimestamp: at(f.created),
      ...(f.cronJob ? { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: f.cronJob, uid: `uid-${f.cronJob}`, controller: true }] } : {}),
    } as K8sObject['metadata'],
    spec: { backoffLimit: 6, ...f.spec },
    status: { ...(f.started !== undefined ? { startTime: at(f.started) } : {}), ...f.status },
  };
}

function pod(jobObject: K8sObject, suffix: string, status: Record<string, unknown>, image = 'ghcr.io/acme/x:1'): K8sObject {
  const m = jobObject.metadata as { name: string; namespace: string; uid: string; labels: Record<string, string> };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${m.name}-${suffix}`,
      namespace: m.namespace,
      labels: { ...m.labels, 'batch.kubernetes.io/job-name': m.name, 'batch.kubernetes.io/controller-uid': m.uid },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: m.name, uid: m.uid, controller: true }],
    } as K8sObject['metadata'],
    spec: { containers: [{ name: 'main', image }] },
    status,
  };
}

const cond = (type: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type, status, ...extra });

const running = job({ name: 'migrate-1a2b3c4d', created: 10, started: 9, status: { active: 1 } });
const runningPod = pod(running, 'aaaaa', {
  phase: 'Running',
  conditions: [cond('PodScheduled', 'True')],
  containerStatuses: [{ name: 'main', restartCount: 0, state: { running: { startedAt: at(9) } } }],
});

const GPU_MESSAGE =
  '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
const queued = job({ name: 'train-5e6f7a8b', created: 20, started: 20, status: { active: 1 } });
const queuedPod = pod(queued, 'bbbbb', {
  phase: 'Pending',
  conditions: [cond('PodScheduled', 'False', { reason: 'Unschedulable', message: GPU_MESSAGE })],
});

const done = job({
  name: 'seed-0c0c0c0c',
  created: 30,
  started: 29,
  status: { succeeded: 1, completionTime: at(27), conditions: [cond('SuccessCriteriaMet', 'True'), cond('Complete', 'True', { lastTransitionTime: at(27) })] },
});

const oom = job({
  name: 'report-9d9d9d9d',
  app: 'etl',
  namespace: 'etl-prod',
  created: 60,
  started: 60,
  spec: { backoffLimit: 1 },
  status: {
    failed: 2,
    conditions: [
      cond('FailureTarget', 'True', { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: at(55) }),
      cond('Failed', 'True', { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: at(55) }),
    ],
  },
});
const oomPods = ['p1', 'p2'].map((s) =>
  pod(oom, s, {
    phase: 'Failed',
    containerStatuses: [{ name: 'main', restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(59) } } }],
  }),
);

const nightly = job({
  name: 'backup-29012345',
  created: 120,
  started: 120,
  cronJob: 'backup',
  component: 'backup',
  status: { succeeded: 1, completionTime: at(118), conditions: [cond('Complete', 'True')] },
});
const CRONJOB: K8sObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'backup', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'shop' } },
  spec: { schedule: '0 3 * * *' },
};

function rows(jobs: K8sObject[], pods: K8sObject[] = [], cronJobs: K8sObject[] = []): JobRow[] {
  return jobRows({ apps: APPS, jobs, pods, cronJobs }, NOW);
}

describe('jobRows', () => {
  it('a Job whose pod runs is running, for as long as since its start, one attempt', () => {
    expect(rows([running], [runningPod])).toEqual([
      {
        key: 'shop',
        app: 'shop',
        component: 'migrate',
        namespace: 'shop',
        name: 'migrate-1a2b3c4d',
        state: 'running',
        created: at(10),
        started: at(9),
        durationMs: 9 * 60_000,
        attempts: 1,
      },
    ]);
  });

  it('a Job whose pods the scheduler cannot place is queued, with the scheduler’s message, for as long as since its creation', () => {
    const [row] = rows([queued], [queuedPod]);
    expect(row).toMatchObject({ state: 'queued', reason: GPU_MESSAGE, durationMs: 20 * 60_000, attempts: 0, created: at(20) });
    expect(row!.started).toBeUndefined();
  });

  it('a Job without pods yet, or suspended, is queued and says so', () => {
    const fresh = job({ name: 'fresh-11111111', created: 1 });
    const suspended = job({ name: 'held-22222222', created: 2, spec: { suspend: true } });
    const out = rows([fresh, suspended]);
    expect(out.map((r) => [r.name, r.state, r.reason])).toEqual([
      ['fresh-11111111', 'queued', 'no pod created yet'],
      ['held-22222222', 'queued', expect.stringMatching(/^suspended/)],
    ]);
  });

  it('a Job whose pods are refused at admission is failed with the refusal; one whose pods cannot be created yet is queued with why', () => {
    const refused = job({ name: 'strict-33333333', created: 3, status: { active: 0 } });
    const quota = job({ name: 'quota-44444444', created: 2 });
    const event = (of: K8sObject, message: string, minutesBefore: number): K8sObject =>
      ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${of.metadata.name}.1`, namespace: 'shop', creationTimestamp: at(minutesBefore) },
        involvedObject: { kind: 'Job', name: of.metadata.name, uid: (of.metadata as unknown as { uid: string }).uid },
        reason: 'FailedCreate',
        message,
        lastTimestamp: at(minutesBefore),
      }) as K8sObject;
    const events = [
      event(refused, 'Error creating: pods "strict-33333333-x" is forbidden: violates PodSecurity "restricted:latest": privileged', 1),
      event(quota, 'Error creating: pods "quota-44444444-y" is forbidden: exceeded quota: small, requested: cpu=1, used: cpu=2, limited: cpu=2', 1),
    ];
    const out = jobRows({ apps: APPS, jobs: [refused, quota], pods: [], events }, NOW);
    expect(out.map((r) => [r.name, r.state, r.reason])).toEqual([
      [
        'quota-44444444',
        'queued',
        'pods cannot be created yet: pods "quota-44444444-y" is forbidden: exceeded quota: small, requested: cpu=1, used: cpu=2, limited: cpu=2',
      ],
      ['strict-33333333', 'failed', expect.stringContaining('its pods are refused: pods "strict-33333333-x" is forbidden: violates PodSecurity')],
    ]);
    // Another Job's events are not this one's.
    expect(jobRows({ apps: APPS, jobs: [refused], pods: [], events: [events[1]!] }, NOW)[0]!.reason).toBe('no pod created yet');
  });

  it('a Complete Job succeeded: finished at its completion time, its duration from its start', () => {
    expect(rows([done])).toEqual([expect.objectContaining({ state: 'succeeded', started: at(29), finished: at(27), durationMs: 2 * 60_000, attempts: 1 })]);
  });

  it('a Failed Job gives the Job’s reason and message and the last container exit (OOMKilled), failed at its FailureTarget', () => {
    const [row] = rows([oom], oomPods);
    expect(row).toMatchObject({
      key: 'prod/etl',
      app: 'etl',
      environment: 'prod',
      namespace: 'etl-prod',
      state: 'failed',
      finished: at(55),
      durationMs: 5 * 60_000,
      attempts: 2,
      reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit; last failure: container main exited with code 137 (OOMKilled)',
    });
  });

  it('a Job over its deadline whose pod could not pull its image says both', () => {
    const late = job({
      name: 'slow-33333333',
      created: 15,
      started: 15,
      spec: { activeDeadlineSeconds: 60 },
      status: {
        conditions: [
          cond('Failed', 'True', { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', lastTransitionTime: at(14) }),
        ],
      },
    });
    const pulling = pod(
      late,
      'ccccc',
      { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] },
      'registry.invalid/x:1',
    );
    expect(rows([late], [pulling])[0]!.reason).toBe(
      'DeadlineExceeded: Job was active longer than specified deadline; container main cannot pull image registry.invalid/x:1 (ImagePullBackOff: Back-off pulling image)',
    );
  });

  it('an active Job whose pod cannot pull its image is failed as kubemin’s readiness says, not finished', () => {
    const stuck = job({ name: 'stuck-44444444', created: 5, started: 5, status: { active: 1 } });
    const pulling = pod(
      stuck,
      'ddddd',
      { phase: 'Pending', conditions: [cond('PodScheduled', 'True')], containerStatuses: [{ name: 'main', state: { waiting: { reason: 'ErrImagePull' } } }] },
      'registry.invalid/x:1',
    );
    const [row] = rows([stuck], [pulling]);
    expect(row).toMatchObject({ state: 'failed', durationMs: 5 * 60_000, attempts: 0 });
    expect(row!.finished).toBeUndefined();
    expect(row!.reason).toMatch(/^container main cannot pull image registry.invalid\/x:1 \(ErrImagePull\) \(the Job is still active/);
  });

  it('a Job retrying in place (restartPolicy OnFailure) is running, its restarts counted as attempts, with the last failure', () => {
    const retrying = job({ name: 'flaky-55555555', created: 8, started: 8, status: { active: 1 } });
    const p = pod(retrying, 'eeeee', {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'main',
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
    });
    expect(rows([retrying], [p])[0]).toMatchObject({
      state: 'running',
      attempts: 3,
      reason: 'retrying; last failure: container main exited with code 1 (Error)',
    });
  });

  it('a CronJob’s run names its cron job and schedule', () => {
    expect(rows([nightly], [], [CRONJOB])[0]).toMatchObject({ state: 'succeeded', cronJob: 'backup', schedule: '0 3 * * *', component: 'backup' });
    expect(rows([nightly])[0]).not.toHaveProperty('schedule');
  });

  it('only the apps’ Jobs: by kubemin’s labels, the app’s instance label in its namespace; pods go with their Job by owner uid', () => {
    const foreign = job({ name: 'other-66666666', app: 'other', created: 3 });
    const wrongNamespace = job({ name: 'migrate-77777777', namespace: 'elsewhere', created: 4 });
    const unmanaged = job({ name: 'manual-88888888', created: 1, labels: { 'app.kubernetes.io/instance': 'shop' } });
    // A pod of a Job of the same name but another uid (an earlier incarnation): not this one's.
    const stale = {
      ...runningPod,
      metadata: { ...runningPod.metadata, ownerReferences: [{ kind: 'Job', name: 'migrate-1a2b3c4d', uid: 'old' }], labels: {} },
    } as K8sObject;
    expect(rows([foreign, wrongNamespace, unmanaged, running], [stale]).map((r) => [r.name, r.state, r.attempts])).toEqual([
      ['migrate-1a2b3c4d', 'running', 0],
    ]);
  });

  it('orders running, queued, failed, succeeded; newest first within; the same whatever the input order', () => {
    const older = job({ name: 'a-99999999', created: 40, started: 40, status: { completionTime: at(35), conditions: [cond('Complete', 'True')] } });
    const jobs = [done, oom, running, nightly, queued, older];
    const pods = [queuedPod, runningPod, ...oomPods];
    const expected = ['migrate-1a2b3c4d', 'train-5e6f7a8b', 'report-9d9d9d9d', 'seed-0c0c0c0c', 'a-99999999', 'backup-29012345'];
    expect(rows(jobs, pods, [CRONJOB]).map((r) => r.name)).toEqual(expected);
    expect(rows([...jobs].reverse(), [...pods].reverse(), [CRONJOB]).map((r) => r.name)).toEqual(expected);
  });
});

describe('jobsPage', () => {
  const all = rows([running, queued, done, oom, nightly], [runningPod, queuedPod, ...oomPods], [CRONJOB]);

  it('one fragment, id jobs, with a table per group, counts in the headings, rows linking to the app', () => {
    const page = jobsPage(all);
    expect(page).toMatchObject({ section: 'jobs', heading: 'Jobs', title: 'Jobs' });
    expect(page.fragments).toHaveLength(1);
    const { id, html } = page.fragments[0]!;
    expect(id).toBe('jobs');
    expect(html).toMatch(/^<div id="jobs">.*<\/div>$/s);
    expect(html.match(/<div[\s>]/g)).toHaveLength(1); // one element: the fragment's
    expect(html.match(/<table /g)).toHaveLength(4);
    expect(html.match(/<caption>/g)).toHaveLength(4);
    for (const [heading, n] of [
      ['Running', 1],
      ['Queued', 1],
      ['Failed', 1],
      ['Finished', 2],
    ] as const)
      expect(html).toContain(`>${heading} <span class="meta">(${n})</span></h2>`);
    expect(html).toContain('<a href="/apps/prod/etl">prod/etl</a>');
    expect(html).toContain('<th scope="col">Job</th>');
    expect(html).toContain('<span class="state state-bad">failed</span>');
    expect(html).toContain('<span class="state state-idle">queued</span>');
    expect(html).toContain(`<td><span>${GPU_MESSAGE}</span></td>`);
    expect(html).toContain('run of CronJob backup (<code>0 3 * * *</code>)');
    expect(html).toContain('<td class="num">2 min 00 s</td>');
    expect(html).toContain('<time datetime="2026-12-04T16:33:00Z">2026-12-04 16:33:00 UTC</time>');
  });

  it('an empty group says so in words, and the problems of the read are said', () => {
    const html = jobsPage([], { problems: ['cannot list Jobs in namespace shop: Forbidden: jobs.batch is forbidden'] }).fragments[0]!.html;
    for (const words of ['No job is running.', 'No job is queued.', 'No job failed.', 'No job has finished.']) expect(html).toContain(words);
    expect(html).not.toContain('<table');
    expect(html).toContain('<li>cannot list Jobs in namespace shop: Forbidden: jobs.batch is forbidden</li>');
  });

  it('escapes every text that comes from the cluster', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&';
    const row: JobRow = {
      key: `${hostile}/app`,
      app: hostile,
      component: hostile,
      namespace: hostile,
      name: hostile,
      cronJob: hostile,
      schedule: hostile,
      state: 'failed',
      created: hostile,
      started: hostile,
      finished: hostile,
      attempts: 1,
      reason: hostile,
    };
    const queuedRow: JobRow = { ...row, state: 'queued' };
    const html = renderPage(jobsPage([row, queuedRow], { problems: [hostile] }));
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/onerror=alert\(1\)>"/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(html).toContain(`href="/apps/${encodeURIComponent(hostile).replace(/'/g, '&#39;')}/app"`);
  });
});
