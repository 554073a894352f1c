import { describe, expect, it } from 'vitest';
import { ClusterError, type ClusterClient, type ListOptions } from '../../../src/cluster/types.js';
import type { K8sObject } from '../../../src/k8s/types.js';
import { readJobs } from '../../../src/watch/web/read-jobs.js';

/** readJobs' LISTs and how it takes their failures, on a client that answers from a table. */

interface Call {
  kind: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

function fakeClient(answer: (kind: string, opts: ListOptions) => K8sObject[]): { client: ClusterClient; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    list: async (_apiVersion: string, kind: string, opts: ListOptions = {}) => {
      calls.push({
        kind,
        ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
        ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
        ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
      });
      return answer(kind, opts);
    },
  } as unknown as ClusterClient;
  return { client, calls };
}

/** An object of the kind; a Pod is owned by the Job of its name (so that Job has a pod: no Event LIST for it). */
const obj = (kind: string, namespace: string, name: string, instance: string): K8sObject => ({
  apiVersion: kind === 'Pod' || kind === 'Event' ? 'v1' : 'batch/v1',
  kind,
  metadata: {
    name,
    namespace,
    uid: `${kind}-${namespace}-${name}`,
    labels: { 'app.kubernetes.io/instance': instance, 'app.kubernetes.io/managed-by': 'kubemin' },
    ...(kind === 'Pod' ? { ownerReferences: [{ kind: 'Job', name, uid: `Job-${namespace}-${name}` }] } : {}),
  } as K8sObject['metadata'],
});

describe('readJobs', () => {
  it('in one namespace: one LIST per kind, selected by kubemin’s labels (pods: a Job’s only)', async () => {
    const { client, calls } = fakeClient((kind) => [obj(kind, 'shop', 'x', 'shop')]);
    const read = await readJobs(client, [
      { key: 'web', app: 'web', namespace: 'shop' },
      { key: 'shop', app: 'shop', namespace: 'shop' },
    ]);
    expect(calls.sort((a, b) => (a.kind < b.kind ? -1 : 1))).toEqual([
      { kind: 'CronJob', namespace: 'shop', labelSelector: 'app.kubernetes.io/managed-by=kubemin,app.kubernetes.io/instance in (shop,web)' },
      { kind: 'Job', namespace: 'shop', labelSelector: 'app.kubernetes.io/managed-by=kubemin,app.kubernetes.io/instance in (shop,web)' },
      {
        kind: 'Pod',
        namespace: 'shop',
        labelSelector: 'app.kubernetes.io/managed-by=kubemin,app.kubernetes.io/instance in (shop,web),batch.kubernetes.io/job-name',
      },
    ]);
    expect([read.jobs.length, read.pods.length, read.cronJobs.length, read.problems]).toEqual([1, 1, 1, []]);
  });

  it('across namespaces: one LIST per kind, keeping only each app’s objects in its own namespace', async () => {
    const { client, calls } = fakeClient((kind) => [obj(kind, 'a', 'mine', 'one'), obj(kind, 'b', 'theirs', 'one'), obj(kind, 'b', 'mine', 'two')]);
    const read = await readJobs(client, [
      { key: 'one', app: 'one', namespace: 'a' },
      { key: 'two', app: 'two', namespace: 'b' },
    ]);
    expect(calls.map((c) => [c.kind, c.namespace])).toEqual([
      ['Job', undefined],
      ['Pod', undefined],
      ['CronJob', undefined],
    ]);
    expect(read.jobs.map((j) => `${j.metadata.namespace}/${j.metadata.name}`)).toEqual(['a/mine', 'b/mine']);
  });

  it('a LIST across namespaces that fails is read namespace by namespace; a namespace that fails is a problem line, not a throw', async () => {
    const { client, calls } = fakeClient((kind, opts) => {
      if (opts.namespace === undefined) throw new ClusterError(undefined, 'Unavailable', 'cannot reach the API server');
      if (opts.namespace === 'b' && kind === 'Job') throw new ClusterError(undefined, 'Forbidden', 'jobs.batch is forbidden: User "x" cannot list');
      return [obj(kind, opts.namespace, 'j', opts.namespace === 'a' ? 'one' : 'two')];
    });
    const read = await readJobs(client, [
      { key: 'two', app: 'two', namespace: 'b' },
      { key: 'one', app: 'one', namespace: 'a' },
    ]);
    expect(calls).toHaveLength(9);
    expect(read.problems).toEqual(['cannot list Jobs in namespace b: Forbidden: jobs.batch is forbidden: User "x" cannot list']);
    expect(read.jobs.map((j) => j.metadata.namespace)).toEqual(['a']);
    expect(read.pods.map((j) => j.metadata.namespace)).toEqual(['a', 'b']);
  });

  it('no apps: no LIST', async () => {
    const { client, calls } = fakeClient(() => []);
    expect(await readJobs(client, [])).toEqual({ jobs: [], pods: [], cronJobs: [], events: [], problems: [] });
    expect(calls).toEqual([]);
  });

  it('a running Job without a pod: its namespace’s FailedCreate events of Jobs are read (pods refused at admission say why)', async () => {
    const { client, calls } = fakeClient((kind, opts) => {
      if (kind === 'Pod') return [];
      if (kind === 'Event' && opts.namespace === 'b') throw new ClusterError(undefined, 'Forbidden', 'events is forbidden');
      if (opts.namespace === undefined) return [obj(kind, 'a', 'j', 'one'), obj(kind, 'b', 'j', 'two')];
      return [obj(kind, opts.namespace, 'j', opts.namespace === 'b' ? 'two' : 'one')];
    });
    const read = await readJobs(client, [
      { key: 'one', app: 'one', namespace: 'a' },
      { key: 'two', app: 'two', namespace: 'b' },
    ]);
    expect(calls.filter((c) => c.kind === 'Event')).toEqual([
      { kind: 'Event', namespace: 'a', fieldSelector: 'involvedObject.kind=Job,reason=FailedCreate' },
      { kind: 'Event', namespace: 'b', fieldSelector: 'involvedObject.kind=Job,reason=FailedCreate' },
    ]);
    expect(read.events.map((e) => e.metadata.namespace)).toEqual(['a']);
    expect(read.problems).toEqual(['cannot list Events in namespace b: Forbidden: events is forbidden']);
  });
});
