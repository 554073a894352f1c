import type { Container, K8sObject, PodSpec } from '../k8s/types.js';
import { GPU_RESOURCE } from './traits/resources.js';

/**
 * GPU nodes are tainted `nvidia.com/gpu:NoSchedule` on managed clusters (GKE, AKS, EKS's GPU node
 * groups), so that only pods that use a GPU land there. A pod that asks for `nvidia.com/gpu` gets
 * the toleration for that taint, as Kubernetes' ExtendedResourceToleration admission plugin (on by
 * default on GKE) adds it: key = the resource, operator Exists (any value: GKE's is "present"),
 * effect NoSchedule. `policies.gpuToleration: false` turns it off (per app or component).
 */
const GPU_TOLERATION: Readonly<Record<string, string>> = { key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' };

/** Whether a container asks for a GPU (limits count: the API server copies them to requests). */
function asksForGpu(c: Container): boolean {
  return [c.resources?.requests?.[GPU_RESOURCE], c.resources?.limits?.[GPU_RESOURCE]].some((q) => q !== undefined && !/^0+(\.0*)?$/.test(q));
}

/** Whether a toleration already lets the pod onto a node tainted `nvidia.com/gpu=<any>:NoSchedule`. */
function tolerates(t: Record<string, unknown>): boolean {
  const key = t.key === undefined || t.key === '' ? undefined : t.key;
  const matchesKey = key === GPU_RESOURCE || (key === undefined && t.operator === 'Exists');
  const matchesEffect = t.effect === undefined || t.effect === '' || t.effect === 'NoSchedule';
  return matchesKey && matchesEffect && t.operator === 'Exists';
}

/** The pod spec with the GPU toleration when one of its containers asks for a GPU and none tolerates it yet; else the same object. */
export function withGpuToleration<T extends Pick<PodSpec, 'containers' | 'initContainers' | 'tolerations'>>(spec: T): T {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (!containers.some(asksForGpu)) return spec;
  const tolerations = spec.tolerations ?? [];
  if (tolerations.some(tolerates)) return spec;
  return { ...spec, tolerations: [...tolerations, { ...GPU_TOLERATION }] };
}

/** Where the pod template of a workload kind is, as a path of keys from the object. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The API versions of the kinds above that kubemin knows (a kind of another group is not theirs). */
const POD_API_VERSIONS: ReadonlySet<string> = new Set(['v1', 'apps/v1', 'batch/v1']);

/**
 * The object with the GPU toleration in its pod spec, for objects that a component type (a
 * plugin's, say) made after kubemin built the pod: the same object when nothing changes.
 */
export function objectWithGpuToleration(object: K8sObject): K8sObject {
  const path = POD_SPEC_PATHS[object.kind];
  if (!path || !POD_API_VERSIONS.has(object.apiVersion)) return object;
  const at = (o: unknown, keys: readonly string[]): unknown =>
    keys.reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);
  const spec = at(object, path);
  if (!spec || typeof spec !== 'object' || !Array.isArray((spec as PodSpec).containers)) return object;
  const next = withGpuToleration(spec as PodSpec);
  if (next === spec) return object;
  return setAt(object, path, next) as K8sObject;
}

function setAt(o: unknown, keys: readonly string[], value: unknown): unknown {
  if (!keys.length) return value;
  const [k, ...rest] = keys as [string, ...string[]];
  const rec = o as Record<string, unknown>;
  return { ...rec, [k]: setAt(rec[k], rest, value) };
}
