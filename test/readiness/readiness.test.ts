import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/k8s/types.js';
import { builtinReadinessRules, readinessTable } from '../../src/readiness/index.js';
import { podProblem } from '../../src/readiness/pod-problems.js';
import { describeReadiness, type ReadinessRule } from '../../src/readiness/types.js';

// Status shapes as the controllers write them (checked against the test cluster in
// test/apply/apply-cluster.test.ts); here each rule's decisions, one by one.

const ruleFor = readinessTable();

function obj(apiVersion: string, kind: string, fields: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): K8sObject {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'ns', ...meta }, ...fields } as K8sObject;
}

const check = (o: K8sObject, related: K8sObject[][] = []) => ruleFor(o).check(o, related);

function pod(name: string, status: Record<string, unknown>, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}): K8sObject {
  return obj('v1', 'Pod', { spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1' }], ...spec }, status }, { name, labels });
}

const waiting = (reason: string, message = '') => ({ containerStatuses: [{ name: 'web', restartCount: 0, state: { waiting: { reason, message } } }] });

describe('readiness table', () => {
  it('gives every kind one rule, and the generic rule to kinds no rule claims', () => {
    const kinds = builtinReadinessRules.flatMap((r) => r.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(ruleFor({ apiVersion: 'example.com/v1', kind: 'Widget' }).kinds).toEqual([]);
    expect(() => readinessTable([builtinReadinessRules[0]!, builtinReadinessRules[0]!])).toThrow(/two readiness rules claim apps\/Deployment/);
  });

  it('tells kinds apart by group, not only by name', () => {
    expect(ruleFor({ apiVersion: 'apps/v1', kind: 'Deployment' })).not.toBe(ruleFor({ apiVersion: 'example.com/v1', kind: 'Deployment' }));
  });
});

describe('Deployment', () => {
  const deployment = (status: Record<string, unknown>, generation = 2, replicas = 2) =>
    obj(
      'apps/v1',
      'Deployment',
      { spec: { replicas, selector: { matchLabels: { app: 'web' } } }, status },
      { generation, annotations: { 'deployment.kubernetes.io/revision': '3' } },
    );
  const done = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 };

  it('is ready when the controller saw the spec and every replica is updated and available', () => {
    expect(check(deployment(done)).state).toBe('ready');
    expect(check(deployment({ ...done, observedGeneration: 1 })).message).toMatch(/controller to see the new spec/);
    expect(check(deployment({ ...done, updatedReplicas: 1 })).message).toBe('1 of 2 replicas updated');
    expect(check(deployment({ ...done, replicas: 3 })).message).toBe('1 old replicas still terminating');
    expect(check(deployment({ ...done, availableReplicas: 1 })).message).toBe('1 of 2 replicas available');
    expect(check(deployment({ observedGeneration: 2 }, 2, 0)).state).toBe('ready');
  });

  it('asks for its ReplicaSets and pods only by its selector', () => {
    expect(ruleFor(deployment(done)).related!(deployment(done))).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', labelSelector: 'app=web' },
      { apiVersion: 'v1', kind: 'Pod', labelSelector: 'app=web' },
    ]);
  });

  it("explains a wait by the new ReplicaSet's pods only", () => {
    const rs = (hash: string, revision: string) =>
      obj(
        'apps/v1',
        'ReplicaSet',
        {},
        { name: `web-${hash}`, labels: { 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision } },
      );
    const oldBroken = pod('web-old-1', waiting('CrashLoopBackOff'), { 'pod-template-hash': 'old' });
    const newPulling = pod('web-new-1', waiting('ImagePullBackOff', 'Back-off pulling image'), { 'pod-template-hash': 'new' });
    const r = check(deployment({ ...done, availableReplicas: 1 }), [
      [rs('old', '2'), rs('new', '3')],
      [oldBroken, newPulling],
    ]);
    expect(r).toMatchObject({ state: 'failed', reason: 'ImagePullBackOff', pod: 'ns/web-new-1' });
    const onlyOldBroken = check(deployment({ ...done, availableReplicas: 1 }), [[rs('old', '2'), rs('new', '3')], [oldBroken]]);
    expect(onlyOldBroken.state).toBe('progressing');
  });

  it('fails when its progress deadline is exceeded', () => {
    const r = check(
      deployment({
        ...done,
        availableReplicas: 0,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }],
      }),
    );
    expect(r).toMatchObject({ state: 'failed', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' });
  });
});

describe('StatefulSet and DaemonSet', () => {
  const sts = (status: Record<string, unknown>, strategy?: Record<string, unknown>) =>
    obj(
      'apps/v1',
      'StatefulSet',
      { spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, ...(strategy ? { updateStrategy: strategy } : {}) }, status },
      { generation: 1 },
    );

  it('waits for ready replicas and for a rolling update to finish', () => {
    const done = { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3, currentRevision: 'db-2', updateRevision: 'db-2' };
    expect(check(sts(done)).state).toBe('ready');
    expect(check(sts({ ...done, readyReplicas: 2 })).message).toBe('2 of 3 replicas ready');
    expect(check(sts({ ...done, currentRevision: 'db-1', updatedReplicas: 1 })).message).toBe('rolling update in progress: 1 of 3 replicas updated');
    expect(check(sts({ ...done, currentRevision: 'db-1', updatedReplicas: 1 }, { type: 'OnDelete' })).state).toBe('ready');
    expect(check(sts({ ...done, currentRevision: 'db-1', updatedReplicas: 1 }, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } })).state).toBe(
      'ready',
    );
  });

  it('explains a wait by the pods of the update revision', () => {
    const r = check(sts({ observedGeneration: 1, readyReplicas: 0, updateRevision: 'db-2', currentRevision: 'db-2' }), [
      [pod('db-0', waiting('CreateContainerConfigError', 'secret "db-auth" not found'), { 'controller-revision-hash': 'db-2' })],
    ]);
    expect(r).toMatchObject({
      state: 'failed',
      reason: 'CreateContainerConfigError',
      message: 'container web cannot be created (CreateContainerConfigError: secret "db-auth" not found)',
    });
  });

  it('DaemonSet: every scheduled pod updated and available', () => {
    const ds = (status: Record<string, unknown>) =>
      obj('apps/v1', 'DaemonSet', { spec: { selector: { matchLabels: { app: 'agent' } } }, status }, { generation: 1 });
    expect(check(ds({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 })).state).toBe('ready');
    expect(check(ds({ observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 })).message).toBe(
      '2 of 3 pods available',
    );
  });
});

describe('Job', () => {
  const job = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
    obj('batch/v1', 'Job', { spec: { backoffLimit: 2, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, ...spec }, status });
  const exited = pod('migrate-1', { phase: 'Failed', containerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 3, reason: 'Error' } } }] });

  it('is ready when Complete, and failed with its reason and the last exit when Failed', () => {
    expect(check(job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] })).message).toBe('completed (1 succeeded)');
    const r = check(
      job({
        failed: 3,
        conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }],
      }),
      [[exited]],
    );
    expect(r).toMatchObject({ state: 'failed', reason: 'BackoffLimitExceeded', pod: 'ns/migrate-1' });
    expect(describeReadiness(r)).toBe('Job has reached the specified backoff limit; last failure: container migrate exited with code 3 (Error)');
    expect(
      check(
        job({ conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }] }),
      ).reason,
    ).toBe('DeadlineExceeded');
  });

  it('counts failures against backoffLimit while running, and does not fail on its crash loops (its retries)', () => {
    const crashing = pod('migrate-2', {
      phase: 'Running',
      containerStatuses: [
        { name: 'migrate', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
      ],
    });
    const r = check(job({ active: 1, failed: 1 }), [[crashing]]);
    expect(r).toMatchObject({
      state: 'progressing',
      message: 'running: 1 active, 0 succeeded of 1, 1 failed (backoffLimit 2)',
      detail: 'container migrate exited with code 1 (Error)',
    });
  });

  it('fails at once on a pod that cannot pull its image, and is refused with the scheduler', () => {
    expect(check(job({ active: 1 }), [[pod('m-1', waiting('ErrImagePull'))]]).state).toBe('failed');
    const pending = pod('m-1', {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }],
    });
    expect(check(job({ active: 1 }), [[pending]])).toMatchObject({
      state: 'unschedulable',
      message: 'the scheduler cannot place it: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
    });
  });

  it('a suspended Job waits', () => {
    expect(check(job({}, { suspend: true })).message).toBe('suspended');
  });
});

describe('pod problems', () => {
  it('prefers a failure to a refusal, looks at pods by name and not at pods being deleted', () => {
    const unschedulable = pod('a', { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no' }] });
    const deleting = {
      ...pod('b', waiting('ImagePullBackOff')),
      metadata: { name: 'b', namespace: 'ns', deletionTimestamp: '2026-01-01T00:00:00Z' },
    } as K8sObject;
    const crash = pod('c', {
      containerStatuses: [
        { name: 'web', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
      ],
    });
    expect(podProblem([unschedulable, deleting])).toMatchObject({ state: 'unschedulable', pod: 'ns/a' });
    expect(podProblem([crash, unschedulable, deleting])).toMatchObject({
      state: 'failed',
      reason: 'CrashLoopBackOff',
      message: 'container web keeps crashing: exit code 137 (OOMKilled), restarted 4 times',
    });
    expect(podProblem([pod('d', waiting('ContainerCreating'))])).toBeUndefined();
  });

  it('waits for claims to be bound instead of calling their pod refused', () => {
    const waitingForClaim = pod('db-0', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message:
            '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
        },
      ],
    });
    expect(podProblem([waitingForClaim])).toBeUndefined();
    // Seen by a watch for a moment: the StatefulSet's pod scheduled before its claim was created.
    const claimNotYet = pod('db-0', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: persistentvolumeclaim "data-db-0" not found. not found',
        },
      ],
    });
    expect(podProblem([claimNotYet])).toBeUndefined();
    const volumeNotYet = pod('db-0', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: persistentvolume "pvc-10b2b507-4731-4d20-b3e3-567c5387ed13" not found. not found',
        },
      ],
    });
    expect(podProblem([volumeNotYet])).toBeUndefined();
  });

  it('names the image that does not pull, also in an init container', () => {
    const init = pod(
      'e',
      { initContainerStatuses: [{ name: 'fetch', state: { waiting: { reason: 'ErrImagePull', message: 'no such host' } } }] },
      {},
      { initContainers: [{ name: 'fetch', image: 'registry.invalid/fetch:2' }] },
    );
    expect(podProblem([init])!.message).toBe('container fetch cannot pull image registry.invalid/fetch:2 (ErrImagePull: no such host)');
  });
});

describe('other kinds', () => {
  it('PVC: Bound, or not blocking with WaitForFirstConsumer', () => {
    const pvc = (phase: string) => obj('v1', 'PersistentVolumeClaim', { spec: { storageClassName: 'local' }, status: { phase } });
    expect(check(pvc('Bound')).state).toBe('ready');
    expect(
      check(pvc('Pending'), [
        [{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, volumeBindingMode: 'WaitForFirstConsumer' }],
      ]).state,
    ).toBe('ready');
    expect(check(pvc('Pending'), [[]]).message).toBe('waiting for a volume of storage class local');
    expect(ruleFor(pvc('Pending')).related!(pvc('Pending'))).toEqual([
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', fieldSelector: 'metadata.name=local' },
    ]);
  });

  it('Service and Ingress: exist, or with the annotation wait for an address', () => {
    const lb = (annotations: Record<string, string>, status = {}) => obj('v1', 'Service', { spec: { type: 'LoadBalancer' }, status }, { annotations });
    expect(check(lb({})).state).toBe('ready');
    expect(check(lb({ 'kubemin.dev/wait-for-address': 'true' })).state).toBe('progressing');
    expect(check(lb({ 'kubemin.dev/wait-for-address': 'true' }, { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } })).state).toBe('ready');
  });

  it('CRD: Established; names not accepted fail', () => {
    const crd = (conditions: unknown[]) => obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { status: { conditions } });
    expect(check(crd([{ type: 'Established', status: 'True' }])).state).toBe('ready');
    expect(check(crd([])).state).toBe('progressing');
    expect(check(crd([{ type: 'NamesAccepted', status: 'False', reason: 'MultipleNamesNotAllowed', message: 'x' }])).state).toBe('failed');
  });

  it('Namespace: Active; Terminating waits', () => {
    expect(check(obj('v1', 'Namespace', { status: { phase: 'Active' } })).state).toBe('ready');
    expect(check(obj('v1', 'Namespace', { status: { phase: 'Terminating' } })).state).toBe('progressing');
  });

  it('other kinds: observedGeneration, then Ready or Available, else exists', () => {
    const widget = (status: Record<string, unknown>) => obj('example.com/v1', 'Widget', { status }, { generation: 2 });
    expect(check(widget({})).state).toBe('ready');
    expect(check(widget({ observedGeneration: 1 })).state).toBe('progressing');
    expect(check(widget({ observedGeneration: 2, conditions: [{ type: 'Ready', status: 'False', reason: 'Reconciling', message: 'almost' }] })).message).toBe(
      'Ready is False (Reconciling): almost',
    );
    expect(check(widget({ observedGeneration: 2, conditions: [{ type: 'Available', status: 'True' }] })).state).toBe('ready');
  });

  it('kinds that only need to exist', () => {
    for (const [apiVersion, kind] of [
      ['batch/v1', 'CronJob'],
      ['v1', 'ConfigMap'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['rbac.authorization.k8s.io/v1', 'Role'],
    ] as const) {
      const rule: ReadinessRule = ruleFor({ apiVersion, kind });
      expect(rule.check(obj(apiVersion, kind), []).state).toBe('ready');
    }
  });
});
