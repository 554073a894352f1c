import type { K8sObject } from '../../k8s/types.js';

/**
 * The Lease lock, as pure functions of what was read and the time: client-go's leaderelection
 * record (`resourcelock.LeaderElectionRecord`) on a coordination.k8s.io/v1 Lease.
 */

export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

/** What a Lease's spec says about its holder. */
export interface LeaseRecord {
  /** '' when nobody holds it (never taken, or released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** MicroTime: when the current holder took it. */
  readonly acquireTime?: string;
  /** MicroTime: the holder's last renewal. */
  readonly renewTime?: string;
  /** Changes of holder since the Lease was created. */
  readonly leaseTransitions: number;
}

/**
 * Who has the lease, seen from `identity`:
 * - `free`: nobody (never taken, or released);
 * - `ours`: `identity` holds it;
 * - `held`: another holder whose lease is still running;
 * - `expired`: another holder that has not renewed for its lease duration.
 */
export type LeaseState = 'free' | 'ours' | 'held' | 'expired';

export interface LeaseObservation {
  readonly record: LeaseRecord;
  /**
   * When this replica first saw this record (local clock, after the read returned). Expiry is
   * judged from it, not from `renewTime`: renewTime was written by another machine's clock, and
   * comparing it with ours would let a replica whose clock runs ahead take over from a leader that
   * still believes it leads. The record changes at every renewal, so a lease seen unchanged for its
   * whole duration has not been renewed for at least that long, whatever the clocks say.
   */
  readonly observedAt: number;
}

/**
 * Whether `identity` may take the lease at `now`, and why (as client-go decides it). A held lease
 * runs for the longer of the duration its record gives and `ownDurationMs`: a holder configured
 * with a longer lease is never cut short, and a record without a duration is not taken at once.
 */
export function leaseState(seen: LeaseObservation, identity: string, now: number, ownDurationMs: number): LeaseState {
  const { record, observedAt } = seen;
  if (record.holderIdentity === '') return 'free';
  if (record.holderIdentity === identity) return 'ours';
  const durationMs = Math.max(record.leaseDurationSeconds * 1000, ownDurationMs);
  return now >= observedAt + durationMs ? 'expired' : 'held';
}

/**
 * When a leader that last renewed at `lastRenewStart` (the time it SENT that renewal: the write may
 * be seen by others from then on) must consider itself no longer leader: one safety margin before
 * any other replica can find the lease expired, which is `leaseDurationMs` after it saw the
 * renewal at the earliest.
 */
export function leadershipDeadline(lastRenewStart: number, leaseDurationMs: number, safetyMarginMs: number): number {
  return lastRenewStart + leaseDurationMs - safetyMarginMs;
}

/** The record of the Lease object (missing fields as the API server's defaults would read). */
export function leaseRecordOf(lease: K8sObject): LeaseRecord {
  const spec = (lease.spec ?? {}) as Partial<Record<keyof LeaseRecord, unknown>>;
  return {
    holderIdentity: typeof spec.holderIdentity === 'string' ? spec.holderIdentity : '',
    leaseDurationSeconds: typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : 0,
    ...(typeof spec.acquireTime === 'string' ? { acquireTime: spec.acquireTime } : {}),
    ...(typeof spec.renewTime === 'string' ? { renewTime: spec.renewTime } : {}),
    leaseTransitions: typeof spec.leaseTransitions === 'number' ? spec.leaseTransitions : 0,
  };
}

/** Whether two records differ (a renewal, a new holder...): what makes a follower restart its expiry count. */
export function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/**
 * The record that takes or renews the lease for `identity` at `now`: a renewal keeps the
 * acquire time and the transitions; a change of holder (from another, or from nobody after a
 * release) counts one transition. A Lease that does not exist yet starts at 0 transitions.
 */
export function acquiredRecord(previous: LeaseRecord | undefined, identity: string, now: number, leaseDurationSeconds: number): LeaseRecord {
  const time = microTime(now);
  const renewing = previous?.holderIdentity === identity;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: renewing ? (previous?.acquireTime ?? time) : time,
    renewTime: time,
    leaseTransitions: previous === undefined ? 0 : renewing ? previous.leaseTransitions : previous.leaseTransitions + 1,
  };
}

/**
 * The record that gives the lease up (client-go's release): no holder, and a 1 s duration, so
 * that even a replica that ignores an empty holder finds it expired at once.
 */
export function releasedRecord(previous: LeaseRecord, now: number): LeaseRecord {
  const time = microTime(now);
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: time, renewTime: time, leaseTransitions: previous.leaseTransitions };
}

/**
 * The Lease object to create (no `live`) or to replace `live` with: `live`'s metadata (labels,
 * annotations, and the resourceVersion that makes the replace conditional) with `record` as spec.
 */
export function leaseObject(ref: { namespace: string; name: string }, record: LeaseRecord, live?: K8sObject): K8sObject {
  const spec = {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    ...(record.acquireTime ? { acquireTime: record.acquireTime } : {}),
    ...(record.renewTime ? { renewTime: record.renewTime } : {}),
    leaseTransitions: record.leaseTransitions,
  };
  const metadata = live ? { ...live.metadata } : { name: ref.name, namespace: ref.namespace };
  return { apiVersion: LEASE_API_VERSION, kind: 'Lease', metadata, spec };
}

/** A MicroTime: RFC 3339 in UTC with microseconds, `2026-11-24T23:05:01.123456Z`. */
export function microTime(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.floor((ms - whole) * 1000));
  return `${new Date(whole).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}
