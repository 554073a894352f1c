import type { K8sObject } from '../k8s/types.js';
import { condition, specOf, statusOf } from './conditions.js';
import { failed, type Readiness } from './types.js';

/** Waiting reasons a kubelet reports for an image that does not pull: waiting longer will not help. */
const IMAGE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
/**
 * The scheduler's words for a pod waiting for its volumes: claims to be bound, or a claim or its
 * volume to reach the scheduler at all (a StatefulSet's controller creates the claim and the pod
 * together, the provisioner the volume just before it binds; the scheduler may see the pod first,
 * for a moment that a watch shows and a poll rarely did).
 */
const UNBOUND_CLAIMS = /unbound immediate PersistentVolumeClaims|persistentvolume(claim)? "[^"]*" not found/;
/** Waiting reasons for a container that cannot be created (e.g. a missing Secret or key). */
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { exitCode?: number; reason?: string; message?: string } };
  lastState?: { terminated?: { exitCode?: number; reason?: string; message?: string } };
}

function podName(pod: K8sObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

function containerStatuses(pod: K8sObject): ContainerStatus[] {
  const s = statusOf(pod);
  return [...((s.initContainerStatuses as ContainerStatus[] | undefined) ?? []), ...((s.containerStatuses as ContainerStatus[] | undefined) ?? [])];
}

/** Why a container failed, as the kubelet says it. */
function containerProblem(pod: K8sObject, c: ContainerStatus, crashLoops: boolean): Readiness | undefined {
  const waiting = c.state?.waiting;
  const reason = waiting?.reason;
  if (!reason) return undefined;
  const quoted = waiting?.message ? `: ${waiting.message}` : '';
  if (IMAGE_REASONS.has(reason)) {
    const image = ((specOf(pod).containers ?? []) as Array<{ name: string; image?: string }>)
      .concat(specOf(pod).initContainers ?? [])
      .find((x) => x.name === c.name)?.image;
    return failed(reason, `container ${c.name} cannot pull image ${image ?? '?'} (${reason}${quoted})`, podName(pod));
  }
  if (reason === 'CrashLoopBackOff' && crashLoops) {
    const last = c.lastState?.terminated;
    const exit = last ? `exit code ${last.exitCode ?? '?'}${last.reason ? ` (${last.reason})` : ''}` : 'it exits';
    const times = c.restartCount ? `, restarted ${c.restartCount} time${c.restartCount === 1 ? '' : 's'}` : '';
    return failed(reason, `container ${c.name} keeps crashing: ${exit}${times}`, podName(pod));
  }
  if (CONFIG_REASONS.has(reason)) return failed(reason, `container ${c.name} cannot be created (${reason}${quoted})`, podName(pod));
  return undefined;
}

/**
 * The first reason, among these pods, that waiting will not fix: a container that cannot pull
 * its image, crash-loops or cannot be created (failed), or a pod the scheduler refused
 * (unschedulable, quoting the scheduler). Pods being deleted are not looked at. Deterministic:
 * pods by name, failures before refusals. `crashLoops: false` for pods whose restarts count
 * towards a limit (a Job's), where a crash loop is a retry, not yet a failure.
 */
export function podProblem(pods: readonly K8sObject[], opts: { crashLoops?: boolean } = {}): Readiness | undefined {
  const live = pods
    .filter((p) => !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const pod of live) {
    for (const c of containerStatuses(pod)) {
      const problem = containerProblem(pod, c, opts.crashLoops ?? true);
      if (problem) return problem;
    }
  }
  for (const pod of live) {
    const scheduled = condition(pod, 'PodScheduled');
    // A StatefulSet's claim and pod are made together: until the claim is bound the scheduler says
    // the pod has unbound claims. That is a wait for the volume, not a refusal.
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' && !UNBOUND_CLAIMS.test(scheduled.message ?? '')) {
      return {
        state: 'unschedulable',
        reason: 'Unschedulable',
        message: `the scheduler cannot place it: ${scheduled.message ?? 'no node fits'}`,
        pod: podName(pod),
      };
    }
  }
  return undefined;
}

/**
 * The last non-zero container exit among these pods (Failed pods first), to explain a Job's
 * BackoffLimitExceeded: `container migrate exited with code 1 (Error)`.
 */
export function lastTermination(pods: readonly K8sObject[]): { pod: string; text: string } | undefined {
  const byName = [...pods].sort((a, b) => (a.metadata.name < b.metadata.name ? 1 : -1));
  const failedFirst = [...byName.filter((p) => statusOf(p).phase === 'Failed'), ...byName.filter((p) => statusOf(p).phase !== 'Failed')];
  for (const pod of failedFirst) {
    for (const c of containerStatuses(pod)) {
      const t = c.state?.terminated ?? c.lastState?.terminated;
      if (t && t.exitCode !== 0) {
        return {
          pod: podName(pod),
          text: `container ${c.name} exited with code ${t.exitCode ?? '?'}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message}` : ''}`,
        };
      }
    }
  }
  return undefined;
}
