import { describe, expect, it, onTestFinished } from 'vitest';
import { connect } from '../../../src/cluster/http-client.js';
import { ClusterError, type ClusterClient } from '../../../src/cluster/types.js';
import { DEFAULT_LEASE_NAME, LeaderElector } from '../../../src/watch/leader/leader-election.js';
import { testCluster } from '../../cluster/cluster.js';
import { faultyClient } from './faulty-client.js';

/**
 * Leader election against the real API server of the test cluster, one namespace per test, with
 * short durations (lease 2 s, renew every 500 ms). Nothing asserts how long something took:
 * conditions are polled, with a bound that only turns a hang into a failure. The exact timing, with
 * hanging and failing calls, on a fake clock: leader-faults.test.ts.
 */

const cluster = testCluster();
const LEASE_MS = 2000;
const RENEW_MS = 500;

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Replica {
  readonly id: string;
  readonly elector: LeaderElector;
  /** Aborts run() without releasing: a killed process, as far as the Lease can tell. */
  readonly kill: () => Promise<void>;
  readonly logs: string[];
}

/** Every replica's leadership changes, in order, across replicas. */
type Events = string[];

async function newClient(): Promise<ClusterClient> {
  const client = await connect({ kubeconfig: cluster.kubeconfig });
  onTestFinished(() => client.close());
  return client;
}

async function replica(ns: string, id: string, events: Events, opts: { client?: ClusterClient; leaseDurationMs?: number } = {}): Promise<Replica> {
  const client = opts.client ?? (await newClient());
  const logs: string[] = [];
  const leaders = (): string[] => replicas.filter((r) => r.elector.isLeader()).map((r) => r.id);
  const elector = new LeaderElector({
    client,
    namespace: ns,
    name: DEFAULT_LEASE_NAME,
    identity: id,
    leaseDurationMs: opts.leaseDurationMs ?? LEASE_MS,
    renewIntervalMs: RENEW_MS,
    onStartedLeading: () => {
      events.push(`${id} started${leaders().length > 1 ? ` while ${leaders().join(', ')} lead` : ''}`);
    },
    onStoppedLeading: () => events.push(`${id} stopped`),
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
  const stop = new AbortController();
  const run = elector.run(stop.signal);
  const r: Replica = {
    id,
    elector,
    logs,
    kill: async () => {
      stop.abort();
      await run;
    },
  };
  replicas.push(r);
  onTestFinished(async () => {
    await r.kill();
    replicas.splice(replicas.indexOf(r), 1);
  });
  return r;
}

/** Every replica of the running test (to check that two never lead at once). */
const replicas: Replica[] = [];

/** Polls `cond` every 50 ms; fails saying `what` when it is still false after `boundMs`. */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, boundMs = 20_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lease(ns: string): Promise<LeaseSpec & { resourceVersion: string }> {
  const o = await cluster.kubectlJson<{ spec: LeaseSpec; metadata: { resourceVersion: string } }>(['get', 'lease', '-n', ns, DEFAULT_LEASE_NAME]);
  return { ...o.spec, resourceVersion: o.metadata.resourceVersion };
}

const leaders = (rs: readonly Replica[]): string[] => rs.filter((r) => r.elector.isLeader()).map((r) => r.id);

describe('LeaderElector against the test cluster', () => {
  it('of two electors in one namespace, exactly one leads, and keeps renewing', async () => {
    const ns = await cluster.newNamespace('leader-two');
    const events: Events = [];
    const rs = [await replica(ns, 'a', events), await replica(ns, 'b', events)];
    await waitFor('a leader', () => leaders(rs).length > 0);
    const [leader] = leaders(rs);
    const first = await lease(ns);
    expect(first).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(first.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // Several renewals later: the same leader, the same acquire time, a later renew time.
    let renewals = 0;
    let seen = first.renewTime;
    await waitFor('three renewals', async () => {
      const now = await lease(ns);
      if (now.renewTime !== seen) {
        renewals++;
        seen = now.renewTime;
      }
      return renewals >= 3;
    });
    const later = await lease(ns);
    expect(later).toMatchObject({ holderIdentity: leader, acquireTime: first.acquireTime, leaseTransitions: 0 });
    expect(Date.parse(later.renewTime!)).toBeGreaterThan(Date.parse(first.renewTime!));
    expect(leaders(rs)).toEqual([leader]);
    expect(events).toEqual([`${leader} started`]);
  });

  it('when the leader releases, the other leads without waiting for the lease to run out', async () => {
    const ns = await cluster.newNamespace('leader-release');
    const events: Events = [];
    // A lease of 60 s: were the release not seen, the takeover would come long after the wait's bound.
    const a = await replica(ns, 'a', events, { leaseDurationMs: 60_000 });
    await waitFor('a to lead', () => a.elector.isLeader());
    const b = await replica(ns, 'b', events, { leaseDurationMs: 60_000 });
    await a.elector.release();
    expect(a.elector.isLeader()).toBe(false);
    await waitFor('b to lead after the release', () => b.elector.isLeader(), 10_000);
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
    expect(await lease(ns)).toMatchObject({ holderIdentity: 'b', leaseDurationSeconds: 60, leaseTransitions: 1 });
  });

  it('when the leader stops renewing (killed), the other takes over once the lease has run out', async () => {
    const ns = await cluster.newNamespace('leader-killed');
    const events: Events = [];
    const a = await replica(ns, 'a', events);
    await waitFor('a to lead', () => a.elector.isLeader());
    const b = await replica(ns, 'b', events);
    await a.kill();
    expect(a.elector.isLeader()).toBe(false);
    const abandoned = await lease(ns);
    expect(abandoned.holderIdentity).toBe('a');
    await waitFor('b to take over', () => b.elector.isLeader());
    expect(await lease(ns)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    // Not before the lease ran out: exactly when, on the fake clock, in leader-faults.test.ts.
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
  });

  it('counts leaseTransitions on each change of holder, not on renewals', async () => {
    const ns = await cluster.newNamespace('leader-transitions');
    const events: Events = [];
    const a = await replica(ns, 'a', events);
    await waitFor('a to lead', () => a.elector.isLeader());
    const b = await replica(ns, 'b', events);
    await a.elector.release();
    await waitFor('b to lead', () => b.elector.isLeader());
    expect((await lease(ns)).leaseTransitions).toBe(1);
    const a2 = await replica(ns, 'a', events);
    await b.elector.release();
    await waitFor('a to lead again', () => a2.elector.isLeader());
    const back = await lease(ns);
    expect(back).toMatchObject({ holderIdentity: 'a', leaseTransitions: 2 });
    await waitFor('a renewal', async () => (await lease(ns)).renewTime !== back.renewTime);
    expect(await lease(ns)).toMatchObject({ holderIdentity: 'a', acquireTime: back.acquireTime, leaseTransitions: 2 });
    expect(events).toEqual(['a started', 'a stopped', 'b started', 'b stopped', 'a started']);
  });

  it('a leader steps down when the Lease is deleted and recreated by someone else with another holder', async () => {
    const ns = await cluster.newNamespace('leader-stolen');
    const events: Events = [];
    const client = await newClient();
    const a = await replica(ns, 'a', events, { client });
    await waitFor('a to lead', () => a.elector.isLeader());
    const admin = await newClient();
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: ns, name: DEFAULT_LEASE_NAME };
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    const intruder = {
      ...ref,
      metadata: { name: DEFAULT_LEASE_NAME, namespace: ns },
      spec: { holderIdentity: 'intruder', leaseDurationSeconds: 60, acquireTime: now, renewTime: now, leaseTransitions: 7 },
    };
    // a may recreate the Lease between the delete and the create (it is missing, so a takes it): then again.
    await waitFor('the intruder to hold the lease', async () => {
      await admin.delete(ref);
      return admin.create(intruder).then(
        () => true,
        (err: unknown) => {
          if (err instanceof ClusterError && err.reason === 'AlreadyExists') return false;
          throw err;
        },
      );
    });
    await waitFor('a to step down', () => !a.elector.isLeader());
    expect(events).toEqual(['a started', 'a stopped']);
    expect(a.logs.some((l) => l.includes('stopped leading') && l.includes('held by intruder'))).toBe(true);
    // a follows the intruder from then on: it does not take a lease that is held and running.
    const requests = client.requests;
    await waitFor('a to read the lease three more times', () => client.requests >= requests + 3);
    expect(a.elector.isLeader()).toBe(false);
    expect(await lease(ns)).toMatchObject({ holderIdentity: 'intruder', leaseTransitions: 7 });
  });

  it('a leader whose renewals fail stops leading before the other takes over', async () => {
    const ns = await cluster.newNamespace('leader-unreachable');
    const events: Events = [];
    // The API server unreachable for a while (as a network partition would make it): every call fails with a 503.
    const partitioned = faultyClient(await newClient());
    const a = await replica(ns, 'a', events, { client: partitioned });
    await waitFor('a to lead', () => a.elector.isLeader());
    const b = await replica(ns, 'b', events);
    partitioned.failAll(503);
    await waitFor('b to take over', () => b.elector.isLeader());
    // a gave up on its own, before b could take the lease: leadership never overlapped.
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
    expect(a.logs.some((l) => l.includes('could not renew the lease'))).toBe(true);
    expect(partitioned.log).toContain('replace injected 503');
    expect(await lease(ns)).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    // Reachable again, a follows b.
    partitioned.heal();
    await waitFor('a to see b', async () => a.logs.some((l) => l.includes('new holder') && l.includes('"holder":"b"')));
    expect(a.elector.isLeader()).toBe(false);
  });
});
