import type { AppApplyResult } from '../apply/types.js';
import type { Notifier } from './dispatcher.js';
import {
  notificationOfDrift,
  notificationOfPushFailure,
  notificationOfStart,
  notificationsFromApply,
  type AppFacts,
  type NotificationCommit,
  type NotificationContext,
  type NotificationTrigger,
} from './notification.js';

/** What every notice of one run shares: masking, the web view's base URL, the daemon's environment. */
interface NoticeBase {
  readonly scrub: (text: string) => string;
  readonly webViewUrl?: string | undefined;
  readonly environment?: string | undefined;
}

/**
 * The notices of applies, as the watch daemon and `kubemin apply --notify` give them: each builds
 * its notifications (notification.ts) and hands them to the notifier, which delivers them in the
 * background (an apply never waits for a sink).
 */
export class Notices {
  constructor(
    private readonly notifier: Notifier,
    private readonly base: NoticeBase,
  ) {}

  started(app: AppFacts, startedAt: string, commit: NotificationCommit, trigger: NotificationTrigger): void {
    this.notifier.notify(notificationOfStart({ ...app, startedAt }, this.ctx(commit, startedAt, trigger)));
  }

  ended(result: AppApplyResult, commit: NotificationCommit, trigger: NotificationTrigger): void {
    for (const n of notificationsFromApply(result, this.ctx(commit, result.finishedAt, trigger))) this.notifier.notify(n);
  }

  drifted(app: AppFacts, objects: readonly string[], commit: NotificationCommit, time: string): void {
    this.notifier.notify(notificationOfDrift({ ...app, objects }, this.ctx(commit, time)));
  }

  pushFailed(app: AppFacts, startedAt: string, cause: string, commit: NotificationCommit, time: string): void {
    this.notifier.notify(notificationOfPushFailure({ ...app, startedAt, cause }, this.ctx(commit, time)));
  }

  /** Delivers what is queued, for at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void> {
    return this.notifier.close(timeoutMs);
  }

  private ctx(commit: NotificationCommit, time: string, trigger?: NotificationTrigger): NotificationContext {
    const { scrub, webViewUrl, environment } = this.base;
    return {
      commit,
      time,
      scrub,
      ...(trigger ? { trigger } : {}),
      ...(webViewUrl ? { webViewUrl } : {}),
      ...(environment ? { environment } : {}),
    };
  }
}
