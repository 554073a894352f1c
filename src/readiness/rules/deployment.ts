import type { K8sObject } from '../../k8s/types.js';
import { condition, generationPending, labelSelector, ofCount, specOf, statusOf } from '../conditions.js';
import { replicaSetCreation, waitingFor } from '../pod-creation.js';
import { podProblem } from '../pod-problems.js';
import { failed, progressing, ready, type ReadinessRule } from '../types.js';

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * Ready when the controller saw the latest spec, every replica runs the new template and is
 * available, and no old replica is left (as `kubectl rollout status`). While waiting, the pods
 * of the new ReplicaSet tell why it cannot get there.
 */
export const deployment: ReadinessRule = {
  name: 'deployment',
  description:
    'Ready when the controller saw the latest spec, every replica runs the new template and is available, and no old replica is left (as `kubectl rollout status`)',
  kinds: ['apps/Deployment'],
  related(o) {
    const selector = labelSelector(specOf(o).selector?.matchLabels);
    return [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', labelSelector: selector },
      { apiVersion: 'v1', kind: 'Pod', labelSelector: selector },
    ];
  },
  check(o, [replicaSets = [], pods = []]) {
    if (generationPending(o)) return progressing('waiting for the deployment controller to see the new spec');
    const want = (specOf(o).replicas as number | undefined) ?? 1;
    const s = statusOf(o);
    const deadline = condition(o, 'Progressing');
    const current = currentReplicaSet(o, replicaSets);
    const newPods = podsOf(current, pods);
    // Pods refused at admission (e.g. PodSecurity) never come: fail at once, quoting the refusal.
    const creation = replicaSetCreation(current);
    if (creation.refused) return creation.refused;
    if (deadline?.status === 'False' && deadline.reason === 'ProgressDeadlineExceeded') {
      return podProblem(newPods) ?? failed('ProgressDeadlineExceeded', deadline.message ?? 'the rollout exceeded its progress deadline');
    }
    let waiting: string | undefined;
    if ((s.updatedReplicas ?? 0) < want) waiting = `${ofCount(s.updatedReplicas, want)} replicas updated`;
    else if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) waiting = `${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas still terminating`;
    else if ((s.availableReplicas ?? 0) < want) waiting = `${ofCount(s.availableReplicas, want)} replicas available`;
    if (!waiting) return ready(`${want} of ${want} replicas available`);
    return podProblem(newPods) ?? progressing(waitingFor(waiting, creation.passing));
  },
};

/** The ReplicaSet whose revision is the Deployment's. */
function currentReplicaSet(o: K8sObject, replicaSets: readonly K8sObject[]): K8sObject | undefined {
  const revision = o.metadata.annotations?.[REVISION];
  return replicaSets.find((rs) => revision !== undefined && rs.metadata.annotations?.[REVISION] === revision);
}

/** Pods of that ReplicaSet (all pods when it cannot be told). */
function podsOf(current: K8sObject | undefined, pods: readonly K8sObject[]): readonly K8sObject[] {
  const hash = current?.metadata.labels?.['pod-template-hash'];
  return hash ? pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash) : pods;
}
