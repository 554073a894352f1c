import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/apply/clock.js';
import { ClusterError, refOf, type ClusterClient, type ObjectRef } from '../../../src/cluster/types.js';
import type { K8sObject } from '../../../src/k8s/types.js';
import { LeaderElector } from '../../../src/watch/leader/leader-election.js';

/**
 * The elector against an in-memory Lease store and a fake clock: the timing guarantees, exactly
 * (the real API server is in leader-election.test.ts).
 */

/** A clock whose time only moves when the test says; sleeps resolve in time order. */
class FakeClock implements Clock {
  t = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      const timer = {
        at: this.t + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time on to `until`, waking each sleeper at its time and letting it run before the next. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    this.t = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Leases kept in memory with resourceVersions, as the API server would: conditional replace, exclusive create. */
class LeaseStore {
  private rv = 0;
  readonly objects = new Map<string, K8sObject>();

  client(): ClusterClient & { mode: 'up' | 'hang' | 'fail' } {
    const store = this;
    const key = (r: ObjectRef): string => `${r.namespace}/${r.name}`;
    const clone = (o: K8sObject): K8sObject => structuredClone(o);
    const gate = async (c: { mode: string }, ref: ObjectRef): Promise<void> => {
      if (c.mode === 'hang') await new Promise(() => undefined);
      if (c.mode === 'fail') throw new ClusterError(ref, 'Unavailable', 'cannot reach the API server');
    };
    const unused = (): never => {
      throw new Error('not used by leader election');
    };
    const c = {
      mode: 'up' as 'up' | 'hang' | 'fail',
      requests: 0,
      async get(ref: ObjectRef) {
        c.requests++;
        await gate(c, ref);
        const o = store.objects.get(key(ref));
        return o && clone(o);
      },
      async create(o: K8sObject) {
        c.requests++;
        await gate(c, refOf(o));
        if (store.objects.has(key(refOf(o)))) throw new ClusterError(refOf(o), 'AlreadyExists', 'exists', 409);
        const stored = { ...clone(o), metadata: { ...o.metadata, resourceVersion: String(++store.rv) } };
        store.objects.set(key(refOf(o)), stored);
        return clone(stored);
      },
      async replace(o: K8sObject) {
        c.requests++;
        await gate(c, refOf(o));
        const live = store.objects.get(key(refOf(o)));
        if (!live) throw new ClusterError(refOf(o), 'NotFound', 'not found', 404);
        if ((live.metadata as { resourceVersion?: string }).resourceVersion !== (o.metadata as { resourceVersion?: string }).resourceVersion) {
          throw new ClusterError(refOf(o), 'Conflict', 'the object has been modified', 409);
        }
        const stored = { ...clone(o), metadata: { ...o.metadata, resourceVersion: String(++store.rv) } };
        store.objects.set(key(refOf(o)), stored);
        return clone(stored);
      },
      resourceFor: unused,
      apply: unused,
      list: unused,
      listVersioned: unused,
      watch: unused,
      delete: unused,
      forgetDiscovery: () => undefined,
      close: () => undefined,
    };
    return c;
  }

  holder(): string | undefined {
    return (this.objects.get('ns/lease')?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
  }
}

const LEASE_MS = 2000;
const RENEW_MS = 500;

function elector(id: string, client: ClusterClient, clock: Clock, events: string[]): LeaderElector {
  return new LeaderElector({
    client,
    namespace: 'ns',
    name: 'lease',
    identity: id,
    leaseDurationMs: LEASE_MS,
    renewIntervalMs: RENEW_MS,
    clock,
    onStartedLeading: () => events.push(`${clock.now()} ${id} started`),
    onStoppedLeading: () => events.push(`${clock.now()} ${id} stopped`),
  });
}

describe('LeaderElector (fake clock)', () => {
  it('refuses a renew interval that is not shorter than the lease', () => {
    const store = new LeaseStore();
    expect(
      () => new LeaderElector({ client: store.client(), namespace: 'ns', name: 'l', identity: 'a', leaseDurationMs: 2000, renewIntervalMs: 2000 }),
    ).toThrow(RangeError);
  });

  it('a leader whose renewals hang stops leading one renew interval before the lease can expire; the other takes over after it', async () => {
    const clock = new FakeClock();
    const store = new LeaseStore();
    const events: string[] = [];
    const ca = store.client();
    const a = elector('a', ca, clock, events);
    const b = elector('b', store.client(), clock, events);
    const stop = new AbortController();
    const runs = [a.run(stop.signal)];
    await clock.advanceTo(0);
    runs.push(b.run(stop.signal));
    await clock.advanceTo(1000);
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
    // a renewed at 1000 (every 500 ms); from now on its requests never answer.
    ca.mode = 'hang';
    await clock.advanceTo(10_000);
    // Deadline: last renewal sent at 1000 + lease 2000 - margin 500. b saw that renewal at 1000 at
    // the latest (it polls every 500 ms), so it may take over from 3000: a stopped 500 ms before.
    expect(events).toEqual(['0 a started', '2500 a stopped', '3000 b started']);
    expect(store.holder()).toBe('b');
    stop.abort();
    await clock.advanceTo(10_500);
    await Promise.all(runs);
  });

  it('a leader whose renewals fail keeps retrying within its deadline and carries on when one succeeds', async () => {
    const clock = new FakeClock();
    const store = new LeaseStore();
    const events: string[] = [];
    const ca = store.client();
    const a = elector('a', ca, clock, events);
    const stop = new AbortController();
    const run = a.run(stop.signal);
    await clock.advanceTo(0);
    ca.mode = 'fail';
    const before = ca.requests;
    await clock.advanceTo(1200);
    // A failed renewal is retried every quarter renew interval, not after a whole one.
    expect(ca.requests - before).toBeGreaterThanOrEqual(3);
    ca.mode = 'up';
    await clock.advanceTo(5000);
    expect(events).toEqual(['0 a started']);
    expect(a.isLeader()).toBe(true);
    stop.abort();
    await clock.advanceTo(5500);
    await run;
    expect(events).toEqual(['0 a started', '5000 a stopped']);
  });

  it('two electors racing for a missing Lease: exactly one creates it, the other follows', async () => {
    const clock = new FakeClock();
    const store = new LeaseStore();
    const events: string[] = [];
    const a = elector('a', store.client(), clock, events);
    const b = elector('b', store.client(), clock, events);
    const stop = new AbortController();
    const runs = [a.run(stop.signal), b.run(stop.signal)];
    await clock.advanceTo(5000);
    expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(events).toHaveLength(1);
    stop.abort();
    await clock.advanceTo(5500);
    await Promise.all(runs);
  });

  it('release() empties the holder only when the lease is still ours, and ends run()', async () => {
    const clock = new FakeClock();
    const store = new LeaseStore();
    const events: string[] = [];
    const a = elector('a', store.client(), clock, events);
    const run = a.run(new AbortController().signal);
    await clock.advanceTo(100);
    await a.release();
    await run;
    expect(store.objects.get('ns/lease')?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(events).toEqual(['0 a started', '100 a stopped']);

    // b takes it; a (a new elector with a's identity that never led) releasing does not touch it.
    const b = elector('b', store.client(), clock, events);
    const stopB = new AbortController();
    const runB = b.run(stopB.signal);
    await clock.advanceTo(200);
    const a2 = elector('a', store.client(), clock, events);
    await a2.release();
    expect(store.objects.get('ns/lease')?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    stopB.abort();
    await runB;
  });
});
