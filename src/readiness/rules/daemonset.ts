import { generationPending, labelSelector, ofCount, specOf, statusOf } from '../conditions.js';
import { eventCreation, failedCreateEvents, waitingFor } from '../pod-creation.js';
import { podProblem } from '../pod-problems.js';
import { progressing, ready, type ReadinessRule } from '../types.js';

/** Ready when every node that should run a pod runs an updated, available one. */
export const daemonSet: ReadinessRule = {
  name: 'daemonset',
  description: 'Ready when every node that should run a pod runs an updated, available one',
  kinds: ['apps/DaemonSet'],
  related: (o) => [{ apiVersion: 'v1', kind: 'Pod', labelSelector: labelSelector(specOf(o).selector?.matchLabels) }, failedCreateEvents(o)],
  check(o, [pods = [], events = []]) {
    if (generationPending(o)) return progressing('waiting for the daemonset controller to see the new spec');
    const s = statusOf(o);
    const want = (s.desiredNumberScheduled as number | undefined) ?? 0;
    let waiting: string | undefined;
    if ((s.updatedNumberScheduled ?? 0) < want) waiting = `${ofCount(s.updatedNumberScheduled, want)} pods updated`;
    else if ((s.numberAvailable ?? 0) < want) waiting = `${ofCount(s.numberAvailable, want)} pods available`;
    if (!waiting) return ready(`${want} of ${want} pods available`);
    const creation = eventCreation(o, events, pods);
    if (creation.refused) return creation.refused;
    return podProblem(pods) ?? progressing(waitingFor(waiting, creation.passing));
  },
};
