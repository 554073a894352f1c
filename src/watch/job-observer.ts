import type { ClusterClient, ListOptions } from '../cluster/types.js';
import { refKey, refOf } from '../k8s/object-ref.js';
import type { K8sObject } from '../k8s/types.js';
import { condition, labelSelector, specOf, statusOf } from '../readiness/conditions.js';
import type { AppLabels, WatchMetrics } from './metrics.js';

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

/**
 * A finished Job's outcome and times, as the API server reports them: succeeded at
 * status.completionTime (or its Complete condition's time), failed at its FailureTarget (or
 * Failed) condition's time; undefined while it runs.
 */
function finishedJob(job: K8sObject): FinishedJob | undefined {
  const uid = (job.metadata as { uid?: string }).uid;
  if (!uid) return undefined;
  const s = statusOf(job);
  const complete = condition(job, 'Complete');
  // FailureTarget comes first (its pods are still stopping): as for kubemin's readiness, the Job failed then.
  const failed = [condition(job, 'FailureTarget'), condition(job, 'Failed')].find((c) => c?.status === 'True');
  const at = (c: unknown): number | undefined => time((c as { lastTransitionTime?: string } | undefined)?.lastTransitionTime);
  const end =
    complete?.status === 'True'
      ? { outcome: 'succeeded' as const, finished: time(s.completionTime) ?? at(complete) }
      : failed
        ? { outcome: 'failed' as const, finished: at(failed) }
        : undefined;
  if (!end || end.finished === undefined) return undefined;
  return {
    uid,
    outcome: end.outcome,
    finished: end.finished,
    created: time((job.metadata as { creationTimestamp?: string }).creationTimestamp),
    started: time(s.startTime),
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
   * but one LIST of its pods for the queue time. `settle()` waits for those LISTs.
   */
  watching(client: ClusterClient, labels: AppLabels, components: ReadonlyMap<string, string>): { client: ClusterClient; settle: () => Promise<void> } {
    const pending: Promise<void>[] = [];
    const see = (o: K8sObject | undefined): void => {
      if (!o || !isJob(o)) return;
      const component = components.get(refKey(refOf(o)));
      if (component !== undefined) pending.push(this.observe(client, o, { ...labels, component }));
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
