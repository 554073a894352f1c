import { describe, expect, it, onTestFinished } from 'vitest';
import { connect } from '../../../src/cluster/http-client.js';
import type { ClusterClient } from '../../../src/cluster/types.js';
import { DEFAULT_LEASE_NAME, LeaderElector } from '../../../src/watch/leader/leader-election.js';
import { microTime } from '../../../src/watch/leader/lease.js';
import { testCluster } from '../../cluster/cluster.js';
import { FakeClock } from './fake-clock.js';
import { faultyClient, type FaultyClient, type HeldCall } from './faulty-client.js';

/**
 * The elector's timing guarantees, exactly, on real Leases: the test cluster's API server (its
 * resourceVersions, conflicts and AlreadyExists) behind a client that hangs or fails on demand,
 * and a fake clock that moves only when the test says, after every request in flight has been
 * answered. Times in the events are milliseconds of that clock since the test began; lease 2 s,
 * renewal every 500 ms.
 */

const cluster = testCluster();
const LEASE_MS = 2000;
const RENEW_MS = 500;
/** The fake clock's start: any time will do (the Lease's MicroTimes are written from it). */
const T0 = Date.parse('2026-12-04T12:00:00Z');

interface Setup {
  readonly ns: string;
  readonly clock: FakeClock;
  /** Every elector's leadership changes, `<ms since T0> <id> started|stopped`. */
  readonly events: string[];
  /** An elector with its own faulty client (given to `before` first), running until the test ends (or kill()). */
  replica(id: string, before?: (client: FaultyClient) => void): Promise<Replica>;
  /** The Lease as the API server has it (a client of its own, without faults). */
  lease(): Promise<{ holderIdentity?: string; leaseDurationSeconds?: number; leaseTransitions?: number; renewTime?: string }>;
  /** A client without faults, for the test's own writes. */
  admin(): Promise<ClusterClient>;
}

interface Replica {
  readonly elector: LeaderElector;
  readonly client: FaultyClient;
  /** Ends run() without releasing: a killed process, as far as the Lease can tell. */
  kill(): Promise<void>;
}

async function setup(prefix: string): Promise<Setup> {
  const ns = await cluster.newNamespace(prefix);
  const clock = new FakeClock(T0);
  const events: string[] = [];
  const newClient = async (): Promise<ClusterClient> => {
    const client = await connect({ kubeconfig: cluster.kubeconfig });
    onTestFinished(() => client.close());
    return client;
  };
  const admin = clock.follow(faultyClient(await newClient()));
  const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: ns, name: DEFAULT_LEASE_NAME };
  return {
    ns,
    clock,
    events,
    admin: async () => admin,
    lease: async () => ((await admin.get(ref))?.spec ?? {}) as Record<string, never>,
    replica: async (id, before) => {
      const client = clock.follow(faultyClient(await newClient()));
      before?.(client);
      const elector = new LeaderElector({
        client,
        namespace: ns,
        name: DEFAULT_LEASE_NAME,
        identity: id,
        leaseDurationMs: LEASE_MS,
        renewIntervalMs: RENEW_MS,
        clock,
        onStartedLeading: () => events.push(`${clock.now() - T0} ${id} started`),
        onStoppedLeading: () => events.push(`${clock.now() - T0} ${id} stopped`),
      });
      const stop = new AbortController();
      const run = elector.run(stop.signal);
      const kill = async (): Promise<void> => {
        stop.abort();
        await run;
      };
      onTestFinished(async () => {
        client.heal();
        await kill();
      });
      return { elector, client, kill };
    },
  };
}

describe('LeaderElector on real Leases, with faults and a fake clock', () => {
  it('refuses a renew interval that is not shorter than the lease', () => {
    const client = faultyClient({} as ClusterClient);
    expect(() => new LeaderElector({ client, namespace: 'ns', name: 'l', identity: 'a', leaseDurationMs: 2000, renewIntervalMs: 2000 })).toThrow(RangeError);
  });

  it('a leader whose API calls hang stops leading one renew interval before the lease can expire; the other takes over after it', async () => {
    const s = await setup('leader-hang');
    const a = await s.replica('a');
    await s.clock.advanceTo(T0);
    const b = await s.replica('b');
    await s.clock.advanceTo(T0 + 1000);
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    // a renewed at 1000 (every 500 ms); from now on its requests never answer.
    a.client.hangAll();
    await s.clock.advanceTo(T0 + 10_000);
    // Deadline: last renewal sent at 1000 + lease 2000 - margin 500. b saw that renewal at 1000 (it
    // reads every 500 ms, right after a renews), so it may take over from 3000: a stopped 500 ms before.
    expect(s.events).toEqual(['0 a started', '2500 a stopped', '3000 b started']);
    expect(a.client.log).toContain('replace hung');
    expect(await s.lease()).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1, renewTime: microTime(T0 + 10_000) });
    // Its calls answered again (the hung one timed out), a follows b.
    a.client.heal();
    await s.clock.advanceTo(T0 + 12_000);
    expect(a.client.log).toContain('replace Timeout');
    expect(a.client.log.at(-1)).toBe('get ok');
    expect(a.elector.isLeader()).toBe(false);
    expect(s.events).toHaveLength(3);
  });

  it('a leader whose renewal was written but whose answer was lost stops by the renewal it knows of; the other counts from the one it saw', async () => {
    const s = await setup('leader-lost-answer');
    const a = await s.replica('a');
    await s.clock.advanceTo(T0);
    const b = await s.replica('b');
    await s.clock.advanceTo(T0 + 1000);
    a.client.loseNextAnswer('replace');
    await s.clock.advanceTo(T0 + 1600);
    // The renewal of 1500 is in the Lease; a never heard of it.
    expect(a.client.log.slice(-2)).toEqual(['replace ok', 'replace answer lost']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'a', renewTime: microTime(T0 + 1500) });
    await s.clock.advanceTo(T0 + 5000);
    // a: last renewal it knows of sent at 1000, so it stops at 1000 + 2000 - 500. b saw the record
    // change at 1500, so the lease is a's until 1500 + 2000.
    expect(s.events).toEqual(['0 a started', '2500 a stopped', '3500 b started']);
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([false, true]);
  });

  it('a leader whose renewals fail retries every quarter interval, and carries on when one succeeds before its deadline', async () => {
    const s = await setup('leader-fail');
    const a = await s.replica('a');
    await s.clock.advanceTo(T0);
    a.client.failAll(500);
    await s.clock.advanceTo(T0 + 1200);
    // Renewal at 500 failed, then tries at 625, 750, ... every RENEW_MS / 4, none reaching the server.
    expect(a.client.log.filter((l) => l === 'replace injected 500' || l === 'get injected 500')).toHaveLength(6);
    a.client.heal();
    await s.clock.advanceTo(T0 + 5000);
    expect(s.events).toEqual(['0 a started']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0 });
    await a.kill();
    expect(s.events).toEqual(['0 a started', '5000 a stopped']);
  });

  it('a leader whose renewals fail past its deadline stops leading, and takes its own lease back when they succeed again', async () => {
    const s = await setup('leader-lost');
    const a = await s.replica('a');
    await s.clock.advanceTo(T0);
    a.client.failAll(503);
    await s.clock.advanceTo(T0 + 3000);
    // Last renewal sent at 0: deadline 0 + 2000 - 500. Renewals (replace) until then, every 125 ms;
    // then, not leading, reads (get) every 500 ms.
    expect(s.events).toEqual(['0 a started', '1500 a stopped']);
    expect(a.client.log.slice(2)).toEqual([...Array<string>(8).fill('replace injected 503'), ...Array<string>(4).fill('get injected 503')]);
    a.client.heal();
    await s.clock.advanceTo(T0 + 5000);
    // Still its own (nobody took it): taken again at its next attempt, at 3500.
    expect(s.events).toEqual(['0 a started', '1500 a stopped', '3500 a started']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0, renewTime: microTime(T0 + 5000) });
  });

  it('a leader whose Lease was taken meanwhile gets a real 409 on its renewal, reads it and steps down', async () => {
    const s = await setup('leader-conflict');
    const a = await s.replica('a');
    await s.clock.advanceTo(T0 + 100);
    // Someone else takes the Lease between two renewals: a replace at the resourceVersion it read.
    const admin = await s.admin();
    const ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: s.ns, name: DEFAULT_LEASE_NAME };
    const live = (await admin.get(ref))!;
    const spec = live.spec as Record<string, unknown>;
    await admin.replace({ ...live, spec: { ...spec, holderIdentity: 'intruder', leaseDurationSeconds: 60, leaseTransitions: 1 } });
    await s.clock.advanceTo(T0 + 2000);
    expect(s.events).toEqual(['0 a started', '500 a stopped']);
    expect(a.client.log.slice(-5)).toEqual(['replace Conflict', 'get ok', 'get ok', 'get ok', 'get ok']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'intruder', leaseTransitions: 1 });
  });

  it('when the leader dies, the other takes over once the lease has gone unrenewed for its duration, not before', async () => {
    const s = await setup('leader-expiry');
    const a = await s.replica('a');
    await s.clock.advanceTo(T0);
    const b = await s.replica('b');
    await s.clock.advanceTo(T0 + 1000);
    await a.kill();
    // b saw a's last renewal (at 1000) at 1000: the lease is a's until 3000.
    await s.clock.advanceTo(T0 + 2999);
    expect(b.elector.isLeader()).toBe(false);
    await s.clock.advanceTo(T0 + 4000);
    expect(s.events).toEqual(['0 a started', '1000 a stopped', '3000 b started']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('two replicas racing for a missing Lease: the API server lets one create it, the other gets AlreadyExists and follows', async () => {
    const s = await setup('leader-race-create');
    // Both read no Lease and go to create it (held there until both are); a's is sent first.
    const held: HeldCall[] = [];
    const a = await s.replica('a', (client) => held.push(client.hangNext('create')));
    const b = await s.replica('b', (client) => held.push(client.hangNext('create')));
    await Promise.all(held.map((h) => h.reached));
    held[0]!.release();
    await s.clock.settle();
    held[1]!.release();
    await s.clock.advanceTo(T0 + 3000);
    expect(a.client.log).toEqual([
      'get missing',
      'create hung',
      'create ok',
      'replace ok',
      'replace ok',
      'replace ok',
      'replace ok',
      'replace ok',
      'replace ok',
    ]);
    expect(b.client.log).toEqual(['get missing', 'create hung', 'create AlreadyExists', 'get ok', 'get ok', 'get ok', 'get ok', 'get ok', 'get ok', 'get ok']);
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    expect(s.events).toEqual(['0 a started']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'a', leaseTransitions: 0 });
  });

  it('two replicas racing for an expired Lease: one replace wins, the other gets a real 409 Conflict and follows', async () => {
    const s = await setup('leader-race-expired');
    const c = await s.replica('c');
    await s.clock.advanceTo(T0);
    const a = await s.replica('a');
    const b = await s.replica('b');
    await s.clock.advanceTo(T0 + 100);
    await c.kill();
    // Both find it expired at 2000 and replace it at the resourceVersion both read (held there until
    // both are); a's is sent first.
    const held = [a.client.hangNext('replace'), b.client.hangNext('replace')];
    await s.clock.advanceTo(T0 + 2000);
    await Promise.all(held.map((h) => h.reached));
    held[0]!.release();
    await s.clock.settle();
    expect(a.elector.isLeader()).toBe(true);
    held[1]!.release();
    await s.clock.advanceTo(T0 + 4000);
    expect(b.client.log).toContain('replace Conflict');
    expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    expect(s.events).toEqual(['0 c started', '100 c stopped', '2000 a started']);
    expect(await s.lease()).toMatchObject({ holderIdentity: 'a', leaseTransitions: 1 });
  });
});
