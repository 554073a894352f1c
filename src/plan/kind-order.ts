/**
 * The order of kinds within a phase: what others depend on first (namespaces, identities,
 * configuration, storage, permissions, services), then workloads, then what targets them.
 * Kinds not listed come last, by name.
 *
 * NetworkPolicy comes with the namespace's guards (quota, limits), before anything that runs pods,
 * so that no pod of the phase ever accepts a connection its policy refuses; PodDisruptionBudget
 * right before the workloads, so that their first pods are already covered. Helm's install order
 * (and Argo CD's, which follows it) puts both before the workloads too; kapp does not order them.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'CustomResourceDefinition',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'PriorityClass',
  'StorageClass',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'PodDisruptionBudget',
  'DaemonSet',
  'StatefulSet',
  'Deployment',
  'ReplicaSet',
  'Pod',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const RANK = new Map(KIND_ORDER.map((k, i) => [k, i]));

export function kindRank(kind: string): number {
  return RANK.get(kind) ?? KIND_ORDER.length;
}

/** Compares objects by kind rank, then kind, then namespace, then name. */
export function compareObjects(
  a: { kind: string; metadata: { name: string; namespace?: string } },
  b: { kind: string; metadata: { name: string; namespace?: string } },
): number {
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    cmp(a.kind, b.kind) ||
    cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    cmp(a.metadata.name, b.metadata.name)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
