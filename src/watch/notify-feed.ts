import type { ApplyCommit } from '../apply/types.js';
import type { AppFacts } from '../notify/notification.js';
import type { Notices } from '../notify/notices.js';
import type { WatchEvent } from './daemon.js';

/**
 * The daemon's events as notifications (`kubemin watch --notify`): apply started and ended, drift
 * found (once per set of drifted objects, not at every drift round while it lasts), a status
 * report that could not be pushed. Everything goes to the notifier's queues: the daemon never
 * waits for a sink.
 */
export class NotifyFeed {
  /** Each app's facts, from the last revision compiled. */
  private readonly facts = new Map<string, AppFacts>();
  /** The commit of each app's apply under way (its end names the same). */
  private readonly applying = new Map<string, ApplyCommit>();
  /** The commit each app was last applied from (its status report's). */
  private readonly applied = new Map<string, string>();
  /** The drifted objects last told, per app: the same set is not told again. */
  private readonly drift = new Map<string, string>();

  constructor(
    private readonly notices: Notices,
    private readonly now: () => number,
  ) {}

  feed(e: WatchEvent): void {
    switch (e.type) {
      case 'revision':
        for (const { key, app, last } of e.apps) {
          this.facts.set(key, { app: app.name, ...(app.environment ? { environment: app.environment } : {}), namespace: app.namespace });
          if (last) this.applied.set(key, last.commit);
        }
        return;
      case 'apply-start': {
        const facts = this.facts.get(e.app);
        this.applying.set(e.app, e.commit);
        if (facts) this.notices.started(facts, new Date(e.at).toISOString(), e.commit, e.trigger);
        return;
      }
      case 'apply-end': {
        const commit = this.applying.get(e.app) ?? { sha: e.report.commit };
        this.applying.delete(e.app);
        this.notices.ended(e.result, commit, e.report.trigger);
        this.applied.set(e.app, e.report.commit);
        // An apply puts the live objects back: drift found later is news again.
        this.drift.delete(e.app);
        return;
      }
      case 'drift': {
        const facts = this.facts.get(e.app);
        const told = e.refs.join('\n');
        if (!facts || this.drift.get(e.app) === told) return;
        this.drift.set(e.app, told);
        this.notices.drifted(facts, e.refs, { sha: this.applied.get(e.app) ?? '' }, new Date(this.now()).toISOString());
        return;
      }
      case 'drift-checked':
        if (e.objects === 0) this.drift.delete(e.app);
        return;
      case 'status-push-failed': {
        const r = e.report;
        const facts = { app: r.app, ...(r.environment ? { environment: r.environment } : {}), namespace: r.namespace };
        this.notices.pushFailed(facts, r.startedAt, e.error, { sha: r.commit }, new Date(this.now()).toISOString());
        return;
      }
      case 'round':
      case 'revision-rejected':
      case 'apply-progress':
      case 'status-written':
        return;
    }
  }
}
