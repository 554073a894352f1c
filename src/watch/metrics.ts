import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppApplyResult } from '../apply/types.js';
import type { ApplyTrigger } from './status-report.js';

/**
 * The labels of an app's series: its name and, for an environment (the daemon's `--env`, or a
 * variant's own without it), `environment`; absent for an app outside any environment, as
 * Prometheus reads an empty label.
 */
export interface AppLabels {
  readonly app: string;
  readonly environment?: string;
}

/** The daemon's Prometheus metrics (`/metrics`), on a registry of its own. */
export class WatchMetrics {
  readonly registry = new Registry();
  readonly applies = new Counter({
    name: 'kubemin_applies_total',
    help: 'Applies of an app, by outcome (applied, failed, interrupted) and trigger (commit, drift, retry).',
    labelNames: ['app', 'environment', 'outcome', 'trigger'] as const,
    registers: [this.registry],
  });
  readonly phaseDuration = new Histogram({
    name: 'kubemin_phase_duration_seconds',
    help: 'How long a phase took, from its apply to ready (or its failure).',
    labelNames: ['app', 'environment', 'phase', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly commitToApplied = new Histogram({
    name: 'kubemin_commit_to_applied_seconds',
    help: 'From the commit (its committer time) to its bundle applied and ready.',
    labelNames: ['app', 'environment'] as const,
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  readonly lastApplied = new Gauge({
    name: 'kubemin_last_applied_commit_timestamp_seconds',
    help: 'Committer time of the last commit applied successfully, per app.',
    labelNames: ['app', 'environment'] as const,
    registers: [this.registry],
  });
  readonly fetchErrors = new Counter({ name: 'kubemin_git_fetch_errors_total', help: 'Failed fetches of the watched repository.', registers: [this.registry] });
  readonly statusPushFailures = new Counter({
    name: 'kubemin_status_push_failures_total',
    help: 'Status reports that could not be pushed after every retry (kept and tried again next round).',
    registers: [this.registry],
  });
  readonly drift = new Gauge({
    name: 'kubemin_drift_objects',
    help: 'Objects whose live state differs from the last applied bundle, per app, at the last drift check.',
    labelNames: ['app', 'environment'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({ name: 'kubemin_leader', help: '1 when this replica holds the lease and applies, else 0.', registers: [this.registry] });
  readonly jobs = new Counter({
    name: 'kubemin_jobs_total',
    help: 'Jobs of the apps applied that finished, by outcome (succeeded, failed): each Job once, when the daemon sees it finish (an unchanged Job applied again is not counted again).',
    labelNames: ['app', 'environment', 'component', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'kubemin_job_duration_seconds',
    help: 'How long a Job ran, as the API server reports it: from its status.startTime to its status.completionTime (succeeded) or the lastTransitionTime of its FailureTarget (or Failed) condition.',
    labelNames: ['app', 'environment', 'component'] as const,
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200],
    registers: [this.registry],
  });
  readonly jobQueue = new Histogram({
    name: 'kubemin_job_queue_seconds',
    help: 'How long a Job waited to run: from its metadata.creationTimestamp to the earliest container start (startedAt) among its pods, read once the Job finished (not observed when its pods are gone by then).',
    labelNames: ['app', 'environment', 'component'] as const,
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  readonly phasesInProgress = new Gauge({
    name: 'kubemin_phases_in_progress',
    help: 'Phases of an app being applied or waited for right now (0 or 1 per app: its phases run one after another).',
    labelNames: ['app', 'environment'] as const,
    registers: [this.registry],
  });
  readonly invalidCommits = new Counter({
    name: 'kubemin_invalid_commits_total',
    help: 'Commits whose specs did not compile (nothing of them was applied).',
    registers: [this.registry],
  });

  /** One apply: counted by outcome and trigger, its phases' durations observed. */
  recordApply(labels: AppLabels, result: AppApplyResult, trigger: ApplyTrigger): void {
    this.applies.inc({ ...labels, outcome: result.outcome, trigger });
    for (const p of result.phases)
      if (p.outcome !== 'skipped') this.phaseDuration.observe({ ...labels, phase: p.name, outcome: p.outcome }, p.durationMs / 1000);
  }

  /** A commit made at `made` applied successfully at `now` (ms). */
  recordApplied(labels: AppLabels, made: Date, now: number): void {
    this.commitToApplied.observe(labels, Math.max(0, (now - made.getTime()) / 1000));
    this.lastApplied.set(labels, made.getTime() / 1000);
  }
}
