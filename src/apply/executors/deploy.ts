import type { BundleObject, BundlePhase } from '../../compile.js';
import { mapBounded } from '../../cluster/bounded.js';
import { formatObjectProblem } from '../../k8s/object-ref.js';
import { autoscaledWorkloads } from '../../cluster/replicas-handover.js';
import { applyIsNoop } from '../../cluster/apply-is-noop.js';
import { FIELD_MANAGER, serverSideApply } from '../../cluster/server-side-apply.js';
import { ClusterError } from '../../cluster/types.js';
import { refKey, refOf } from '../../k8s/object-ref.js';
import type { K8sObject } from '../../k8s/types.js';
import { formatSourceRef } from '../../load/source.js';
import { kindRank } from '../../plan/kind-order.js';
import { describeReadiness, type Readiness } from '../../readiness/types.js';
import type { ObjectResult } from '../types.js';
import { waitForReady, type WaitOptions } from '../wait-for-ready.js';
import { checkGpus } from './gpu-preflight.js';
import type { PhaseContext, PhaseRun, StepExecutor } from './types.js';

const sourceOf = (o: BundleObject): string => formatSourceRef({ file: o.source.file, line: o.source.line });

function result(o: BundleObject, fields: Pick<ObjectResult, 'action' | 'state' | 'message'> & Partial<Pick<ObjectResult, 'reason' | 'pod'>>): ObjectResult {
  return { ref: refOf(o.object), component: o.component ?? null, source: sourceOf(o), ...fields };
}

/**
 * Server-side apply of a phase's objects: kinds in apply order (namespaces, CRDs, config and
 * identities before workloads), each kind's objects `concurrency` at once. Stops after the
 * first kind with a refused object: what depends on it is not applied.
 */
async function applyObjects(
  phase: BundlePhase,
  ctx: PhaseContext,
): Promise<{ results: Map<BundleObject, ObjectResult>; applied: Map<string, K8sObject>; failed: boolean }> {
  const results = new Map<BundleObject, ObjectResult>();
  /** What the server returned for each applied object (refKey): the first readiness look. */
  const applied = new Map<string, K8sObject>();
  const ranks = [...new Set(phase.objects.map((o) => kindRank(o.object.kind)))].sort((a, b) => a - b);
  let failed = false;
  const crds: BundleObject[] = [];
  const scaled = autoscaledWorkloads(ctx.app.phases.flatMap((p) => p.objects.map((o) => o.object)));
  for (const rank of ranks) {
    if (failed || ctx.signal?.aborted) break;
    if (crds.length) {
      // The kinds they define must be served before objects of those kinds can be applied.
      const established = await waitForReady(
        ctx.client,
        crds.map((o) => refOf(o.object)),
        waitOptions(ctx),
      );
      if (established.outcome !== 'ready') {
        for (const o of crds)
          results.set(
            o,
            result(o, {
              action: results.get(o)?.action ?? 'failed',
              state: 'failed',
              reason: 'NotEstablished',
              message: `the CustomResourceDefinition was not established (${established.outcome})`,
            }),
          );
        failed = true;
        break;
      }
      ctx.client.forgetDiscovery();
      crds.length = 0;
    }
    const batch = phase.objects.filter((o) => kindRank(o.object.kind) === rank);
    await mapBounded(batch, ctx.concurrency, async (o) => {
      try {
        const minReplicas = scaled.get(refKey(refOf(o.object)));
        // An autoscaled workload's count moves between managers while the app applies: read it now (replicas-handover.ts).
        const before = ctx.live && minReplicas === undefined ? { object: await ctx.live.take(refOf(o.object)) } : undefined;
        // Applied by kubemin exactly so: the apply would change nothing, and is not sent (as kapp and Flux apply only what changed).
        const r =
          before?.object && applyIsNoop(o.object, before.object, FIELD_MANAGER)
            ? { action: 'unchanged' as const, result: before.object }
            : await serverSideApply(ctx.client, o.object, {
                dryRun: false,
                conflicts: ctx.forceConflicts ? 'force' : 'fail',
                ...(before ? { live: before } : {}),
                ...(minReplicas !== undefined ? { minReplicas } : {}),
              });
        ctx.recordApplied(o);
        applied.set(refKey(refOf(o.object)), r.result);
        if (o.object.kind === 'CustomResourceDefinition') crds.push(o);
        results.set(o, result(o, { action: r.action, state: 'unknown', message: r.action }));
      } catch (err) {
        failed = true;
        const e = err instanceof ClusterError ? err : undefined;
        const hint =
          e?.reason === 'Conflict'
            ? '; another field manager owns these fields: run with --force-conflicts to take them over'
            : e?.reason === 'Invalid' && o.object.kind === 'StatefulSet' && /Forbidden: updates to statefulset spec/.test(e.message)
              ? `; a StatefulSet's other fields (e.g. volumeClaimTemplates) cannot change: delete it keeping its pods (kubectl delete statefulset ${o.object.metadata.name} --cascade=orphan) and apply again; existing claims keep their size`
              : '';
        results.set(
          o,
          result(o, {
            action: 'failed',
            state: 'failed',
            reason: e?.reason ?? 'Error',
            message: ctx.redact(`${(err as Error).message ?? String(err)}${hint}`),
          }),
        );
      }
    });
  }
  if (crds.length) ctx.client.forgetDiscovery();
  return { results, applied, failed };
}

function waitOptions(ctx: PhaseContext): WaitOptions {
  return { deadline: ctx.deadline, pollMs: ctx.pollMs, clock: ctx.clock, ruleFor: ctx.ruleFor, ...(ctx.signal ? { signal: ctx.signal } : {}) };
}

/** The built-in step: GPU preflight (unless skipped), apply, then wait until every object is ready. */
export const deployExecutor: StepExecutor = {
  stepType: 'deploy',
  async run(phase, ctx): Promise<PhaseRun> {
    if (!ctx.skipPreflight) {
      const refusal = await checkGpus(phase.objects, ctx);
      if (refusal && refusal.outcome !== 'ready') return refusal;
    }
    const { results, applied, failed } = await applyObjects(phase, ctx);
    const notApplied = (o: BundleObject): ObjectResult => results.get(o) ?? result(o, { action: 'not-applied', state: 'unknown', message: 'not applied' });
    if (failed || ctx.signal?.aborted) {
      const objects = phase.objects.map(notApplied);
      return { outcome: failed ? 'failed' : 'interrupted', objects, reasons: objects.filter((r) => r.action === 'failed').map(formatObjectProblem) };
    }
    const wait = await waitForReady(
      ctx.client,
      phase.objects.map((o) => refOf(o.object)),
      { ...waitOptions(ctx), onProgress: ctx.progress, known: applied },
    );
    const objects = phase.objects.map((o) => {
      const applied = notApplied(o);
      const seen: Readiness | undefined = wait.states.get(refKey(refOf(o.object)));
      if (!seen) return applied;
      return {
        ...applied,
        state: seen.state,
        message: ctx.redact(describeReadiness(seen)),
        ...(seen.reason ? { reason: seen.reason } : {}),
        ...(seen.pod ? { pod: seen.pod } : {}),
      };
    });
    const blocking = objects.filter((r) =>
      wait.outcome === 'timeout'
        ? r.state !== 'ready'
        : wait.outcome === 'failed'
          ? r.state === 'failed'
          : wait.outcome === 'unschedulable'
            ? r.state === 'unschedulable'
            : false,
    );
    const reasons = blocking.map((r) =>
      wait.outcome === 'timeout' ? `${formatObjectProblem(r)} (not ready when the phase timed out)` : formatObjectProblem(r),
    );
    return { outcome: wait.outcome, objects, reasons };
  },
};
