import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/k8s/types.js';
import { readinessTable } from '../../src/readiness/index.js';
import { creationVerdict } from '../../src/readiness/pod-creation.js';

// The controllers' words as the test cluster writes them (see test/apply/pod-security-apply.test.ts).
const REFUSED =
  'pods "web-667c6fbb88-svk4j" is forbidden: violates PodSecurity "restricted:v1.36": privileged (container "web" must not set securityContext.privileged=true)';
const QUOTA = 'pods "web-667c6fbb88-svk4j" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2';

const ruleFor = readinessTable();
const check = (o: K8sObject, related: K8sObject[][] = []) => ruleFor(o).check(o, related);

function obj(apiVersion: string, kind: string, fields: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): K8sObject {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'ns', ...meta }, ...fields } as K8sObject;
}

const applied = {
  generation: 1,
  uid: 'u-1',
  managedFields: [
    { manager: 'kubemin', operation: 'Apply', time: '2026-12-03T20:12:14Z' },
    { manager: 'kube-controller-manager', subresource: 'status', time: '2026-12-03T20:12:30Z' },
  ],
};
const event = (message: string, lastTimestamp: string, name = 'e1') => obj('v1', 'Event', { reason: 'FailedCreate', message, lastTimestamp }, { name });
const pod = (name: string, creationTimestamp: string) => obj('v1', 'Pod', { status: {} }, { name, creationTimestamp });

describe('pods refused at admission', () => {
  it('tells a refusal from a wait: PodSecurity, webhooks and policies refuse; quotas and missing service accounts pass', () => {
    expect(creationVerdict(REFUSED)).toBe('refused');
    expect(creationVerdict('admission webhook "policy.example.com" denied the request: no latest tags')).toBe('refused');
    expect(creationVerdict("ValidatingAdmissionPolicy 'no-root' with binding 'no-root' denied request: runs as root")).toBe('refused');
    expect(creationVerdict(QUOTA)).toBe('passing');
    expect(creationVerdict('pods "x-1" is forbidden: error looking up service account ns/web-sa: serviceaccount "web-sa" not found')).toBe('passing');
    expect(creationVerdict('Internal error occurred: resource quota evaluation timed out')).toBe('passing');
  });

  it("Deployment: its current ReplicaSet's ReplicaFailure condition fails it at once, quoting the server, with the way out", () => {
    const deployment = obj(
      'apps/v1',
      'Deployment',
      { spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1 } },
      { generation: 1, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    );
    const rs = (revision: string, message: string) =>
      obj(
        'apps/v1',
        'ReplicaSet',
        { status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }] } },
        { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': revision } },
      );
    const r = check(deployment, [[rs('2', REFUSED)], []]);
    expect(r).toMatchObject({ state: 'failed', reason: 'FailedCreate' });
    expect(r.message).toBe(
      `its pods are refused: ${REFUSED} (the namespace enforces a stricter Pod Security level than the component's podSecurity: meet it, or lower the namespace's pod-security.kubernetes.io/enforce label)`,
    );
    // An older revision's refusal is history; a quota is waited for, and said while waiting.
    expect(check(deployment, [[rs('1', REFUSED)], []]).state).toBe('progressing');
    expect(check(deployment, [[rs('2', QUOTA)], []])).toMatchObject({
      state: 'progressing',
      message: `0 of 1 replicas available; pods cannot be created yet: ${QUOTA}`,
    });
  });

  it('StatefulSet: a FailedCreate event since its last change fails it; one older than the change or than a pod is history', () => {
    const sts = obj('apps/v1', 'StatefulSet', { spec: { replicas: 1, selector: { matchLabels: { app: 'db' } } }, status: { observedGeneration: 1 } }, applied);
    expect(ruleFor(sts).related!(sts)[1]).toEqual({ apiVersion: 'v1', kind: 'Event', fieldSelector: 'involvedObject.uid=u-1,reason=FailedCreate' });
    const fresh = event(`create Pod db-0 in StatefulSet db failed error: ${REFUSED}`, '2026-12-03T20:12:17Z');
    expect(check(sts, [[], [fresh]])).toMatchObject({
      state: 'failed',
      reason: 'FailedCreate',
      message: expect.stringMatching(/^its pods are refused: pods "web-/),
    });
    expect(check(sts, [[], [event(REFUSED, '2026-12-03T20:12:13Z')]]).state).toBe('progressing');
    expect(check(sts, [[pod('db-0', '2026-12-03T20:12:20Z')], [fresh]]).state).toBe('progressing');
  });

  it('Job and DaemonSet: the latest current FailedCreate event decides', () => {
    const job = obj('batch/v1', 'Job', { spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } } }, status: {} }, applied);
    const refused = event(`Error creating: ${REFUSED}`, '2026-12-03T20:12:15Z', 'e1');
    const quota = event(`Error creating: ${QUOTA}`, '2026-12-03T20:12:16Z', 'e2');
    expect(check(job, [[], [refused]])).toMatchObject({ state: 'failed', reason: 'FailedCreate' });
    expect(check(job, [[], [refused, quota]])).toMatchObject({
      state: 'progressing',
      message: expect.stringContaining('pods cannot be created yet: pods "web-667c6fbb88-svk4j" is forbidden: exceeded quota'),
    });
    const ds = obj(
      'apps/v1',
      'DaemonSet',
      { spec: { selector: { matchLabels: { app: 'agent' } } }, status: { observedGeneration: 1, desiredNumberScheduled: 3 } },
      applied,
    );
    expect(check(ds, [[], [event(`(combined from similar events): Error creating: ${REFUSED}`, '2026-12-03T20:12:15Z')]])).toMatchObject({
      state: 'failed',
      message: expect.stringContaining(REFUSED),
    });
  });
});
