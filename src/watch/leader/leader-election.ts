import { systemClock, type Clock } from '../../apply/clock.js';
import { formatRef } from '../../k8s/object-ref.js';
import { ClusterError, type ClusterClient, type ClusterErrorReason } from '../../cluster/types.js';
import { type ObjectRef } from '../../k8s/object-ref.js';
import type { K8sObject } from '../../k8s/types.js';
import {
  acquiredRecord,
  leadershipDeadline,
  leaseObject,
  leaseRecordOf,
  leaseState,
  LEASE_API_VERSION,
  releasedRecord,
  sameRecord,
  type LeaseObservation,
} from './lease.js';

export const DEFAULT_LEASE_NAME = 'kubemin-watch';

export interface LeaderElectionOptions {
  readonly client: ClusterClient;
  /** Where the Lease lives. */
  readonly namespace: string;
  /** The Lease's name (the daemon's: DEFAULT_LEASE_NAME). */
  readonly name: string;
  /** This replica, unique among them: `${hostname}-${pid}`. */
  readonly identity: string;
  /** How long a lease lasts without renewal (written as whole seconds, rounded up). The daemon's default: DEFAULT_LEASE_DURATION_MS. */
  readonly leaseDurationMs: number;
  /**
   * Time between renewals while leading and between attempts while not; also the safety margin:
   * a leader stops leading one interval before others may take the lease. Less than the lease
   * duration; the daemon's default: DEFAULT_LEASE_RENEW_MS.
   */
  readonly renewIntervalMs: number;
  readonly clock?: Clock;
  readonly onStartedLeading?: () => void;
  /** Lost the lease: could not renew it in time, another holder took it, it was released, or run() ended. */
  readonly onStoppedLeading?: () => void;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Why the lease cannot be taken or renewed right now, with what to do about it. */
export interface LeaseProblem {
  readonly reason: ClusterErrorReason;
  readonly message: string;
}

/** What one attempt to take or keep the lease came to. */
type Attempt =
  /** The lease is ours: written at `start` (the time the first request was sent). */
  | { readonly kind: 'leading'; readonly start: number }
  /** Another replica holds it. */
  | { readonly kind: 'following'; readonly holder: string }
  /** Undecided (an API error, or the Lease changed under us but is not another's): try again soon. */
  | { readonly kind: 'retry'; readonly why: string; readonly error?: unknown };

/** Reasons after which the Lease is read again instead of failing the attempt. */
const REREAD: readonly ClusterErrorReason[] = ['Conflict', 'NotFound'];

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection: the holder
 * renews the Lease every `renewIntervalMs`; the others read it as often and take it when it is
 * free (released) or has not changed for its lease duration. Writes are conditional (create, or
 * replace at the resourceVersion read), so of two replicas racing for it exactly one wins.
 *
 * A leader that cannot renew stops leading `renewIntervalMs` before another replica can find the
 * lease expired: at (start of its last successful renewal) + lease duration - renew interval,
 * by a timer, even while a request hangs.
 */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly ref: ObjectRef & { namespace: string };
  private readonly leaseSeconds: number;
  /** Delay before the next attempt after a failed renewal: a few tries before the deadline. */
  private readonly retryMs: number;
  private leading = false;
  /** The Lease as last read or written: its resourceVersion makes the next replace conditional. */
  private live: K8sObject | undefined;
  private seen: LeaseObservation | undefined;
  private deadlineTimer: AbortController | undefined;
  /** Aborted by release(): run() ends and no attempt starts after it. */
  private readonly released = new AbortController();
  private inflight: Promise<unknown> = Promise.resolve();
  private running = false;
  private trouble: LeaseProblem | undefined;
  /** The problem last logged, so that the same one is not logged at every attempt. */
  private reported: string | undefined;

  constructor(private readonly opts: LeaderElectionOptions) {
    if (!opts.namespace || !opts.name) throw new RangeError('leader election needs the namespace and name of its Lease');
    if (!opts.identity) throw new RangeError('leader election needs an identity');
    if (!(opts.leaseDurationMs >= 1000)) throw new RangeError(`leaseDurationMs must be at least 1000 (got ${opts.leaseDurationMs})`);
    if (!(opts.renewIntervalMs > 0 && opts.renewIntervalMs < opts.leaseDurationMs)) {
      throw new RangeError(`renewIntervalMs must be positive and less than leaseDurationMs (got ${opts.renewIntervalMs} and ${opts.leaseDurationMs})`);
    }
    this.clock = opts.clock ?? systemClock;
    this.ref = { apiVersion: LEASE_API_VERSION, kind: 'Lease', namespace: opts.namespace, name: opts.name };
    this.leaseSeconds = Math.ceil(opts.leaseDurationMs / 1000);
    this.retryMs = Math.max(1, Math.floor(opts.renewIntervalMs / 4));
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Who holds the lease as last seen (this replica or another), if anyone. */
  holder(): string | undefined {
    return this.seen?.record.holderIdentity || undefined;
  }

  /** Why the last attempt failed (the namespace is missing, RBAC refuses...); undefined after one that did not. */
  problem(): LeaseProblem | undefined {
    return this.trouble;
  }

  /**
   * Runs until the signal aborts (or release() is called): takes the lease when it is free or
   * expired, renews it while holding it. When it ends while leading it stops leading without
   * giving the lease up (call release() for that): the lease then runs out.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`leader election for ${formatRef(this.ref)} is already running`);
    this.running = true;
    const stop = AbortSignal.any([signal, this.released.signal]);
    try {
      while (!stop.aborted) {
        const tick = this.tick(stop);
        this.inflight = tick;
        // A hanging request does not hold the end of run() up; release() waits for it.
        const delay = await untilAborted(tick, stop);
        if (delay === undefined || stop.aborted) break;
        await this.clock.sleep(delay, stop);
      }
    } finally {
      this.running = false;
      this.stepDown('leader election stopped');
    }
  }

  /**
   * Gives the lease up at once, for a graceful shutdown: ends run(), stops leading, and when the
   * Lease is still this replica's, empties its holder (and sets a 1 s duration), so that another
   * replica takes over at its next attempt instead of after the lease duration. Never throws: a
   * lease that could not be released runs out on its own (the failure is logged).
   */
  async release(): Promise<void> {
    this.released.abort();
    await this.inflight.catch(() => undefined);
    this.stepDown('released the lease');
    try {
      let live = this.live ?? (await this.opts.client.get(this.ref));
      // One retry: a renewal may have changed the Lease since it was last read here.
      for (let attempt = 0; attempt < 2 && live; attempt++) {
        const record = leaseRecordOf(live);
        if (record.holderIdentity !== this.opts.identity) return;
        try {
          this.observe(await this.opts.client.replace(leaseObject(this.ref, releasedRecord(record, this.clock.now()), live)));
          this.log('info', 'released the lease', {});
          return;
        } catch (err) {
          if (!isReason(err, REREAD)) throw err;
          live = await this.opts.client.get(this.ref);
        }
      }
    } catch (err) {
      this.log('warn', 'could not release the lease: it runs out on its own', { error: (err as Error).message, leaseDurationSeconds: this.leaseSeconds });
    }
  }

  /** One attempt and what follows from it; resolves the delay before the next. */
  private async tick(stop: AbortSignal): Promise<number> {
    const attempt = await this.tryAcquireOrRenew();
    if (stop.aborted) return 0;
    switch (attempt.kind) {
      case 'leading':
        this.setProblem(undefined);
        this.renewed(attempt.start);
        return this.leading ? this.opts.renewIntervalMs : this.retryMs;
      case 'following':
        this.setProblem(undefined);
        this.stepDown(`the lease is held by ${attempt.holder}`);
        return this.opts.renewIntervalMs;
      case 'retry':
        if (this.leading) this.log('warn', 'could not renew the lease', { error: attempt.why });
        this.setProblem(this.describe(attempt));
        return this.leading ? this.retryMs : this.opts.renewIntervalMs;
    }
  }

  /** Remembers why attempts fail; says so once while not leading (not at every attempt), and says when it is over. */
  private setProblem(problem: LeaseProblem | undefined): void {
    this.trouble = problem;
    if (problem && !this.leading && problem.message !== this.reported) {
      this.reported = problem.message;
      const serious = problem.reason === 'NamespaceNotFound' || problem.reason === 'Forbidden' || problem.reason === 'Unauthorized';
      this.log(serious ? 'error' : 'warn', 'could not take the lease', { error: problem.message });
    } else if (!problem && this.reported !== undefined) {
      this.reported = undefined;
      this.log('info', 'the lease can be used again', {});
    }
  }

  /** What a failed attempt means, and the fix when there is an obvious one. */
  private describe(attempt: Extract<Attempt, { kind: 'retry' }>): LeaseProblem {
    const err = attempt.error;
    const reason: ClusterErrorReason = err instanceof ClusterError ? err.reason : 'Other';
    const { namespace, name } = this.ref;
    switch (reason) {
      case 'NamespaceNotFound':
        return {
          reason,
          message: `the namespace "${namespace}" of the Lease ${name} does not exist: create it (kubectl create namespace ${namespace}), or choose another with --lease-namespace`,
        };
      case 'Forbidden':
        return {
          reason,
          message: `not allowed to use the Lease ${namespace}/${name} (${attempt.why}): grant get, create and update on leases in ${namespace}, or choose another namespace with --lease-namespace`,
        };
      default:
        return { reason, message: attempt.why };
    }
  }

  /**
   * client-go's tryAcquireOrRenew. A leader first replaces the Lease it wrote last (one request);
   * otherwise, or when that conflicts, the Lease is read: created when missing, taken when free,
   * expired or ours, left alone when another holds it. Lost races read it again.
   */
  private async tryAcquireOrRenew(): Promise<Attempt> {
    const { client, identity } = this.opts;
    const start = this.clock.now();
    try {
      if (this.leading && this.live) {
        try {
          return this.wrote(await client.replace(this.claim(this.live, start)), start);
        } catch (err) {
          if (!isReason(err, REREAD)) throw err;
        }
      }
      const live = await client.get(this.ref);
      if (!live) {
        try {
          return this.wrote(await client.create(leaseObject(this.ref, acquiredRecord(undefined, identity, start, this.leaseSeconds))), start);
        } catch (err) {
          if (!isReason(err, ['AlreadyExists'])) throw err;
          return this.lostRace(await client.get(this.ref));
        }
      }
      const seen = this.observe(live);
      if (leaseState(seen, identity, this.clock.now(), this.opts.leaseDurationMs) === 'held') return { kind: 'following', holder: seen.record.holderIdentity };
      try {
        return this.wrote(await client.replace(this.claim(live, start)), start);
      } catch (err) {
        if (!isReason(err, REREAD)) throw err;
        return this.lostRace(await client.get(this.ref));
      }
    } catch (err) {
      return { kind: 'retry', why: (err as Error).message, error: err };
    }
  }

  /** `live` with this replica holding it from `now`. */
  private claim(live: K8sObject, now: number): K8sObject {
    return leaseObject(this.ref, acquiredRecord(leaseRecordOf(live), this.opts.identity, now, this.leaseSeconds), live);
  }

  private wrote(lease: K8sObject, start: number): Attempt {
    this.observe(lease);
    return { kind: 'leading', start };
  }

  /** Another write came first: following its holder, unless it is not another's (then try again). */
  private lostRace(live: K8sObject | undefined): Attempt {
    if (!live) return { kind: 'retry', why: `${formatRef(this.ref)} was deleted meanwhile` };
    const { holderIdentity } = this.observe(live).record;
    return holderIdentity && holderIdentity !== this.opts.identity
      ? { kind: 'following', holder: holderIdentity }
      : { kind: 'retry', why: `${formatRef(this.ref)} changed meanwhile` };
  }

  /** Remembers the Lease; the observation time restarts only when its record changed. */
  private observe(live: K8sObject): LeaseObservation {
    this.live = live;
    const record = leaseRecordOf(live);
    if (!this.seen || !sameRecord(this.seen.record, record)) {
      if (this.seen && record.holderIdentity && record.holderIdentity !== this.seen.record.holderIdentity && record.holderIdentity !== this.opts.identity) {
        this.log('info', 'the lease has a new holder', { holder: record.holderIdentity });
      }
      this.seen = { record, observedAt: this.clock.now() };
    }
    return this.seen;
  }

  /** A renewal sent at `start` succeeded: lead (or keep leading) until its deadline. */
  private renewed(start: number): void {
    const deadline = leadershipDeadline(start, this.opts.leaseDurationMs, this.opts.renewIntervalMs);
    if (this.clock.now() >= deadline) {
      // It took so long that others may already count it as expired.
      this.stepDown('the renewal came back too late');
      return;
    }
    this.armDeadline(deadline);
    if (this.leading) return;
    this.leading = true;
    this.log('info', 'started leading', { transitions: this.seen?.record.leaseTransitions });
    this.callback(this.opts.onStartedLeading);
  }

  /** Steps down at `deadline` unless a later renewal moves it. */
  private armDeadline(deadline: number): void {
    this.deadlineTimer?.abort();
    const timer = new AbortController();
    this.deadlineTimer = timer;
    void this.clock.sleep(Math.max(0, deadline - this.clock.now()), timer.signal).then(() => {
      if (!timer.signal.aborted) this.stepDown(`could not renew the lease within ${this.opts.leaseDurationMs - this.opts.renewIntervalMs} ms`);
    });
  }

  private stepDown(why: string): void {
    this.deadlineTimer?.abort();
    this.deadlineTimer = undefined;
    if (!this.leading) return;
    this.leading = false;
    this.log('info', 'stopped leading', { reason: why });
    this.callback(this.opts.onStoppedLeading);
  }

  private callback(fn: (() => void) | undefined): void {
    try {
      fn?.();
    } catch (err) {
      this.log('warn', 'a leader election callback threw', { error: (err as Error).message });
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    this.opts.log?.(level, message, { lease: `${this.ref.namespace}/${this.ref.name}`, identity: this.opts.identity, ...fields });
  }
}

/**
 * `work`'s value, or undefined as soon as `signal` aborts (work carries on, unawaited). The abort
 * listener is removed each time, so that a long-running loop does not pile them up.
 */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return undefined;
  let onAbort = (): void => undefined;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function isReason(err: unknown, reasons: readonly ClusterErrorReason[]): boolean {
  return err instanceof ClusterError && reasons.includes(err.reason);
}
