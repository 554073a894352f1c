import { describe, expect, it } from 'vitest';
import { applyDurationMs, historyStats } from '../../src/dashboard/history.js';
import type { StatusReport } from '../../src/watch/status-report.js';

/** A report of an apply that started at 10:00:00 and took `seconds` (undefined: times that do not read). */
function report(outcome: StatusReport['outcome'], seconds: number | undefined): StatusReport {
  return {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Status',
    app: 'shop',
    namespace: 'shop',
    commit: 'a'.repeat(40),
    trigger: 'commit',
    outcome,
    startedAt: '2026-12-04T10:00:00.000Z',
    finishedAt: seconds === undefined ? 'not a time' : new Date(Date.parse('2026-12-04T10:00:00.000Z') + seconds * 1000).toISOString(),
    bundleDigest: 'sha256:x',
    phases: [],
    pruned: [],
    lastFailure: null,
  };
}

describe('historyStats', () => {
  it('counts every apply, those applied, and the median duration of those whose times read', () => {
    const reports = [report('applied', 10), report('failed', 2), report('applied', 30), report('interrupted', 4), report('applied', undefined)];
    expect(historyStats(reports)).toEqual({ applies: 5, succeeded: 3, successRate: 0.6, timed: 4, medianDurationMs: 7000 });
    // Whatever the order.
    expect(historyStats([...reports].reverse())).toEqual(historyStats(reports));
  });

  it('the middle duration of an odd count; an end before the start is not a duration', () => {
    expect(historyStats([report('applied', 3), report('applied', 1), report('failed', 60)]).medianDurationMs).toBe(3000);
    expect(applyDurationMs(report('applied', -5))).toBeUndefined();
    expect(historyStats([report('applied', -5), report('applied', 8)])).toMatchObject({ timed: 1, medianDurationMs: 8000 });
  });

  it('nothing to say of an empty window', () => {
    expect(historyStats([])).toEqual({ applies: 0, succeeded: 0, successRate: null, timed: 0, medianDurationMs: null });
    expect(historyStats([report('failed', undefined)])).toEqual({ applies: 1, succeeded: 0, successRate: 0, timed: 0, medianDurationMs: null });
  });
});
