import type { StatusReport } from '../watch/status-report.js';

/**
 * What the history page says about a window of applies (an app's last N status reports). Every
 * report counts as one apply: the daemon writes one when an apply ended, however it ended
 * (applied, failed, interrupted); an apply that could not start writes none.
 */
export interface HistoryStats {
  /** Applies in the window. */
  readonly applies: number;
  /** Of those, the ones that applied (outcome `applied`). */
  readonly succeeded: number;
  /** succeeded / applies (0 to 1); null without applies. */
  readonly successRate: number | null;
  /** Applies whose duration is known: both times read, the end not before the start. */
  readonly timed: number;
  /** The median of finishedAt − startedAt over the timed applies, whatever their outcome (ms; the mean of the middle two for an even count); null when none is timed. */
  readonly medianDurationMs: number | null;
}

/** An apply's duration (finishedAt − startedAt, ms), undefined when its times do not read. */
export function applyDurationMs(r: Pick<StatusReport, 'startedAt' | 'finishedAt'>): number | undefined {
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The stats of a window of reports (in any order: the result does not depend on it). */
export function historyStats(reports: readonly StatusReport[]): HistoryStats {
  const succeeded = reports.filter((r) => r.outcome === 'applied').length;
  const durations = reports
    .map(applyDurationMs)
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  const mid = Math.floor(durations.length / 2);
  const median = !durations.length ? null : durations.length % 2 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2;
  return {
    applies: reports.length,
    succeeded,
    successRate: reports.length ? succeeded / reports.length : null,
    timed: durations.length,
    medianDurationMs: median,
  };
}
