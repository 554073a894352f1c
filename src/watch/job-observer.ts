import type { ClusterClient, ListOptions } from '../cluster/types.js';
import { formatRef, refKey, refOf } from '../k8s/object-ref.js';
import type { K8sObject } from '../k8s/types.js';
import { condition, labelSelector, specOf, statusOf } from '../readiness/conditions.js';
import type { AppLabels, WatchMetrics } from './metrics.js';
import type { StatusJob } from './status-report.js';

/** Job uids remembered as counted; beyond, the oldest are forgotten. */
const REMEMBERED_JOBS = 10_000;

/** How a Job ended, with the API server's times (ms). */
interface FinishedJob {
  readonly uid: string;
  readonly outcome: 'succeeded' | 'failed';
  readonly created: number | undefined;
  readonly started: number | undefined;
  readonly finished: number;
}

const time = (t: unknown): number | undefined => {
  const ms = typeof t === 'string' ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** A time the API server gave (a string that parses), or undefined. */
const timeText = (...candidates: unknown[]): string | undefined => candidates.find((t): t is string => time(t) !== undefined);

/**
 * How a Job ended, as the API server reports it: succeeded at status.completionTime (or its
 * Complete condition's time), failed at its FailureTarget (or Failed) condition's time (FailureTarget
 * comes first: its pods are still stopping, but as for kubemin's readiness, the Job failed then);
 * undefined while it runs.
 */
function jobEnd(job: K8sObject): { readonly outcome: 'succeeded' | 'failed'; readonly at: string | undefined } | undefined {
  const at = (c: unknown): unknown => (c as { lastTransitionTime?: unknown } | undefined)?.lastTransitionTime;
  const complete = condition(job, 'Complete');
  if (complete?.status === 'True') return { outcome: 'succeeded', at: timeText(statusOf(job).completionTime, at(complete)) };
  const failed = [condition(job, 'FailureTarget'), condition(job, 'Failed')].find((c) => c?.status === 'True');
  return failed ? { outcome: 'failed', at: timeText(at(failed)) } : undefined;
}

/** A finished Job's outcome and times (ms); undefined while it runs. */
function finishedJob(job: K8sObject): FinishedJob | undefined {
  const uid = (job.metadata as { uid?: string }).uid;
  const end = jobEnd(job);
  const finished = time(end?.at);
  if (!uid || !end || finished === undefined) return undefined;
  return {
    uid,
    outcome: end.outcome,
    finished,
    created: time((job.metadata as { creationTimestamp?: string }).creationTimestamp),
    started: time(statusOf(job).startTime),
  };
}

/**
 * A Job as its status report says it (`component` '' = none): its state as seen now. Its
 * attempts are the pods it started: succeeded + failed + active, and the pods that finished but
 * are not counted yet (status.uncountedTerminatedPods: a Job read at its FailureTarget, as
 * kubemin's readiness stops there, has its failed pod only there).
 */
function reportedJob(job: K8sObject, component: string): StatusJob {
  const s = statusOf(job);
  const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
  const uids = (l: unknown): number => (Array.isArray(l) ? l.length : 0);
  const uncounted = (s.uncountedTerminatedPods ?? {}) as { succeeded?: unknown; failed?: unknown };
  const end = jobEnd(job);
  return {
    object: formatRef(refOf(job)),
    component: component || null,
    startedAt: timeText(s.startTime) ?? null,
    completedAt: end?.at ?? null,
    attempts: count(s.succeeded) + count(s.failed) + count(s.active) + uids(uncounted.succeeded) + uids(uncounted.failed),
    outcome: end?.outcome ?? 'running',
  };
}

/** When the first of `pods` ran: the earliest start of any of their containers (running or terminated). */
function firstRunning(pods: readonly K8sObject[]): number | undefined {
  let first: number | undefined;
  for (const pod of pods)
    for (const c of (statusOf(pod).containerStatuses as Array<{ state?: Record<string, { startedAt?: string }> }> | undefined) ?? []) {
      const t = time(c.state?.running?.startedAt ?? c.state?.terminated?.startedAt);
      if (t !== undefined && (first === undefined || t < first)) first = t;
    }
  return first;
}

const isJob = (o: K8sObject): boolean => o.kind === 'Job' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('batch/');

/**
 * Counts Jobs into the daemon's job metrics (kubemin_jobs_total, kubemin_job_duration_seconds,
 * kubemin_job_queue_seconds) as the daemon sees them finish: each Job once, by its uid (a
 * re-apply of an unchanged Job reads the same finished Job: not counted again), and only Jobs
 * that finished after the observer started (a restarted daemon does not count the old ones again).
 */
export class JobObserver {
  private readonly counted = new Set<string>();
  /** API server times have whole seconds: a Job that ended in the second the observer started counts. */
  private readonly since: number;

  constructor(
    private readonly metrics: WatchMetrics,
    since: number,
  ) {
    this.since = Math.floor(since / 1000) * 1000;
  }

  /**
   * `client`, seeing what goes through it: a Job of `components` (refKey → component) read
   * finished (by the apply's prefetch, its waits, its retries) is counted, at no extra request
   * but one LIST of its pods for the queue time. `settle()` waits for those LISTs. `seen()` says
   * each of those Jobs as last read (its status report's `jobs`, sorted by object): a read of a
   * Job still running that comes after one of it finished (an older LIST) does not take it back.
   */
  watching(
    client: ClusterClient,
    labels: AppLabels,
    components: ReadonlyMap<string, string>,
  ): { client: ClusterClient; settle: () => Promise<void>; seen: () => StatusJob[] } {
    const pending: Promise<void>[] = [];
    const last = new Map<string, { readonly uid: string | undefined; readonly job: StatusJob }>();
    const see = (o: K8sObject | undefined): void => {
      if (!o || !isJob(o)) return;
      const key = refKey(refOf(o));
      const component = components.get(key);
      if (component === undefined) return;
      const uid = (o.metadata as { uid?: string }).uid;
      const job = reportedJob(o, component);
      const before = last.get(key);
      if (!(before && before.uid === uid && before.job.outcome !== 'running' && job.outcome === 'running')) last.set(key, { uid, job });
      pending.push(this.observe(client, o, { ...labels, component }));
    };
    const seeAll = (items: readonly K8sObject[]): void => items.forEach(see);
    const wrapped: ClusterClient = {
      resourceFor: (apiVersion, kind) => client.resourceFor(apiVersion, kind),
      get: async (ref) => {
        const o = await client.get(ref);
        see(o);
        return o;
      },
      apply: (object, opts) => client.apply(object, opts),
      create: (object) => client.create(object),
      replace: (object) => client.replace(object),
      list: async (apiVersion, kind, opts) => {
        const items = await client.list(apiVersion, kind, opts);
        seeAll(items);
        return items;
      },
      listVersioned: async (apiVersion, kind, opts) => {
        const list = await client.listVersioned(apiVersion, kind, opts);
        seeAll(list.items);
        return list;
      },
      watch: (apiVersion, kind, opts, onEvent) =>
        client.watch(apiVersion, kind, opts, (e) => {
          if (e.type !== 'BOOKMARK') see(e.object);
          onEvent(e);
        }),
      delete: (ref, opts) => client.delete(ref, opts),
      ...(client.serverVersion ? { serverVersion: () => client.serverVersion!() } : {}),
      forgetDiscovery: () => client.forgetDiscovery(),
      get requests() {
        return client.requests;
      },
      close: () => client.close(),
    };
    return {
      client: wrapped,
      settle: async () => {
        while (pending.length) await Promise.all(pending.splice(0));
      },
      seen: () => [...last.values()].map((l) => l.job).sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0)),
    };
  }

  /**
   * CronJob runs: the Jobs of `namespace` that a CronJob of `cronJobs` (name → its app's labels
   * and component) created, counted when finished. One LIST of the namespace's Jobs (the daemon
   * asks in its drift rounds, for the apps that have CronJobs).
   */
  async cronJobRuns(client: ClusterClient, namespace: string, cronJobs: ReadonlyMap<string, AppLabels & { component: string }>): Promise<void> {
    const jobs = await client.list('batch/v1', 'Job', { namespace });
    await Promise.all(
      jobs.map((job) => {
        const owner = (job.metadata as { ownerReferences?: Array<{ kind?: string; name?: string; controller?: boolean }> }).ownerReferences?.find(
          (r) => r.kind === 'CronJob' && r.controller,
        );
        const labels = owner?.name !== undefined ? cronJobs.get(owner.name) : undefined;
        return labels ? this.observe(client, job, labels) : undefined;
      }),
    );
  }

  private async observe(client: ClusterClient, job: K8sObject, labels: AppLabels & { component: string }): Promise<void> {
    const done = finishedJob(job);
    if (!done || this.counted.has(done.uid)) return;
    this.remember(done.uid);
    if (done.finished < this.since) return;
    this.metrics.jobs.inc({ ...labels, outcome: done.outcome });
    if (done.started !== undefined) this.metrics.jobDuration.observe(labels, Math.max(0, (done.finished - done.started) / 1000));
    if (done.created === undefined) return;
    // The queue: from its creation to its first pod running (pods gone by now: not observed).
    const selector = labelSelector(specOf(job).selector?.matchLabels);
    if (!selector) return;
    const opts: ListOptions = { namespace: job.metadata.namespace, labelSelector: selector };
    const pods = await client.list('v1', 'Pod', opts).catch(() => []);
    const ran = firstRunning(pods);
    if (ran !== undefined) this.metrics.jobQueue.observe(labels, Math.max(0, (ran - done.created) / 1000));
  }

  private remember(uid: string): void {
    this.counted.add(uid);
    if (this.counted.size > REMEMBERED_JOBS) this.counted.delete(this.counted.values().next().value!);
  }
}
