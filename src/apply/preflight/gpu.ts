import type { BundleObject } from '../../compile.js';
import { formatRef } from '../../k8s/object-ref.js';
import { type ClusterClient } from '../../cluster/types.js';
import { refOf } from '../../k8s/object-ref.js';
import { GPU_RESOURCE } from '../../expand/traits/resources.js';
import type { Container, K8sObject, PodSpec } from '../../k8s/types.js';

/** GPUs one workload asks for: `pods` pods of `perPod` GPUs each. */
export interface GpuDemand {
  readonly object: string;
  readonly component: string | null;
  readonly pods: number;
  readonly perPod: number;
}

/** A schedulable node's GPUs: what it has for pods, and what running pods hold. */
export interface NodeGpus {
  readonly name: string;
  readonly allocatable: number;
  readonly used: number;
}

export interface GpuVerdict {
  readonly fits: boolean;
  readonly needed: number;
  readonly free: number;
  readonly allocatable: number;
  /** For people: what is needed and what is available. */
  readonly message: string;
}

const count = (c: Container): number => Number.parseInt(c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE] ?? '0', 10) || 0;

/** GPUs a pod holds: its containers and native sidecars together, or its largest init container alone. */
export function podGpus(spec: PodSpec | undefined): number {
  if (!spec) return 0;
  const inits = spec.initContainers ?? [];
  const sidecars = inits.filter((c) => c.restartPolicy === 'Always').reduce((n, c) => n + count(c), 0);
  const running = spec.containers.reduce((n, c) => n + count(c), 0) + sidecars;
  const init = Math.max(0, ...inits.filter((c) => c.restartPolicy !== 'Always').map(count));
  return Math.max(running, init);
}

/** The pods a workload starts now, and their spec (CronJobs start later, DaemonSets per node: not counted). */
function podsOf(o: K8sObject): { pods: number; spec: PodSpec | undefined } | undefined {
  const spec = o.spec as Record<string, any> | undefined;
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return { pods: spec?.replicas ?? 1, spec: spec?.template?.spec };
    case 'Job': {
      const parallelism = spec?.parallelism ?? 1;
      return { pods: Math.min(parallelism, spec?.completions ?? parallelism), spec: spec?.template?.spec };
    }
    case 'Pod':
      return { pods: 1, spec: spec as PodSpec | undefined };
    default:
      return undefined;
  }
}

/** What the objects' pods will ask for, workload by workload (only those asking for GPUs). */
export function gpuDemand(objects: readonly BundleObject[]): GpuDemand[] {
  const out: GpuDemand[] = [];
  for (const o of objects) {
    const p = podsOf(o.object);
    const perPod = p ? podGpus(p.spec) : 0;
    if (p && perPod > 0 && p.pods > 0) out.push({ object: formatRef(refOf(o.object)), component: o.component ?? null, pods: p.pods, perPod });
  }
  return out;
}

/**
 * Whether every pod fits on some node's free GPUs (best fit, largest pods first, as a scheduler
 * that only looked at GPUs would place them).
 */
export function fitGpus(demand: readonly GpuDemand[], nodes: readonly NodeGpus[]): GpuVerdict {
  const free = new Map(nodes.map((n) => [n.name, Math.max(0, n.allocatable - n.used)]));
  const pods = demand.flatMap((d) => Array.from({ length: d.pods }, () => d)).sort((a, b) => b.perPod - a.perPod);
  let fits = true;
  for (const pod of pods) {
    let best: string | undefined;
    for (const [name, left] of [...free].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (left >= pod.perPod && (best === undefined || left < free.get(best)!)) best = name;
    }
    if (best === undefined) {
      fits = false;
      break;
    }
    free.set(best, free.get(best)! - pod.perPod);
  }
  const needed = demand.reduce((n, d) => n + d.pods * d.perPod, 0);
  const totalFree = nodes.reduce((n, x) => n + Math.max(0, x.allocatable - x.used), 0);
  const allocatable = nodes.reduce((n, x) => n + x.allocatable, 0);
  const largest = [...nodes].sort((a, b) => b.allocatable - b.used - (a.allocatable - a.used) || (a.name < b.name ? -1 : 1))[0];
  const what = demand.map((d) => `${d.object}: ${d.pods} pod${d.pods === 1 ? '' : 's'} × ${d.perPod}`).join(', ');
  const have = `the nodes have ${totalFree} free of ${allocatable} allocatable${largest && largest.allocatable > 0 ? ` (at most ${largest.allocatable - largest.used} free on one node, ${largest.name})` : ''}`;
  return {
    fits,
    needed,
    free: totalFree,
    allocatable,
    message: fits
      ? `${needed} ${GPU_RESOURCE} needed (${what}), ${have}`
      : `needs ${needed} ${GPU_RESOURCE} (${what}), but ${have}: the pods cannot all be scheduled`,
  };
}

/** The schedulable nodes' GPUs, minus what running pods hold (except the pods `ignore` says will be replaced). */
export async function clusterGpus(client: ClusterClient, ignore: (pod: K8sObject) => boolean): Promise<NodeGpus[]> {
  const [nodes, pods] = await Promise.all([
    client.list('v1', 'Node'),
    client.list('v1', 'Pod', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }),
  ]);
  const used = new Map<string, number>();
  for (const pod of pods) {
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!node || ignore(pod)) continue;
    used.set(node, (used.get(node) ?? 0) + podGpus(pod.spec as PodSpec));
  }
  return nodes
    .filter((n) => !(n.spec as { unschedulable?: boolean } | undefined)?.unschedulable)
    .filter((n) => ((n.status as any)?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => ({
      name: n.metadata.name,
      allocatable: Number.parseInt(((n.status as any)?.allocatable?.[GPU_RESOURCE] as string | undefined) ?? '0', 10) || 0,
      used: used.get(n.metadata.name) ?? 0,
    }));
}
