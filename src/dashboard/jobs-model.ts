import type { K8sObject } from '../k8s/types.js';
import { condition, specOf, statusOf } from '../readiness/conditions.js';
import { podProblem } from '../readiness/pod-problems.js';
import { job as jobReadiness } from '../readiness/rules/job.js';
import { describeReadiness } from '../readiness/types.js';

/**
 * The Jobs view's model: every Job of the apps a daemon applies (its own, and those its CronJobs
 * started), in four states, from what one LIST of Jobs, Pods and CronJobs read. Pure: the time
 * is a parameter, the order is fixed.
 */

/** An app the daemon applies: its key (status reports, links), name (its objects' instance label) and namespace. */
export interface JobsApp {
  readonly key: string;
  readonly app: string;
  readonly environment?: string;
  readonly namespace: string;
}

export interface JobsInput {
  readonly apps: readonly JobsApp[];
  readonly jobs: readonly K8sObject[];
  /** The Jobs' pods (others are ignored). */
  readonly pods: readonly K8sObject[];
  /** The apps' CronJobs: a run shows its cron job's schedule. */
  readonly cronJobs?: readonly K8sObject[];
  /** FailedCreate events of Jobs without pods: pods refused at admission (PodSecurity, a webhook), or not creatable yet (a quota). */
  readonly events?: readonly K8sObject[];
}

/**
 * - `running`: a pod of it started (or starts: scheduled, its containers being created), or it
 *   is between retries;
 * - `queued`: none of its pods started: the scheduler has not placed them (its message says why),
 *   or the Job controller has not created one yet, or the Job is suspended (e.g. by a queue);
 * - `succeeded`: Complete;
 * - `failed`: Failed (or FailureTarget, which precedes it), or still active but stuck in a way
 *   kubemin's readiness calls failed (an image that does not pull, a container that cannot be
 *   created, pods refused at admission): waiting will not help.
 */
export type JobState = 'running' | 'queued' | 'succeeded' | 'failed';

const JOB_STATES: readonly JobState[] = ['running', 'queued', 'failed', 'succeeded'];

export interface JobRow {
  /** The app's key (`<env>/<app>` or `<app>`). */
  readonly key: string;
  readonly app: string;
  readonly environment?: string;
  /** The component's name (label app.kubernetes.io/name), as kubemin's job metrics name it. */
  readonly component?: string;
  readonly namespace: string;
  readonly name: string;
  /** The CronJob this Job is a run of (its controller owner). */
  readonly cronJob?: string;
  /** That CronJob's schedule, when it was read. */
  readonly schedule?: string;
  readonly state: JobState;
  /** ISO times as the API server wrote them: created, started (the Job's startTime), finished (completion or failure). */
  readonly created?: string;
  readonly started?: string;
  readonly finished?: string;
  /**
   * ms: finished − started for a finished Job; now − started for a running one; for a queued
   * one, how long it has waited (now − created). Undefined when the times are not known.
   */
  readonly durationMs?: number;
  /** Runs of its pods so far: each pod that started, and each restart of one (restartPolicy OnFailure retries in place). */
  readonly attempts: number;
  /** queued: why (the scheduler's message); failed: the cause; running: the last failure of a retry, if any. */
  readonly reason?: string;
}

const LABEL = {
  instance: 'app.kubernetes.io/instance',
  name: 'app.kubernetes.io/name',
  managedBy: 'app.kubernetes.io/managed-by',
  jobName: 'batch.kubernetes.io/job-name',
  controllerUid: 'batch.kubernetes.io/controller-uid',
} as const;

interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind?: string; name?: string; uid?: string; controller?: boolean }>;
}

const meta = (o: K8sObject): Meta => o.metadata as Meta;

const ms = (t: unknown): number | undefined => {
  const v = typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? undefined : v;
};

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The rows of the apps' Jobs: running, queued, failed, succeeded; within each, newest first, then by app, namespace, name. */
export function jobRows(input: JobsInput, now: number): JobRow[] {
  const apps = new Map(input.apps.map((a) => [`${a.namespace}/${a.app}`, a]));
  const schedules = new Map((input.cronJobs ?? []).map((c) => [`${c.metadata.namespace ?? ''}/${c.metadata.name}`, specOf(c).schedule as string | undefined]));
  const rows: JobRow[] = [];
  for (const job of input.jobs) {
    if (job.kind !== 'Job') continue;
    const m = meta(job);
    if (m.labels?.[LABEL.managedBy] !== 'kubemin') continue;
    const app = apps.get(`${m.namespace ?? ''}/${m.labels[LABEL.instance] ?? ''}`);
    if (!app) continue;
    rows.push(jobRow(app, job, podsOf(job, input.pods), eventsOf(job, input.events ?? []), schedules, now));
  }
  return rows.sort(
    (a, b) =>
      JOB_STATES.indexOf(a.state) - JOB_STATES.indexOf(b.state) ||
      newest(b) - newest(a) ||
      compare(a.key, b.key) ||
      compare(a.namespace, b.namespace) ||
      compare(a.name, b.name),
  );
}

const newest = (r: JobRow): number => ms(r.finished) ?? ms(r.started) ?? ms(r.created) ?? 0;

/** The Job's events (by its uid, else its name). */
function eventsOf(job: K8sObject, events: readonly K8sObject[]): K8sObject[] {
  const { uid, name, namespace } = meta(job);
  return events.filter((e) => {
    const about = (e as K8sObject & { involvedObject?: { kind?: string; name?: string; uid?: string } }).involvedObject;
    if (e.metadata.namespace !== namespace || about?.kind !== 'Job') return false;
    return uid ? about.uid === uid : about.name === name;
  });
}

/** The Job's pods: owned by it (by uid), else labelled with its uid or, for objects without uids, its name. */
function podsOf(job: K8sObject, pods: readonly K8sObject[]): K8sObject[] {
  const { uid, name, namespace } = meta(job);
  return pods.filter((p) => {
    const pm = meta(p);
    if (p.kind !== 'Pod' || pm.namespace !== namespace) return false;
    if (uid) return pm.ownerReferences?.some((o) => o.kind === 'Job' && o.uid === uid) || pm.labels?.[LABEL.controllerUid] === uid;
    return pm.ownerReferences?.some((o) => o.kind === 'Job' && o.name === name) || pm.labels?.[LABEL.jobName] === name;
  });
}

function jobRow(
  app: JobsApp,
  job: K8sObject,
  pods: readonly K8sObject[],
  events: readonly K8sObject[],
  schedules: ReadonlyMap<string, string | undefined>,
  now: number,
): JobRow {
  const m = meta(job);
  const s = statusOf(job);
  const cronJob = m.ownerReferences?.find((o) => o.kind === 'CronJob' && o.controller !== false)?.name;
  const schedule = cronJob ? schedules.get(`${m.namespace ?? ''}/${cronJob}`) : undefined;
  const { state, reason, finished } = stateOf(job, pods, events);
  const created = m.creationTimestamp;
  const started = typeof s.startTime === 'string' ? s.startTime : undefined;
  const from = state === 'queued' ? ms(created) : (ms(started) ?? ms(created));
  const to = state === 'succeeded' || (state === 'failed' && finished) ? ms(finished) : now;
  const durationMs = from !== undefined && to !== undefined ? Math.max(0, to - from) : undefined;
  return {
    key: app.key,
    app: app.app,
    ...(app.environment ? { environment: app.environment } : {}),
    ...(m.labels?.[LABEL.name] ? { component: m.labels[LABEL.name] } : {}),
    namespace: m.namespace ?? '',
    name: m.name,
    ...(cronJob ? { cronJob } : {}),
    ...(schedule ? { schedule } : {}),
    state,
    ...(created ? { created } : {}),
    ...(started && state !== 'queued' ? { started } : {}),
    ...(finished ? { finished } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    attempts: attempts(job, pods),
    ...(reason ? { reason } : {}),
  };
}

const lastTransition = (c: unknown): string | undefined => (c as { lastTransitionTime?: string } | undefined)?.lastTransitionTime;

/** The Job's state, why, and when it finished: its conditions first, then kubemin's readiness of it and its pods. */
function stateOf(job: K8sObject, pods: readonly K8sObject[], events: readonly K8sObject[]): { state: JobState; reason?: string; finished?: string } {
  const complete = condition(job, 'Complete');
  if (complete?.status === 'True') {
    const at = statusOf(job).completionTime;
    return { state: 'succeeded', finished: typeof at === 'string' ? at : lastTransition(complete) };
  }
  // With its FailedCreate events, kubemin's readiness fails a Job whose pods are refused at admission.
  const readiness = jobReadiness.check(job, [pods, events]);
  const live = pods.filter((p) => !meta(p).deletionTimestamp);
  const failure = [condition(job, 'FailureTarget'), condition(job, 'Failed')].find((c) => c?.status === 'True');
  if (failure) {
    // The Job's reason and message, the last container exit, and a pod problem seen beside (an image that does not pull).
    const cause = `${failure.reason ?? 'Failed'}: ${describeReadiness(readiness)}`;
    const pod = podIssue(live);
    return { state: 'failed', reason: pod && !cause.includes(pod) ? `${cause}; ${pod}` : cause, finished: lastTransition(failure) };
  }
  switch (readiness.state) {
    case 'failed':
      return { state: 'failed', reason: `${describeReadiness(readiness)} (the Job is still active: waiting will not help)` };
    case 'unschedulable':
      return { state: 'queued', reason: schedulerMessage(live) ?? readiness.message };
    case 'ready':
    case 'progressing':
      break;
  }
  if (specOf(job).suspend === true) return { state: 'queued', reason: 'suspended (by whoever manages its queue: it starts when resumed)' };
  const retry = readiness.detail ? `retrying; last failure: ${readiness.detail}` : undefined;
  if (live.some(hasStarted) || live.some((p) => condition(p, 'PodScheduled')?.status === 'True'))
    return { state: 'running', ...(retry ? { reason: retry } : {}) };
  if (live.length) return { state: 'queued', reason: schedulerMessage(live) ?? 'waiting for the scheduler' };
  const s = statusOf(job);
  // Between retries (a failed pod gone, the next not created yet), or pods not listed yet.
  if ((s.active ?? 0) > 0 || (s.failed ?? 0) > 0 || (s.succeeded ?? 0) > 0) return { state: 'running', ...(retry ? { reason: retry } : {}) };
  // Not refused, but not creatable yet (a quota, a ServiceAccount to come): readiness quotes why.
  const blocked = /pods cannot be created yet: (.*)$/.exec(readiness.message)?.[1];
  return { state: 'queued', reason: blocked ? `pods cannot be created yet: ${blocked}` : 'no pod created yet' };
}

/** What the scheduler said about the first of these pods (by name) it has not placed. */
function schedulerMessage(pods: readonly K8sObject[]): string | undefined {
  for (const p of [...pods].sort((a, b) => compare(a.metadata.name, b.metadata.name))) {
    const c = condition(p, 'PodScheduled');
    if (c?.status === 'False') return c.message || c.reason;
  }
  return undefined;
}

/** A container of these pods that cannot pull its image or be created, or crash-loops: kubemin's readiness words. */
function podIssue(pods: readonly K8sObject[]): string | undefined {
  const problem = podProblem(pods);
  return problem?.state === 'failed' ? problem.message : undefined;
}

interface ContainerStatus {
  restartCount?: number;
  state?: Record<string, unknown>;
}

const statuses = (pod: K8sObject): ContainerStatus[] => (statusOf(pod).containerStatuses as ContainerStatus[] | undefined) ?? [];

/** A pod started: it left Pending, or one of its containers ran. */
function hasStarted(pod: K8sObject): boolean {
  const phase = statusOf(pod).phase as string | undefined;
  return (phase !== undefined && phase !== 'Pending') || statuses(pod).some((c) => c.state?.running !== undefined || c.state?.terminated !== undefined);
}

/** Pods that started, each with its restarts; at least the runs the Job counts (its pods may be gone). */
function attempts(job: K8sObject, pods: readonly K8sObject[]): number {
  const fromPods = pods.filter(hasStarted).reduce((n, p) => n + 1 + Math.max(0, ...statuses(p).map((c) => c.restartCount ?? 0)), 0);
  const s = statusOf(job);
  return Math.max(fromPods, (s.succeeded ?? 0) + (s.failed ?? 0));
}
