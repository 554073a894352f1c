import { condition, labelSelector, specOf, statusOf } from '../conditions.js';
import { eventCreation, failedCreateEvents, waitingFor } from '../pod-creation.js';
import { lastTermination, podProblem } from '../pod-problems.js';
import { failed, progressing, ready, type ReadinessRule } from '../types.js';

/**
 * Ready when Complete. Failed (or FailureTarget, which precedes it) is a failure with the Job's
 * reason (BackoffLimitExceeded, DeadlineExceeded...) and the last failed container's exit. A pod
 * that cannot pull its image or be scheduled fails the wait at once.
 */
export const job: ReadinessRule = {
  name: 'job',
  description: 'Ready when Complete',
  kinds: ['batch/Job'],
  related: (o) => [
    { apiVersion: 'v1', kind: 'Pod', labelSelector: labelSelector(specOf(o).selector?.matchLabels) ?? `batch.kubernetes.io/job-name=${o.metadata.name}` },
    failedCreateEvents(o),
  ],
  check(o, [pods = [], events = []]) {
    const s = statusOf(o);
    const complete = condition(o, 'Complete');
    if (complete?.status === 'True') return ready(`completed (${s.succeeded ?? 0} succeeded)`);
    const fail = [condition(o, 'Failed'), condition(o, 'FailureTarget')].find((c) => c?.status === 'True');
    const exit = lastTermination(pods);
    const seen = exit ? { detail: exit.text, pod: exit.pod } : {};
    if (fail) return { ...failed(fail.reason ?? 'Failed', fail.message ?? 'the job failed'), ...seen };
    if (specOf(o).suspend === true) return progressing('suspended');
    // Pods refused at admission (e.g. PodSecurity) never come: fail at once, quoting the refusal.
    const creation = eventCreation(o, events, pods);
    if (creation.refused) return creation.refused;
    // Crash loops of a Job's pods are its retries, counted against backoffLimit: not a failure yet.
    const problem = podProblem(pods, { crashLoops: false });
    if (problem) return problem;
    const backoff = (specOf(o).backoffLimit as number | undefined) ?? 6;
    const failures = s.failed ? `, ${s.failed} failed (backoffLimit ${backoff})` : '';
    const running = `running: ${s.active ?? 0} active, ${s.succeeded ?? 0} succeeded of ${(specOf(o).completions as number | undefined) ?? 1}${failures}`;
    return { ...progressing(waitingFor(running, creation.passing)), ...seen };
  },
};
