import { load } from 'js-yaml';
import type { AppApplyResult } from '../apply/types.js';
import { emitYaml, type JsonValue } from '../bundle/yaml-emit.js';
import { formatRef } from '../k8s/object-ref.js';
import { appKey } from '../environments/app-key.js';
import { phaseLabel } from '../plan/plan-phases.js';

/** Where an app's status report lives in the repository. */
const STATUS_DIR = '.kubemin/status';

/**
 * `.kubemin/status/<key>.yaml`, `key` being a report's statusKey: `<env>/<app>` for an
 * environment (one directory per environment, so that the daemons of a fleet never write the same
 * file), `<app>` for an app a daemon without `--env` applies outside any environment.
 */
export function statusPath(key: string): string {
  return `${STATUS_DIR}/${key}.yaml`;
}

/** The report's key (its app and environment, as appKey says them): its file, its commit message, the daemon's maps. */
export function statusKey(r: Pick<StatusReport, 'app' | 'environment'>): string {
  return appKey({ name: r.app, ...(r.environment ? { environment: r.environment } : {}) });
}

/** Why the daemon applied: a new commit, drift of the live objects, or a retry of a failed apply. */
export type ApplyTrigger = 'commit' | 'drift' | 'retry';

/**
 * A Job the apply waited for, as last seen: `attempts` is the pods it started
 * (status.succeeded + failed + active, and those finished but not counted yet), `completedAt` when
 * it succeeded or failed; times as the API server gave them.
 */
export interface StatusJob {
  /** `Job ns/name` (formatRef). */
  readonly object: string;
  readonly component: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly attempts: number;
  readonly outcome: 'succeeded' | 'failed' | 'running';
}

/**
 * `.kubemin/status/<app>.yaml` (`.kubemin/status/<env>/<app>.yaml` for an environment): what the
 * daemon last did for an app, committed back to the repo. Built from the apply result (whose
 * messages never hold secret values) and nothing else.
 */
export interface StatusReport {
  readonly apiVersion: 'kubemin.dev/v1alpha1';
  readonly kind: 'Status';
  readonly app: string;
  /** The environment applied (the daemon's `--env`): absent for an app applied outside any environment. */
  readonly environment?: string;
  readonly namespace: string;
  /** The commit applied (full sha) and its subject. */
  readonly commit: string;
  readonly trigger: ApplyTrigger;
  readonly outcome: AppApplyResult['outcome'];
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The bundle's digest (plan.json `digest`): the daemon applies an app again only when it changes. */
  readonly bundleDigest: string;
  readonly phases: ReadonlyArray<{
    readonly phase: string;
    readonly outcome: string;
    readonly durationMs: number;
    readonly attempts: number;
    readonly objects: ReadonlyArray<{ readonly object: string; readonly action: string; readonly state: string }>;
    readonly reasons: readonly string[];
  }>;
  readonly pruned: readonly string[];
  /** The Jobs the apply waited for, sorted by object; absent when it had none (and in reports older than it). */
  readonly jobs?: readonly StatusJob[];
  /** The last apply that did not succeed (kept while later ones succeed, for the record). */
  readonly lastFailure: { readonly commit: string; readonly at: string; readonly phase: string; readonly message: string } | null;
}

export function buildStatusReport(
  result: AppApplyResult,
  ctx: {
    readonly commit: string;
    readonly trigger: ApplyTrigger;
    readonly bundleDigest: string;
    readonly previous?: StatusReport | undefined;
    /** The environment the apply was for (see StatusReport.environment). */
    readonly environment?: string | undefined;
    /** The app's Jobs as the apply last saw them (JobObserver.watching's `seen()`), in any order. */
    readonly jobs?: readonly StatusJob[] | undefined;
  },
): StatusReport {
  const jobs = [...(ctx.jobs ?? [])].sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
  const failure = result.failure
    ? { commit: ctx.commit, at: result.finishedAt, phase: result.failure.phase, message: result.failure.message }
    : (ctx.previous?.lastFailure ?? null);
  return {
    apiVersion: 'kubemin.dev/v1alpha1',
    kind: 'Status',
    app: result.app,
    ...(ctx.environment ? { environment: ctx.environment } : {}),
    namespace: result.namespace,
    commit: ctx.commit,
    trigger: ctx.trigger,
    outcome: result.outcome,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    bundleDigest: ctx.bundleDigest,
    phases: result.phases.map((p) => ({
      phase: phaseLabel(p),
      outcome: p.outcome,
      durationMs: p.durationMs,
      attempts: p.attempts,
      objects: p.objects.map((o) => ({ object: formatRef(o.ref), action: o.action, state: o.state })),
      reasons: p.reasons,
    })),
    pruned: result.pruned.map((p) => `${formatRef(p.ref)}: ${p.action}${p.reason ? ` (${p.reason})` : ''}`),
    // Each field named, in one order: the emitted YAML is the same whatever object the caller built.
    ...(jobs.length
      ? {
          jobs: jobs.map((j) => ({
            object: j.object,
            component: j.component,
            startedAt: j.startedAt,
            completedAt: j.completedAt,
            attempts: j.attempts,
            outcome: j.outcome,
          })),
        }
      : {}),
    lastFailure: failure,
  };
}

export function emitStatusReport(r: StatusReport): string {
  return `# Written by kubemin watch after each apply of this app; do not edit.\n${emitYaml(r as unknown as JsonValue)}`;
}

/**
 * A status report read back from the repository; undefined when it is missing or not one (its
 * identity, times, phases and jobs not of their types: the history page reads every field).
 */
export function parseStatusReport(text: string | undefined): StatusReport | undefined {
  if (!text) return undefined;
  try {
    const r = load(text) as Partial<StatusReport> | undefined;
    return r && isStatusReport(r) ? r : undefined;
  } catch {
    return undefined;
  }
}

function isStatusReport(r: Partial<StatusReport>): r is StatusReport {
  const strings = [r.app, r.commit, r.outcome, r.startedAt, r.finishedAt, r.bundleDigest].every((v) => typeof v === 'string');
  const environment = r.environment === undefined || typeof r.environment === 'string';
  const phases = Array.isArray(r.phases) && r.phases.every((p) => typeof p === 'object' && p !== null && Array.isArray(p.objects) && Array.isArray(p.reasons));
  const jobs = r.jobs === undefined || (Array.isArray(r.jobs) && r.jobs.every((j) => typeof j === 'object' && j !== null && typeof j.object === 'string'));
  return r.kind === 'Status' && strings && environment && phases && jobs && Array.isArray(r.pruned);
}

/** `kubemin: shop applied at 1a2b3c4 [skip ci]`, `kubemin: production/shop applied at ...` */
export function statusCommitMessage(r: StatusReport): string {
  return `kubemin: ${statusKey(r)} ${r.outcome} at ${r.commit.slice(0, 7)} [skip ci]`;
}
