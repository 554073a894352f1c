import { describe, expect, it, onTestFinished } from 'vitest';
import { systemClock } from '../../src/apply/clock.js';
import { waitForReady } from '../../src/apply/wait-for-ready.js';
import { connect } from '../../src/cluster/http-client.js';
import { ClusterError, WatchError, type ClusterClient, type WatchEvent, type WatchOptions } from '../../src/cluster/types.js';
import { refKey, refOf, type ObjectRef } from '../../src/k8s/object-ref.js';
import type { K8sObject } from '../../src/k8s/types.js';
import { readinessTable } from '../../src/readiness/index.js';
import { testCluster } from '../cluster/cluster.js';
import { recordedClient } from '../cluster/recorded-client.js';

/**
 * waitForReady driven by watches, against the real API server, controllers and KWOK nodes of the
 * test cluster: the request pattern (a LIST and a WATCH per kind and namespace, no GET polling),
 * a watch that breaks resumed, and the failures that end a wait at once.
 */

const cluster = testCluster();

async function admin(): Promise<ClusterClient> {
  const c = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => c.close());
  return c;
}

const deployment = (ns: string, name: string, image: string): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});

const job = (ns: string, name: string, image: string): K8sObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: ns },
  spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } },
});

async function create(client: ClusterClient, objects: K8sObject[]): Promise<{ refs: ObjectRef[]; known: Map<string, K8sObject> }> {
  const known = new Map<string, K8sObject>();
  for (const o of objects) {
    const applied = await client.apply(o, { fieldManager: 'kubemin-test', force: false, dryRun: false });
    known.set(refKey(refOf(o)), applied);
  }
  return { refs: objects.map(refOf), known };
}

const options = (deadlineMs = 90_000) => ({ deadline: Date.now() + deadlineMs, pollMs: 200, clock: systemClock, ruleFor: readinessTable() });

describe('waitForReady from watches', { timeout: 120_000 }, () => {
  it('reports two Deployments ready from watch events: one LIST and WATCH per kind and namespace, shared by both, and no GET', async () => {
    const ns = await cluster.newNamespace('wait-watch');
    const client = await admin();
    const { refs, known } = await create(client, [deployment(ns, 'web', 'ghcr.io/acme/web:1'), deployment(ns, 'api', 'ghcr.io/acme/api:1')]);
    const calls: string[] = [];
    const progress: number[] = [];
    await client.resourceFor('v1', 'Pod'); // discovery of the core group, not counted below
    const before = client.requests;
    const r = await waitForReady(recordedClient(client, calls), refs, { ...options(), known, onProgress: (ready) => progress.push(ready) });
    expect(r.outcome).toBe('ready');
    expect([...r.states.values()].map((s) => s.message)).toEqual(['1 of 1 replicas available', '1 of 1 replicas available']);
    expect(calls.filter((c) => c.startsWith('get '))).toEqual([]);
    // The Deployments' watch is one for both; their ReplicaSets and pods come from one watch of each kind in the namespace.
    expect(calls.filter((c) => c === 'watch Deployment')).toHaveLength(1);
    expect(calls.filter((c) => c === 'listVersioned Deployment')).toHaveLength(1);
    expect(calls.filter((c) => c === 'watch Pod').length).toBeLessThanOrEqual(1);
    expect(calls.filter((c) => c === 'watch ReplicaSet').length).toBeLessThanOrEqual(1);
    expect(calls.every((c) => c.startsWith('watch ') || c.startsWith('listVersioned '))).toBe(true);
    // No request but those calls: a watch asked for as the wait ended may be stopped before its request is sent.
    expect(client.requests - before).toBeLessThanOrEqual(calls.length);
    expect(client.requests - before).toBeGreaterThanOrEqual(calls.filter((c) => c.startsWith('listVersioned ')).length + 1);
    expect(progress.at(-1)).toBe(2);
  });

  it('resumes a watch that breaks from the last version it saw, lists afresh when that version is gone (410), and still sees the Deployment ready', async () => {
    const ns = await cluster.newNamespace('wait-resume');
    const client = await admin();
    const calls: string[] = [];
    const watches: string[] = [];
    let lastSeen = '';
    // The Deployment's first watch breaks after 200 ms, as a connection the API server drops; the
    // second asks for a version compacted away (the real server answers 410 Gone); then as asked.
    const breaking = new Proxy(recordedClient(client, calls), {
      get(target, prop, receiver) {
        if (prop !== 'watch') return Reflect.get(target, prop, receiver) as unknown;
        return async (apiVersion: string, kind: string, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Promise<string> => {
          if (kind !== 'Deployment') return target.watch(apiVersion, kind, opts, onEvent);
          watches.push(opts.resourceVersion);
          if (watches.length === 1) {
            const cut = AbortSignal.timeout(200);
            const seen = await target.watch(apiVersion, kind, { ...opts, signal: opts.signal ? AbortSignal.any([opts.signal, cut]) : cut }, onEvent);
            lastSeen = seen;
            if (cut.aborted) throw new WatchError('Dropped', 'dropped by the test', seen);
            return seen;
          }
          if (watches.length === 2) return target.watch(apiVersion, kind, { ...opts, resourceVersion: '1' }, onEvent);
          return target.watch(apiVersion, kind, opts, onEvent);
        };
      },
    });
    // Ready 30 s after it is scheduled: only a watch resumed after the break can see it.
    const { refs, known } = await create(client, [deployment(ns, 'slow', 'ghcr.io/acme/slow:slow')]);
    const r = await waitForReady(breaking, refs, { ...options(), known });
    expect(r.outcome).toBe('ready');
    expect(watches.length).toBeGreaterThanOrEqual(3);
    // Resumed from the last version the broken watch saw, not listed again; listed again after the 410.
    expect(watches[1]).toBe(lastSeen);
    expect(calls.filter((c) => c === 'listVersioned Deployment')).toHaveLength(2);
    expect(calls.filter((c) => c.startsWith('get '))).toEqual([]);
  });

  it("without list on the objects' kind (the daemon's Role) reads them by name, and without watch lists: the slow poll fallback", async () => {
    const ns = await cluster.newNamespace('wait-rbac');
    const client = await admin();
    const calls: string[] = [];
    const forbidden = (what: string) => new ClusterError(undefined, 'Forbidden', `${what} is forbidden (as the test says)`, 403);
    const limited = new Proxy(recordedClient(client, calls), {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        if (prop === 'listVersioned')
          return async (...a: unknown[]) => (a[1] === 'Deployment' ? Promise.reject(forbidden('list deployments')) : v.apply(target, a));
        if (prop === 'watch') return async () => Promise.reject(forbidden('watch'));
        return v;
      },
    });
    const { refs, known } = await create(client, [deployment(ns, 'web', 'ghcr.io/acme/web:1')]);
    const r = await waitForReady(limited, refs, { ...options(), known });
    expect(r.outcome).toBe('ready');
    expect(calls.filter((c) => c === 'get Deployment').length).toBeGreaterThan(0);
    expect(calls.filter((c) => c === 'listVersioned Pod').length).toBeGreaterThan(0);
  });

  it('fails at once on an image that does not pull, and on a Job that failed, quoting why', async () => {
    const ns = await cluster.newNamespace('wait-fail');
    const client = await admin();
    const pull = await create(client, [deployment(ns, 'web', 'registry.invalid/web:1')]);
    const r = await waitForReady(client, pull.refs, { ...options(), known: pull.known });
    expect(r.outcome).toBe('failed');
    expect([...r.states.values()][0]!.reason).toMatch(/ErrImagePull|ImagePullBackOff/);

    const failing = await create(client, [job(ns, 'migrate', 'ghcr.io/acme/migrate:fail')]);
    const j = await waitForReady(client, failing.refs, { ...options(), known: failing.known });
    expect(j.outcome).toBe('failed');
    const state = [...j.states.values()][0]!;
    expect(state.reason).toBe('BackoffLimitExceeded');
    expect(state.detail).toMatch(/exited with code 1/);
  });

  it('times out on the clock it is given, and ends when interrupted', async () => {
    const ns = await cluster.newNamespace('wait-timeout');
    const client = await admin();
    const { refs, known } = await create(client, [deployment(ns, 'slow', 'ghcr.io/acme/slow:slow')]);
    const t = await waitForReady(client, refs, { ...options(1000), known });
    expect(t.outcome).toBe('timeout');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    const i = await waitForReady(client, refs, { ...options(), known, signal: abort.signal });
    expect(i.outcome).toBe('interrupted');
  });
});
