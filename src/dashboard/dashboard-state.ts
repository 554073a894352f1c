import { emitApp, type PlanDocument } from '../bundle/emit-bundle.js';
import type { CompiledApp } from '../compile.js';
import type { AppApplyResult, ApplyEvent, PhaseOutcome, PhaseResult } from '../apply/types.js';
import { appKey } from '../environments/app-key.js';
import { formatRef } from '../k8s/object-ref.js';
import { viewModel, type AppView } from '../view/view-model.js';
import type { RevisionInfo } from '../watch/source.js';
import type { ApplyTrigger, StatusReport } from '../watch/status-report.js';

/** A commit as the pages show it: what the daemon's source tells of a revision. */
export type CommitInfo = Pick<RevisionInfo, 'subject' | 'authorName' | 'time'>;

/** Where a phase stands: before and during an apply, then how it ended (PhaseOutcome). */
export type PhaseStatus = 'waiting' | 'applying' | 'waiting-for-ready' | PhaseOutcome;

/** One object of a phase, as the last apply (or its status report) left it. */
export interface ObjectRun {
  /** `Kind namespace/name` (formatRef). */
  readonly ref: string;
  readonly action: string;
  readonly state: string;
  /** Why it is not ready, when the apply said (a report from git keeps only the phase's reasons). */
  readonly message?: string;
  readonly reason?: string;
  readonly pod?: string;
}

export interface PhaseRun {
  readonly status: PhaseStatus;
  readonly attempt: number;
  /** ms since the epoch, while it runs. */
  readonly startedAt?: number;
  readonly durationMs?: number;
  readonly ready?: number;
  readonly total?: number;
  readonly waitingFor?: string | null;
  readonly objects: readonly ObjectRun[];
  readonly reasons: readonly string[];
}

/** How an app's last apply went: in progress, or how it ended. */
type RunStatus = 'in-progress' | AppApplyResult['outcome'];

export interface AppRun {
  /** The commit applied. */
  readonly revision: string;
  readonly trigger: ApplyTrigger;
  readonly status: RunStatus;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  /** By phase name. */
  readonly phases: ReadonlyMap<string, PhaseRun>;
  readonly failure?: { readonly phase: string; readonly message: string };
  /** Known from the status report in git (an apply before this daemon started), not seen. */
  readonly fromReport: boolean;
}

export interface AppEntry {
  readonly key: string;
  readonly app: string;
  readonly environment: string | undefined;
  readonly namespace: string;
  /** The revision its plan is from. */
  readonly revision: string;
  readonly plan: PlanDocument;
  readonly view: AppView;
  readonly run: AppRun | undefined;
  /** Objects that differ from the bundle at the last drift check; undefined before one. */
  readonly drift: number | undefined;
}

/**
 * What the daemon's web view shows, fed by the daemon's events (already scrubbed of secret
 * values by the edge) and nothing else: the apps of the last revision that compiled, each with its
 * workflow, its last apply (phase by phase, live while it runs) and its drift; the last revision
 * refused; the commits' subjects. Pure: times come in the events.
 */
export class DashboardState {
  private readonly entries = new Map<string, AppEntry>();
  private readonly commitInfo = new Map<string, CommitInfo>();
  /** The newest revision seen, and why it was not applied (when it was not). */
  revision: string | undefined;
  rejected: { readonly revision: string; readonly problems: readonly string[] } | undefined;
  /** `scrub` is applied to every text of the plans (names, sources): no secret value reaches a page. */
  constructor(private readonly scrub: (text: string) => string = (t) => t) {}

  /** The apps, sorted by key. */
  apps(): AppEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  app(key: string): AppEntry | undefined {
    return this.entries.get(key);
  }

  commit(sha: string): CommitInfo | undefined {
    return this.commitInfo.get(sha);
  }

  /** The commits shown whose subject is not known yet. */
  missingCommits(): string[] {
    const shas = new Set<string>();
    if (this.revision) shas.add(this.revision);
    for (const e of this.entries.values()) if (e.run) shas.add(e.run.revision);
    return [...shas].filter((s) => !this.commitInfo.has(s)).sort();
  }

  setCommit(sha: string, info: CommitInfo): void {
    this.commitInfo.set(sha, info);
  }

  /** A revision compiled: its apps replace the last revision's; each keeps its run, or takes its last status report's. */
  revisionCompiled(revision: string, apps: ReadonlyArray<{ readonly app: CompiledApp; readonly last: StatusReport | undefined }>): void {
    const plans = apps.map((a) => emitApp(a.app).planDocument);
    const views = viewModel(plans, { dependsOn: new Map(apps.map((a) => [appKey(a.app), a.app.dependsOn ?? {}])), scrub: this.scrub });
    const next = new Map<string, AppEntry>();
    apps.forEach(({ app, last }, i) => {
      const key = appKey(app);
      const before = this.entries.get(key);
      next.set(key, {
        key,
        app: app.name,
        environment: app.environment,
        namespace: app.namespace,
        revision,
        plan: plans[i]!,
        view: views[i]!,
        run: before?.run ?? (last ? runFromReport(last) : undefined),
        drift: before?.drift,
      });
    });
    this.entries.clear();
    for (const [k, v] of next) this.entries.set(k, v);
    this.revision = revision;
    this.rejected = undefined;
  }

  revisionRejected(revision: string, problems: readonly string[]): void {
    this.revision = revision;
    this.rejected = { revision, problems };
  }

  /** An apply begins: every phase of the plan waits. */
  applyStarted(key: string, revision: string, trigger: ApplyTrigger, at: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    const phases = new Map<string, PhaseRun>(entry.plan.phases.map((p) => [p.name, { status: 'waiting', attempt: 0, objects: [], reasons: [] }]));
    this.update(key, { run: { revision, trigger, status: 'in-progress', startedAt: iso(at), phases, fromReport: false } });
  }

  /** The apply's own progress events: phases applying, waiting for ready (with counts), ending. */
  progress(key: string, event: ApplyEvent, at: number): void {
    const run = this.entries.get(key)?.run;
    if (!run || run.status !== 'in-progress') return;
    const phases = new Map(run.phases);
    const before = (name: string): PhaseRun => phases.get(name) ?? { status: 'waiting', attempt: 0, objects: [], reasons: [] };
    switch (event.type) {
      case 'phase-start':
        phases.set(event.phase, { ...before(event.phase), status: 'applying', attempt: event.attempt, startedAt: at, total: event.objects, ready: 0 });
        break;
      case 'phase-progress':
        phases.set(event.phase, { ...before(event.phase), status: 'waiting-for-ready', ready: event.ready, total: event.total, waitingFor: event.waitingFor });
        break;
      case 'phase-end':
        phases.set(event.result.name, phaseFromResult(event.result));
        break;
      case 'app-start':
      case 'prune':
      case 'app-end':
        return;
    }
    this.update(key, { run: { ...run, phases } });
  }

  /** The apply ended: its result, phase by phase, object by object. */
  applyEnded(key: string, revision: string, trigger: ApplyTrigger, result: AppApplyResult): void {
    if (!this.entries.has(key)) return;
    this.update(key, {
      run: {
        revision,
        trigger,
        status: result.outcome,
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        durationMs: result.durationMs,
        phases: new Map(result.phases.map((p) => [p.name, phaseFromResult(p)])),
        ...(result.failure ? { failure: result.failure } : {}),
        fromReport: false,
      },
    });
  }

  driftChecked(key: string, objects: number): void {
    if (this.entries.get(key)?.drift !== objects) this.update(key, { drift: objects });
  }

  private update(key: string, change: Partial<AppEntry>): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.set(key, { ...entry, ...change });
  }
}

function phaseFromResult(p: PhaseResult): PhaseRun {
  return {
    status: p.outcome,
    attempt: p.attempts,
    durationMs: p.durationMs,
    ready: p.objects.filter((o) => o.state === 'ready').length,
    total: p.objects.length,
    objects: p.objects.map((o) => ({
      ref: formatRef(o.ref),
      action: o.action,
      state: o.state,
      ...(o.message ? { message: o.message } : {}),
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.pod ? { pod: o.pod } : {}),
    })),
    reasons: p.reasons,
  };
}

/** A status report's phases are labelled `01-web` (phaseLabel): the name is what follows the number. */
const phaseName = (label: string): string => label.replace(/^\d+-/, '');

/** The last apply as git's status report has it (the daemon started after it). */
export function runFromReport(r: StatusReport): AppRun {
  const started = Date.parse(r.startedAt);
  const finished = Date.parse(r.finishedAt);
  return {
    revision: r.commit,
    trigger: r.trigger,
    status: r.outcome,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    ...(Number.isNaN(started) || Number.isNaN(finished) ? {} : { durationMs: finished - started }),
    phases: new Map(
      r.phases.map((p) => [
        phaseName(p.phase),
        {
          status: p.outcome as PhaseStatus,
          attempt: p.attempts,
          durationMs: p.durationMs,
          ready: p.objects.filter((o) => o.state === 'ready').length,
          total: p.objects.length,
          objects: p.objects.map((o) => ({ ref: o.object, action: o.action, state: o.state })),
          reasons: p.reasons,
        },
      ]),
    ),
    ...(r.lastFailure && r.lastFailure.commit === r.commit && r.outcome !== 'applied'
      ? { failure: { phase: phaseName(r.lastFailure.phase), message: r.lastFailure.message } }
      : {}),
    fromReport: true,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
