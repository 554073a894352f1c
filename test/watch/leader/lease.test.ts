import { describe, expect, it } from 'vitest';
import {
  acquiredRecord,
  leadershipDeadline,
  leaseObject,
  leaseRecordOf,
  leaseState,
  microTime,
  releasedRecord,
  sameRecord,
  type LeaseRecord,
} from '../../../src/watch/leader/lease.js';

/** The expiry decision and the records written, as pure functions. */

const held = (holderIdentity: string, leaseDurationSeconds = 15): LeaseRecord => ({
  holderIdentity,
  leaseDurationSeconds,
  acquireTime: '2026-11-24T23:05:01.123456Z',
  renewTime: '2026-11-24T23:05:01.123456Z',
  leaseTransitions: 3,
});

describe('leaseState', () => {
  it('finds a lease free when it has no holder, whatever its times', () => {
    expect(leaseState({ record: { ...held(''), leaseDurationSeconds: 1 }, observedAt: 1000 }, 'me', 1000, 15_000)).toBe('free');
  });

  it('finds it ours when this identity holds it, even expired', () => {
    expect(leaseState({ record: held('me'), observedAt: 0 }, 'me', 1e9, 15_000)).toBe('ours');
  });

  it('counts expiry from when this replica saw the record, for the lease duration the record gives', () => {
    const seen = { record: held('other', 15), observedAt: 100_000 };
    expect(leaseState(seen, 'me', 100_000, 2000)).toBe('held');
    expect(leaseState(seen, 'me', 114_999, 2000)).toBe('held');
    expect(leaseState(seen, 'me', 115_000, 2000)).toBe('expired');
    expect(leaseState({ record: held('other', 2), observedAt: 100_000 }, 'me', 102_000, 2000)).toBe('expired');
  });

  it('or for its own lease duration when that is longer (or the record has none)', () => {
    expect(leaseState({ record: held('other', 2), observedAt: 100_000 }, 'me', 102_000, 15_000)).toBe('held');
    expect(leaseState({ record: held('other', 0), observedAt: 100_000 }, 'me', 114_999, 15_000)).toBe('held');
    expect(leaseState({ record: held('other', 0), observedAt: 100_000 }, 'me', 115_000, 15_000)).toBe('expired');
  });

  it("ignores renewTime (another machine's clock): a renewal seen late still runs a full duration from then", () => {
    const old = { ...held('other', 15), renewTime: '2000-01-01T00:00:00.000000Z' };
    expect(leaseState({ record: old, observedAt: Date.parse('2026-11-24T23:05:00Z') }, 'me', Date.parse('2026-11-24T23:05:10Z'), 15_000)).toBe('held');
  });
});

describe('leadershipDeadline', () => {
  it('is one safety margin before the others may find the lease expired', () => {
    expect(leadershipDeadline(10_000, 15_000, 5_000)).toBe(20_000);
    // A follower that saw the renewal at once finds it expired at 25 000: the leader stopped 5 s before.
    const followerExpiry = 10_000 + 15_000;
    expect(leadershipDeadline(10_000, 15_000, 5_000)).toBeLessThan(followerExpiry);
  });
});

describe('records', () => {
  it('writes MicroTime as RFC 3339 with microseconds in UTC', () => {
    expect(microTime(Date.UTC(2026, 10, 24, 23, 5, 1, 123))).toBe('2026-11-24T23:05:01.123000Z');
    expect(microTime(Date.UTC(2026, 10, 24, 23, 5, 1, 123) + 0.4567)).toBe('2026-11-24T23:05:01.123456Z');
    expect(microTime(0)).toBe('1970-01-01T00:00:00.000000Z');
  });

  it('starts a new Lease at 0 transitions, acquired and renewed now', () => {
    expect(acquiredRecord(undefined, 'me', 0, 15)).toEqual({
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      acquireTime: '1970-01-01T00:00:00.000000Z',
      renewTime: '1970-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
    });
  });

  it('keeps the acquire time and transitions on a renewal', () => {
    const r = acquiredRecord(held('me'), 'me', 0, 15);
    expect(r).toMatchObject({ acquireTime: '2026-11-24T23:05:01.123456Z', renewTime: '1970-01-01T00:00:00.000000Z', leaseTransitions: 3 });
  });

  it('counts a transition on a change of holder, from another or from nobody', () => {
    expect(acquiredRecord(held('other'), 'me', 0, 15)).toMatchObject({ holderIdentity: 'me', acquireTime: '1970-01-01T00:00:00.000000Z', leaseTransitions: 4 });
    expect(acquiredRecord(releasedRecord(held('other'), 0), 'me', 0, 15).leaseTransitions).toBe(4);
  });

  it('releases with no holder and a 1 s duration, keeping the transitions', () => {
    expect(releasedRecord(held('me'), 0)).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: '1970-01-01T00:00:00.000000Z',
      renewTime: '1970-01-01T00:00:00.000000Z',
      leaseTransitions: 3,
    });
  });

  it('reads a Lease as the API server defaults it, and writes one keeping the live metadata', () => {
    expect(leaseRecordOf({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: {} })).toEqual({
      holderIdentity: '',
      leaseDurationSeconds: 0,
      leaseTransitions: 0,
    });
    const live = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', namespace: 'ns', resourceVersion: '42', labels: { a: 'b' } } as never,
      spec: {},
    };
    const next = leaseObject({ namespace: 'ns', name: 'l' }, held('me'), live);
    expect(next.metadata).toEqual({ name: 'l', namespace: 'ns', resourceVersion: '42', labels: { a: 'b' } });
    expect(leaseRecordOf(next)).toEqual(held('me'));
    expect(leaseObject({ namespace: 'ns', name: 'l' }, held('me')).metadata).toEqual({ name: 'l', namespace: 'ns' });
  });

  it('tells a changed record from the same one', () => {
    expect(sameRecord(held('a'), held('a'))).toBe(true);
    expect(sameRecord(held('a'), { ...held('a'), renewTime: '2026-11-24T23:05:02.000000Z' })).toBe(false);
    expect(sameRecord(held('a'), held('b'))).toBe(false);
  });
});
