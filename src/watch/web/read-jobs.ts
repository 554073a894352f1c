import { mapBounded } from '../../cluster/bounded.js';
import { instanceSelectors } from '../../cluster/instance-selectors.js';
import { RefusedLists } from '../../cluster/live-objects.js';
import type { ClusterClient } from '../../cluster/types.js';
import type { JobsApp } from '../../dashboard/jobs-model.js';
import type { K8sObject } from '../../k8s/types.js';

/** What the Jobs view reads: the apps' Jobs, their pods and CronJobs; what could not be read, in words. */
export interface JobsRead {
  readonly jobs: K8sObject[];
  readonly pods: K8sObject[];
  readonly cronJobs: K8sObject[];
  /** FailedCreate events of the Jobs that have no pod (read only in the namespaces that have such a Job). */
  readonly events: K8sObject[];
  /** One line per LIST that failed (RBAC refused it, the server did not answer): the view says so. */
  readonly problems: string[];
}

export interface ReadJobsOptions {
  /**
   * LISTs across namespaces that RBAC refused, kept by the caller across reads (the daemon's web
   * server): a refused one is not sent again while remembered, the namespaces are listed one by one.
   */
  readonly refused?: RefusedLists;
  /** Most LISTs in flight at once (default 4). */
  readonly concurrency?: number;
}

const INSTANCE = 'app.kubernetes.io/instance';
const MANAGED = 'app.kubernetes.io/managed-by=kubemin';

interface Kind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  /** Selected beyond kubemin's labels (pods: only those of a Job). */
  readonly extra?: string;
}

const JOBS: Kind = { apiVersion: 'batch/v1', kind: 'Job', plural: 'Jobs' };
const PODS: Kind = { apiVersion: 'v1', kind: 'Pod', plural: 'Pods', extra: 'batch.kubernetes.io/job-name' };
const CRON_JOBS: Kind = { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'CronJobs' };

/**
 * The Jobs, Job pods and CronJobs of the apps, selected by kubemin's labels (managed-by, and the
 * apps' instance label): per kind, one LIST across namespaces when the apps are in two or more,
 * else (or when that LIST is refused or fails) one LIST per namespace; and the FailedCreate events
 * of the namespaces where a running Job has no pod. Never throws: a namespace
 * whose LIST fails is a line of `problems`, and the rest is read.
 */
export async function readJobs(client: ClusterClient, apps: readonly JobsApp[], opts: ReadJobsOptions = {}): Promise<JobsRead> {
  const refused = opts.refused ?? new RefusedLists();
  const concurrency = opts.concurrency ?? 4;
  const byNamespace = new Map<string, Set<string>>();
  for (const a of apps) {
    const names = byNamespace.get(a.namespace) ?? new Set<string>();
    names.add(a.app);
    byNamespace.set(a.namespace, names);
  }
  const namespaces = [...byNamespace.keys()].sort();
  const wanted = (o: K8sObject): boolean => byNamespace.get(o.metadata.namespace ?? '')?.has(o.metadata.labels?.[INSTANCE] ?? '') === true;
  const problems: string[] = [];

  const readKind = async (k: Kind): Promise<K8sObject[]> => {
    if (!namespaces.length) return [];
    if (namespaces.length >= 2) {
      const all = [...new Set(apps.map((a) => a.app))].sort();
      const across = await listAcross(client, k, all, refused);
      if (across) return across.filter(wanted);
    }
    const lists = await mapBounded(namespaces, concurrency, async (ns) => {
      try {
        return await listChunks(client, k, [...byNamespace.get(ns)!].sort(), ns);
      } catch (err) {
        problems.push(`cannot list ${k.plural} in namespace ${ns}: ${describe(err)}`);
        return [];
      }
    });
    return lists.flat().filter(wanted);
  };

  const [jobs, pods, cronJobs] = await Promise.all([readKind(JOBS), readKind(PODS), readKind(CRON_JOBS)]);
  // A Job running without any pod may have them refused at admission: its FailedCreate events say why.
  const owners = new Set(pods.flatMap((p) => (p.metadata as { ownerReferences?: Array<{ uid?: string }> }).ownerReferences?.map((o) => o.uid) ?? []));
  const podless = [
    ...new Set(jobs.filter((j) => unfinished(j) && !owners.has((j.metadata as { uid?: string }).uid)).map((j) => j.metadata.namespace ?? '')),
  ].sort();
  const events = await mapBounded(podless, concurrency, async (ns) => {
    try {
      return await client.list('v1', 'Event', { namespace: ns, fieldSelector: 'involvedObject.kind=Job,reason=FailedCreate' });
    } catch (err) {
      problems.push(`cannot list Events in namespace ${ns}: ${describe(err)}`);
      return [];
    }
  });
  return { jobs, pods, cronJobs, events: events.flat(), problems: problems.sort() };
}

/** The kind's objects of these apps in every namespace; undefined when refused (remembered) or failed. */
async function listAcross(client: ClusterClient, k: Kind, instances: readonly string[], refused: RefusedLists): Promise<K8sObject[] | undefined> {
  const key = `${k.apiVersion}/${k.kind}/`;
  if (refused.has(key)) return undefined;
  try {
    return await listChunks(client, k, instances);
  } catch (err) {
    if ((err as { reason?: string }).reason === 'Forbidden') refused.add(key);
    return undefined;
  }
}

async function listChunks(client: ClusterClient, k: Kind, instances: readonly string[], namespace?: string): Promise<K8sObject[]> {
  const lists = await Promise.all(
    instanceSelectors(instances).map((instance) =>
      client.list(k.apiVersion, k.kind, {
        ...(namespace !== undefined ? { namespace } : {}),
        labelSelector: [MANAGED, instance, ...(k.extra ? [k.extra] : [])].join(','),
      }),
    ),
  );
  return lists.flat();
}

/** The error in one line: the API server's reason and message (forbidden by RBAC, unavailable...). */
function describe(err: unknown): string {
  const reason = (err as { reason?: string }).reason;
  const message = err instanceof Error ? err.message : String(err);
  return reason && reason !== 'Other' && !message.startsWith(reason) ? `${reason}: ${message}` : message;
}

/** A Job neither complete nor failed, nor suspended. */
function unfinished(job: K8sObject): boolean {
  const conditions = (job as K8sObject & { status?: { conditions?: Array<{ type?: string; status?: string }> } }).status?.conditions ?? [];
  const suspended = (job as K8sObject & { spec?: { suspend?: boolean } }).spec?.suspend === true;
  return !suspended && !conditions.some((c) => c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed' || c.type === 'FailureTarget'));
}
