import { describe, expect, it } from 'vitest';
import { autoscaledWorkloads, replicasStep } from '../../src/cluster/replicas-handover.js';
import { FIELD_MANAGER, serverSideApply } from '../../src/cluster/server-side-apply.js';
import { ClusterError, type ApplyCallOptions, type ClusterClient } from '../../src/cluster/types.js';
import { refOf } from '../../src/k8s/object-ref.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { compileApp } from '../helpers/spec.js';

const deployment = (spec: Record<string, unknown>, managedFields?: unknown[]): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', ...(managedFields ? { managedFields } : {}) } as K8sObject['metadata'],
  spec: { selector: { matchLabels: { a: 'b' } }, ...spec },
});
const owns = (manager: string, operation = 'Apply') => ({ manager, operation, fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:selector': {} } } });
const other = (manager: string) => ({ manager, operation: 'Apply', fieldsV1: { 'f:spec': { 'f:template': {} } } });
const opts = (minReplicas: number | undefined) => ({ minReplicas, fieldManager: FIELD_MANAGER });

describe('replicas of an autoscaled workload', () => {
  it("finds the workloads the bundle's autoscalers scale, with their minReplicas", () => {
    const { apps, diagnostics } = compileApp({
      components: [
        { name: 'web', type: 'webservice', image: 'w:1', traits: { autoscale: { minReplicas: 3, maxReplicas: 5 } } },
        { name: 'db', type: 'store', image: 'd:1', replicas: 2, traits: { autoscale: { maxReplicas: 4 } } },
        { name: 'plain', type: 'worker', image: 'p:1', replicas: 2 },
      ],
    });
    expect(diagnostics).toEqual([]);
    const objects = apps[0]!.phases.flatMap((p) => p.objects.map((o) => o.object));
    expect(Object.fromEntries(autoscaledWorkloads(objects))).toEqual({ 'apps/Deployment/ns/web': 3, 'apps/StatefulSet/ns/db': 2 });
    // The workloads themselves leave replicas out.
    expect(
      objects.filter((o) => o.kind !== 'HorizontalPodAutoscaler' && (o.spec as { replicas?: number }).replicas !== undefined).map((o) => o.metadata.name),
    ).toEqual(['plain']);
  });

  it('starts a new one at minReplicas, hands over a count kubemin owns, takes back one kubemin-initial holds, and else does nothing', () => {
    const bundled = deployment({});
    expect(replicasStep(bundled, undefined, opts(3))).toEqual({ step: 'start', replicas: 3 });
    expect(replicasStep(bundled, deployment({ replicas: 2 }, [owns('kubemin')]), opts(3))).toEqual({ step: 'hand-over', replicas: 2 });
    // Scaled by the autoscaler since (an update took the count over), or held by kubemin-initial: nothing to do.
    expect(replicasStep(bundled, deployment({ replicas: 5 }, [other('kubemin'), owns('kube-controller-manager', 'Update')]), opts(3))).toEqual({
      step: 'none',
    });
    expect(replicasStep(bundled, deployment({ replicas: 3 }, [other('kubemin'), owns('kubemin-initial')]), opts(3))).toEqual({ step: 'none' });
    // Not autoscaled: kubemin's ordinary apply.
    expect(replicasStep(bundled, undefined, opts(undefined))).toEqual({ step: 'none' });
    const fixed = deployment({ replicas: 4 });
    expect(replicasStep(fixed, deployment({ replicas: 3 }, [other('kubemin'), owns('kubemin-initial')]), opts(undefined))).toEqual({
      step: 'take-back',
      replicas: 4,
    });
    expect(replicasStep(fixed, deployment({ replicas: 3 }, [owns('kubemin')]), opts(undefined))).toEqual({ step: 'none' });
  });
});

/** A cluster of one object that applies by merging spec fields, recording each request. */
function fakeCluster(initial: K8sObject | undefined, conflictFor: string[] = []): { client: ClusterClient; calls: string[] } {
  let stored = initial;
  const calls: string[] = [];
  const client = {
    requests: 0,
    async get() {
      calls.push('get');
      return stored;
    },
    async apply(o: K8sObject, a: ApplyCallOptions) {
      calls.push(`apply ${a.fieldManager}${a.dryRun ? ' dry-run' : ''} ${JSON.stringify(o.spec ?? {})}`);
      if (conflictFor.includes(a.fieldManager)) throw new ClusterError(refOf(o), 'Conflict', 'conflict with "kube-controller-manager"');
      const spec = { replicas: 1, ...(stored?.spec as object | undefined), ...(o.spec as object | undefined) };
      const after = { ...o, metadata: { ...o.metadata }, spec };
      if (!a.dryRun) stored = after;
      return after;
    },
  } as unknown as ClusterClient;
  return { client, calls };
}

describe('serverSideApply of an autoscaled workload (requests)', () => {
  const bundled = deployment({});
  const sel = '"selector":{"matchLabels":{"a":"b"}}';

  it('creates it, then sets minReplicas as kubemin-initial: 3 requests', async () => {
    const { client, calls } = fakeCluster(undefined);
    const r = await serverSideApply(client, bundled, { dryRun: false, conflicts: 'fail', minReplicas: 3 });
    expect(calls).toEqual(['get', `apply kubemin {${sel}}`, 'apply kubemin-initial {"replicas":3}']);
    expect(r.action).toBe('created');
    expect((r.result.spec as { replicas: number }).replicas).toBe(3);
  });

  it('hands over the running count before kubemin lets go of it: 3 requests', async () => {
    const { client, calls } = fakeCluster(deployment({ replicas: 2 }, [owns('kubemin')]));
    await serverSideApply(client, bundled, { dryRun: false, conflicts: 'fail', minReplicas: 1 });
    expect(calls).toEqual(['get', 'apply kubemin-initial {"replicas":2}', `apply kubemin {${sel}}`]);
  });

  it('takes the count back in 4 requests, ending with kubemin-initial applying nothing', async () => {
    const { client, calls } = fakeCluster(deployment({ replicas: 3 }, [other('kubemin'), owns('kubemin-initial')]));
    await serverSideApply(client, deployment({ replicas: 4 }), { dryRun: false, conflicts: 'fail' });
    expect(calls).toEqual(['get', 'apply kubemin-initial {"replicas":4}', `apply kubemin {${sel},"replicas":4}`, 'apply kubemin-initial {}']);
  });

  it('leaves a count another manager owns to it (the autoscaler scaled in between)', async () => {
    const { client, calls } = fakeCluster(deployment({ replicas: 2 }, [owns('kubemin')]), ['kubemin-initial']);
    const r = await serverSideApply(client, bundled, { dryRun: false, conflicts: 'fail', minReplicas: 1 });
    expect(calls).toEqual(['get', 'apply kubemin-initial {"replicas":2}', `apply kubemin {${sel}}`]);
    expect(r.action).toBe('unchanged');
  });

  it('dry-runs in 2 requests, showing the count the applies would leave', async () => {
    const created = fakeCluster(undefined);
    const c = await serverSideApply(created.client, bundled, { dryRun: true, conflicts: 'report', minReplicas: 3 });
    expect(created.calls).toEqual(['get', `apply kubemin dry-run {${sel}}`]);
    expect((c.result.spec as { replicas: number }).replicas).toBe(3);

    const handed = fakeCluster(deployment({ replicas: 2 }, [owns('kubemin')]));
    const h = await serverSideApply(handed.client, bundled, { dryRun: true, conflicts: 'report', minReplicas: 1 });
    expect(handed.calls).toHaveLength(2);
    expect(h.action).toBe('unchanged');

    // A take-back dry-runs the live count (no conflict with kubemin-initial), and shows the new one.
    const back = fakeCluster(deployment({ replicas: 3 }, [other('kubemin'), owns('kubemin-initial')]));
    const b = await serverSideApply(back.client, deployment({ replicas: 4 }), { dryRun: true, conflicts: 'report' });
    expect(back.calls).toEqual(['get', `apply kubemin dry-run {"replicas":3,${sel}}`]);
    expect((b.result.spec as { replicas: number }).replicas).toBe(4);
  });
});
