import { generationPending, labelSelector, ofCount, specOf, statusOf } from '../conditions.js';
import { eventCreation, failedCreateEvents, waitingFor } from '../pod-creation.js';
import { podProblem } from '../pod-problems.js';
import { progressing, ready, type ReadinessRule } from '../types.js';

/**
 * Ready when the controller saw the latest spec, enough replicas are ready, and a rolling update
 * has finished (current revision = update revision), as `kubectl rollout status`.
 */
export const statefulSet: ReadinessRule = {
  name: 'statefulset',
  description:
    'Ready when the controller saw the latest spec, enough replicas are ready, and a rolling update has finished (current revision = update revision), as `kubectl rollout status`',
  kinds: ['apps/StatefulSet'],
  related: (o) => [{ apiVersion: 'v1', kind: 'Pod', labelSelector: labelSelector(specOf(o).selector?.matchLabels) }, failedCreateEvents(o)],
  check(o, [pods = [], events = []]) {
    if (generationPending(o)) return progressing('waiting for the statefulset controller to see the new spec');
    const spec = specOf(o);
    const s = statusOf(o);
    const want = (spec.replicas as number | undefined) ?? 1;
    const rolling = (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = (spec.updateStrategy?.rollingUpdate?.partition as number | undefined) ?? 0;
    let waiting: string | undefined;
    if ((s.readyReplicas ?? 0) < want) waiting = `${ofCount(s.readyReplicas, want)} replicas ready`;
    else if (rolling && partition > 0 && (s.updatedReplicas ?? 0) < want - partition)
      waiting = `${ofCount(s.updatedReplicas, want - partition)} replicas updated`;
    else if (rolling && partition === 0 && s.updateRevision && s.currentRevision !== s.updateRevision)
      waiting = `rolling update in progress: ${ofCount(s.updatedReplicas, want)} replicas updated`;
    if (!waiting) return ready(`${want} of ${want} replicas ready`);
    // Pods refused at admission (e.g. PodSecurity) never come: fail at once, quoting the refusal.
    const creation = eventCreation(o, events, pods);
    if (creation.refused) return creation.refused;
    const current = s.updateRevision as string | undefined;
    const newPods = current ? pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === current) : pods;
    return podProblem(newPods.length ? newPods : pods) ?? progressing(waitingFor(waiting, creation.passing));
  },
};
