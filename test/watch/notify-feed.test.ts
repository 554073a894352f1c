import { describe, expect, it } from 'vitest';
import type { CompiledApp } from '../../src/compile.js';
import type { Notifier } from '../../src/notify/dispatcher.js';
import type { Notification } from '../../src/notify/notification.js';
import { Notices } from '../../src/notify/notices.js';
import { NotifyFeed } from '../../src/watch/notify-feed.js';
import { buildStatusReport } from '../../src/watch/status-report.js';
import type { AppApplyResult } from '../../src/apply/types.js';

/** The daemon's events, as the notifications they become (the notifier is a list here; delivery is test/notify's). */
const app = { name: 'shop', namespace: 'shop', source: { file: 'kubemin.yaml', line: 1, col: 1, pointer: '' }, phases: [] } as unknown as CompiledApp;
const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);

function feed(): { feed: NotifyFeed; sent: Notification[] } {
  const sent: Notification[] = [];
  const notifier: Notifier = { notify: (n) => void sent.push(n), close: async () => undefined };
  return { feed: new NotifyFeed(new Notices(notifier, { scrub: (t) => t.replaceAll('hush', '***') }), () => Date.parse('2026-12-04T12:00:00Z')), sent };
}

const result: AppApplyResult = {
  app: 'shop',
  namespace: 'shop',
  outcome: 'applied',
  startedAt: '2026-12-04T11:00:00.000Z',
  finishedAt: '2026-12-04T11:00:05.000Z',
  durationMs: 5000,
  phases: [],
  pruned: [],
  failure: null,
  warnings: [],
};

describe('the daemon events as notifications', () => {
  it('an apply: started and ended, with the commit the start named; drift corrected when drift triggered it', () => {
    const { feed: f, sent } = feed();
    f.feed({ type: 'revision', revision: SHA1, apps: [{ key: 'shop', app, last: undefined }] });
    f.feed({
      type: 'apply-start',
      app: 'shop',
      revision: SHA1,
      commit: { sha: SHA1, subject: 'fix hush', author: 'Ann' },
      trigger: 'drift',
      at: Date.parse(result.startedAt),
    });
    const report = buildStatusReport(result, { commit: SHA1, trigger: 'drift', bundleDigest: 'd' });
    f.feed({ type: 'apply-end', app: 'shop', result, report });
    expect(sent.map((n) => [n.kind, n.commit.subject, n.trigger])).toEqual([
      ['apply.started', 'fix ***', 'drift'],
      ['apply.succeeded', 'fix ***', 'drift'],
      ['drift.corrected', 'fix ***', 'drift'],
    ]);
  });

  it('drift found is told once per set of drifted objects, again when the set changes or after it was gone', () => {
    const { feed: f, sent } = feed();
    const report = buildStatusReport(result, { commit: SHA1, trigger: 'commit', bundleDigest: 'd' });
    f.feed({ type: 'revision', revision: SHA2, apps: [{ key: 'shop', app, last: report }] });
    const drift = (refs: string[]): void => {
      f.feed({ type: 'drift-checked', app: 'shop', objects: refs.length });
      if (refs.length) f.feed({ type: 'drift', app: 'shop', refs });
    };
    drift(['Deployment shop/web']);
    drift(['Deployment shop/web']);
    drift(['ConfigMap shop/settings', 'Deployment shop/web']);
    drift([]);
    drift(['ConfigMap shop/settings', 'Deployment shop/web']);
    expect(sent.map((n) => [n.kind, n.drifted, n.commit.sha])).toEqual([
      ['drift.found', ['Deployment shop/web'], SHA1],
      ['drift.found', ['ConfigMap shop/settings', 'Deployment shop/web'], SHA1],
      ['drift.found', ['ConfigMap shop/settings', 'Deployment shop/web'], SHA1],
    ]);
  });

  it('a status push that failed is told with the commit it reports on', () => {
    const { feed: f, sent } = feed();
    const report = buildStatusReport(result, { commit: SHA1, trigger: 'commit', bundleDigest: 'd' });
    f.feed({ type: 'status-push-failed', app: 'shop', report, error: 'push refused: hush' });
    expect(sent.map((n) => [n.kind, n.commit.sha, n.summary])).toEqual([
      ['status.push-failed', SHA1, `shop: the status report of ${SHA1.slice(0, 12)} could not be pushed: push refused: ***`],
    ]);
  });
});
