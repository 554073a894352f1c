import { applyApp, type ApplyOptions } from '../apply/apply-app.js';
import type { Clock } from '../apply/clock.js';
import type { AppApplyResult, ApplyCommit, ApplyEvent } from '../apply/types.js';
import { emitApp } from '../bundle/emit-bundle.js';
import { mapBounded } from '../cluster/bounded.js';
import { LiveObjects, RefusedLists } from '../cluster/live-objects.js';
import type { ClusterClient } from '../cluster/types.js';
import { formatRef, refKey, refOf } from '../k8s/object-ref.js';
import type { CompiledApp } from '../compile.js';
import { diffApps } from '../cluster/diff-apps.js';
import type { Registry } from '../plugins/registry.js';
import { builtinRegistry } from '../plugins/builtin.js';
import { compileSpecs } from '../operations/compile-specs.js';
import type { Redactor } from '../secrets/redactor.js';
import type { Logger } from './logger.js';
import { JobObserver } from './job-observer.js';
import type { AppLabels, WatchMetrics } from './metrics.js';
import type { WatchSource } from './source.js';
import { buildStatusReport, statusKey, type ApplyTrigger, type StatusReport } from './status-report.js';
import { failedForTransientReasons } from './transient-failure.js';
import { WatchScope } from './watch-scope.js';

export type DriftMode = 'apply' | 'report' | 'off';

export interface WatchOptions {
  readonly source: WatchSource;
  readonly client: ClusterClient;
  readonly log: Logger;
  readonly metrics: WatchMetrics;
  readonly clock: Clock;
  /** Time between rounds (fetch, apply what changed, drift check). */
  readonly intervalMs: number;
  /** Apps applied at once. */
  readonly appConcurrency: number;
  readonly prune: boolean;
  readonly drift: DriftMode;
  /** Whether this replica may apply (holds the lease); always true without leader election. */
  readonly isLeader: () => boolean;
  /** Passed to every apply (poll interval, timeouts...). */
  readonly apply?: Omit<ApplyOptions, 'prune' | 'signal' | 'onEvent' | 'clock'>;
  /** The tables to compile with: the built-ins and the plugins installed with the daemon, never the repository's. */
  readonly registry?: Registry;
  /** Learns the secret values of every revision, and scrubs them from status reports (and, at the edge, from logs). */
  readonly redactor?: Redactor;
  /** What this daemon applies (`--env`) and where its reports go; default: every app and variant. */
  readonly scope?: WatchScope;
  readonly onEvent?: (e: WatchEvent) => void;
}

/** What the daemon does, for tests and benchmarks (logs say the same for people). `app` is the app's key (WatchScope.key). */
export type WatchEvent =
  | { readonly type: 'round'; readonly revision: string }
  | {
      readonly type: 'apply-start';
      readonly app: string;
      readonly revision: string;
      /** The revision's subject and author, when the source tells. */
      readonly commit: ApplyCommit;
      readonly trigger: ApplyTrigger;
      readonly at: number;
    }
  | { readonly type: 'apply-end'; readonly app: string; readonly result: AppApplyResult; readonly report: StatusReport }
  | { readonly type: 'status-written'; readonly app: string; readonly report: StatusReport }
  /** Live objects differ from the app's bundle (`refs`: `Kind ns/name` of each, sorted). */
  | { readonly type: 'drift'; readonly app: string; readonly refs: readonly string[] }
  /** A status report could not be pushed after every retry (it is kept and tried again next round). */
  | { readonly type: 'status-push-failed'; readonly app: string; readonly report: StatusReport; readonly error: string }
  /** A new revision compiled: the apps this daemon applies, each with its last status report (from git). */
  | {
      readonly type: 'revision';
      readonly revision: string;
      readonly apps: ReadonlyArray<{ readonly key: string; readonly app: CompiledApp; readonly last: StatusReport | undefined }>;
    }
  /** A new revision that is not applied: its specs do not compile, or it lacks the daemon's environment (one line per problem, at most 20). */
  | { readonly type: 'revision-rejected'; readonly revision: string; readonly problems: readonly string[] }
  /** The progress of an app's apply (phases starting, getting ready, ending). */
  | { readonly type: 'apply-progress'; readonly app: string; readonly event: ApplyEvent }
  /** A drift round compared an app's live objects with its bundle: how many differ (0 included). */
  | { readonly type: 'drift-checked'; readonly app: string; readonly objects: number };

interface Current {
  readonly app: CompiledApp;
  /** The app's key: its status report's, and the daemon's maps'. */
  readonly key: string;
  readonly digest: string;
}

/** Status reports kept while they cannot be pushed (the oldest are dropped beyond, with an error). */
const MAX_UNWRITTEN = 1000;
/** LISTs that RBAC refused are not tried again for this many drift rounds (5 minutes at the default interval), then tried once more. */
const REMEMBER_REFUSED_ROUNDS = 10;

/**
 * The GitOps loop. Each round: poll the source; for a new revision compile it and apply, phase by
 * phase with pruning, every app whose bundle digest differs from its last successful apply (apps
 * at once up to a bound; one app's failure does not stop the others); with no new revision, check
 * the live objects for drift. Status reports are written after each apply; those that cannot be
 * written are kept and written at the next round, in order, so no result is lost. An apply that
 * failed because the API server was unreachable (or refused credentials) is tried again.
 */
export class Watcher {
  private readonly scope: WatchScope;
  private revision: string | undefined;
  private current = new Map<string, Current>();
  private readonly reports = new Map<string, StatusReport>();
  /** Reports not pushed yet, oldest first: each apply's report is committed, in order, none twice. */
  private readonly unwritten: StatusReport[] = [];
  /** Apps to apply again next round: their last apply failed for a transient reason, or could not run. */
  private readonly retries = new Map<string, Current>();
  private wake = new AbortController();
  private again = false;
  private fetched = false;
  private applying: AbortController | undefined;
  /** LISTs refused in drift rounds (the deployed daemon may not list what it applies: deploy/kubemin.yaml), and the rounds since they were last forgotten. */
  private readonly refusedLists = new RefusedLists();
  private driftRounds = 0;
  private readonly jobs: JobObserver;

  constructor(private readonly opts: WatchOptions) {
    this.scope = opts.scope ?? new WatchScope(undefined);
    this.jobs = new JobObserver(opts.metrics, opts.clock.now());
  }

  /** Start a round now (a push webhook, a saved file, leadership gained). */
  trigger(): void {
    this.again = true;
    this.wake.abort();
  }

  /** Stops the applies under way (leadership lost): they end `interrupted`, and their status is written. */
  interrupt(): void {
    this.applying?.abort();
  }

  /** Forget what was seen, so the next round looks at everything again (after leadership changed hands). */
  reset(): void {
    this.revision = undefined;
    this.reports.clear();
    this.trigger();
  }

  /** Ready: the source answered at least once. */
  isReady(): boolean {
    return this.fetched;
  }

  /** Rounds until `signal` aborts; then the apply under way is interrupted and its status written. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.again = false;
      try {
        await this.round(signal);
      } catch (err) {
        this.opts.log.log('error', 'round failed', { error: (err as Error).message });
      }
      if (signal.aborted || this.again) continue;
      this.wake = new AbortController();
      const stop = (): void => this.wake.abort();
      signal.addEventListener('abort', stop, { once: true });
      await this.opts.clock.sleep(this.opts.intervalMs, this.wake.signal);
      signal.removeEventListener('abort', stop);
    }
    await this.writeStatuses();
  }

  private async round(signal: AbortSignal): Promise<void> {
    const { source, log, metrics } = this.opts;
    let revision: string;
    try {
      revision = await source.poll();
      this.fetched = true;
    } catch (err) {
      metrics.fetchErrors.inc();
      log.log('warn', 'fetch failed', { source: source.description, error: (err as Error).message });
      return;
    }
    metrics.leader.set(this.opts.isLeader() ? 1 : 0);
    if (!this.opts.isLeader()) return;
    this.opts.onEvent?.({ type: 'round', revision });
    await this.writeStatuses();
    const work = revision !== this.revision ? await this.changedApps(revision) : [...this.retried(), ...(await this.driftedApps(signal))];
    if (work.length) {
      // Stopped by shutdown (the run's signal) or by losing the lease (interrupt()).
      const applying = (this.applying = new AbortController());
      const stop = (): void => applying.abort();
      signal.addEventListener('abort', stop, { once: true });
      try {
        await mapBounded(work, this.opts.appConcurrency, (w) => this.applyOne(w.current, revision, w.trigger, applying.signal));
      } finally {
        signal.removeEventListener('abort', stop);
        this.applying = undefined;
      }
    }
    await this.writeStatuses();
  }

  /**
   * A new revision: what compiles, and of that, what changed since its last successful apply.
   * The revision counts as seen only once all of this is known (a failure on the way, e.g. git
   * unreachable, makes the next round look at it again).
   */
  private async changedApps(revision: string): Promise<Array<{ current: Current; trigger: ApplyTrigger }>> {
    const { source, log, metrics } = this.opts;
    const files = await source.files(revision);
    const registry = this.opts.registry ?? builtinRegistry;
    // The same path as every command's (operations/compile-specs.ts), with the files read from the revision.
    const compiled = await compileSpecs(files, {
      registryFor: () => registry,
      readReferenced: (refs) => source.referencedFiles(revision, refs),
      secrets: this.opts.redactor,
    });
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      this.revision = revision;
      metrics.invalidCommits.inc();
      for (const d of errors.slice(0, 20))
        log.log('error', 'invalid spec: nothing of this revision is applied', {
          revision: revision.slice(0, 12),
          at: `${d.file}:${d.line}:${d.col}`,
          code: d.code,
          problem: d.message,
        });
      this.opts.onEvent?.({
        type: 'revision-rejected',
        revision,
        problems: errors.slice(0, 20).map((d) => `${d.file}:${d.line}:${d.col}: ${d.message} (${d.code})`),
      });
      return [];
    }
    const selected = this.scope.select(compiled.apps);
    if (!selected.ok) {
      // --env names an environment this revision does not have (a typo, or it was removed): nothing is applied.
      this.revision = revision;
      log.log('error', 'nothing of this revision is applied', { revision: revision.slice(0, 12), problem: selected.error });
      this.opts.onEvent?.({ type: 'revision-rejected', revision, problems: [selected.error] });
      return [];
    }
    for (const n of this.scope.notices(selected.apps)) log.log(n.level, n.message, n.fields);
    const next = new Map(
      selected.apps.map((app) => {
        const key = this.scope.key(app);
        return [key, { app, key, digest: emitApp(app).planDocument.digest }];
      }),
    );
    const out: Array<{ current: Current; trigger: ApplyTrigger }> = [];
    for (const current of next.values()) {
      const { key } = current;
      const last = this.reports.get(key) ?? (await source.readStatus(key));
      if (last) this.reports.set(key, last);
      const same = last !== undefined && last.bundleDigest === current.digest;
      // The same bundle as last time is not applied again because of a commit (a status commit, a
      // change elsewhere in the repo), whether it succeeded or failed: only an interrupted apply is,
      // and one that failed for a reason outside the bundle (the API server was down).
      if (same && this.retries.has(key)) out.push({ current, trigger: 'retry' });
      else if (!same || last.outcome === 'interrupted') out.push({ current, trigger: 'commit' });
    }
    for (const key of this.retries.keys()) if (!next.has(key) || next.get(key)!.digest !== this.retries.get(key)!.digest) this.retries.delete(key);
    this.current = next;
    this.revision = revision;
    this.opts.onEvent?.({
      type: 'revision',
      revision,
      apps: [...next.values()].map((c) => ({ key: c.key, app: c.app, last: this.reports.get(c.key) })),
    });
    const env = this.scope.environment;
    log.log('info', 'new revision', { revision: revision.slice(0, 12), apps: selected.apps.length, ...(env ? { environment: env } : {}) });
    if (selected.skipped.length)
      log.log('info', `not in environment "${env}": not applied by this daemon`, { revision: revision.slice(0, 12), apps: selected.skipped.join(',') });
    if (!out.length) log.log('info', 'no app changed', { revision: revision.slice(0, 12) });
    return out;
  }

  /** Apps whose last apply failed for a transient reason (see TRANSIENT_REASONS), to apply again. */
  private retried(): Array<{ current: Current; trigger: ApplyTrigger }> {
    return [...this.retries.values()].map((current) => ({ current, trigger: 'retry' }));
  }

  /**
   * No new revision: apps applied successfully whose live objects drifted from the bundle. One
   * drift round reads the live objects once for all its apps (diffApps shares one LiveObjects: one
   * LIST per kind and namespace, or per kind across namespaces, not one per app), before anything
   * of the round is applied; the next round reads anew. A LIST that RBAC refused is not sent again
   * for REMEMBER_REFUSED_ROUNDS rounds: those objects are read by GET at once.
   */
  private async driftedApps(signal: AbortSignal): Promise<Array<{ current: Current; trigger: ApplyTrigger }>> {
    if (this.opts.drift === 'off') return [];
    const healthy = [...this.current.values()].filter((c) => {
      const r = this.reports.get(c.key);
      return r?.outcome === 'applied' && r.bundleDigest === c.digest;
    });
    if (!healthy.length || signal.aborted) return [];
    if (this.driftRounds++ % REMEMBER_REFUSED_ROUNDS === 0) this.refusedLists.clear();
    const live = new LiveObjects(this.opts.client, { refused: this.refusedLists });
    const diffs = await diffApps(
      healthy.map((c) => c.app),
      this.opts.client,
      { appConcurrency: this.opts.appConcurrency, live },
    );
    await this.observeCronJobRuns(healthy);
    const out: Array<{ current: Current; trigger: ApplyTrigger }> = [];
    for (const [i, current] of healthy.entries()) {
      if (signal.aborted) break;
      const drifted = diffs[i]!.objects.filter((o) => o.action === 'create' || o.action === 'update');
      this.opts.metrics.drift.set(this.scope.labels(current.app), drifted.length);
      this.opts.onEvent?.({ type: 'drift-checked', app: current.key, objects: drifted.length });
      if (!drifted.length) continue;
      this.opts.onEvent?.({ type: 'drift', app: current.key, refs: drifted.map((o) => formatRef(o.ref)).sort() });
      this.opts.log.log('warn', this.opts.drift === 'apply' ? 'drift: applying again' : 'drift', {
        ...this.scope.labels(current.app),
        objects: drifted.map((o) => `${o.ref.kind}/${o.ref.name}:${o.action}`).join(','),
      });
      if (this.opts.drift === 'apply') out.push({ current, trigger: 'drift' });
    }
    return out;
  }

  /** The runs of the healthy apps' CronJobs that finished since the last look, into the job metrics: one LIST of Jobs per namespace that has CronJobs. */
  private async observeCronJobRuns(healthy: readonly Current[]): Promise<void> {
    const byNamespace = new Map<string, Map<string, AppLabels & { component: string }>>();
    for (const c of healthy)
      for (const p of c.app.phases)
        for (const o of p.objects) {
          if (o.object.kind !== 'CronJob') continue;
          const ns = o.object.metadata.namespace ?? c.app.namespace;
          const cronJobs = byNamespace.get(ns) ?? new Map<string, AppLabels & { component: string }>();
          byNamespace.set(ns, cronJobs.set(o.object.metadata.name, { ...this.scope.labels(c.app), component: o.component ?? '' }));
        }
    await mapBounded([...byNamespace], this.opts.appConcurrency, async ([ns, cronJobs]) => {
      try {
        await this.jobs.cronJobRuns(this.opts.client, ns, cronJobs);
      } catch (err) {
        this.opts.log.log('warn', 'CronJob runs not read (job metrics)', { namespace: ns, error: (err as Error).message });
      }
    });
  }

  private async applyOne(current: Current, revision: string, trigger: ApplyTrigger, signal: AbortSignal): Promise<void> {
    const { log, metrics, source } = this.opts;
    const key = current.key;
    const labels = this.scope.labels(current.app);
    const commit = await this.commitOf(revision);
    this.opts.onEvent?.({ type: 'apply-start', app: key, revision, commit, trigger, at: this.opts.clock.now() });
    log.log('info', 'applying', { ...labels, revision: revision.slice(0, 12), trigger });
    let result: AppApplyResult;
    // The app's Jobs are counted as the apply reads them finished (job metrics); its phases under way are a gauge.
    const jobs = this.jobs.watching(this.opts.client, labels, jobComponents(current.app));
    const inProgress = new Set<string>();
    const onEvent = (e: ApplyEvent): void => {
      this.opts.onEvent?.({ type: 'apply-progress', app: key, event: e });
      if (e.type === 'phase-start') inProgress.add(e.phase);
      else if (e.type === 'phase-end') inProgress.delete(e.result.name);
      else return;
      metrics.phasesInProgress.set(labels, inProgress.size);
    };
    try {
      // Git is the source of truth: fields someone changed by hand (kubectl edit, set image) are taken back.
      result = await applyApp(current.app, jobs.client, {
        ...this.opts.apply,
        prune: this.opts.prune,
        forceConflicts: true,
        signal,
        commit,
        clock: this.opts.clock,
        onEvent,
      });
    } catch (err) {
      // It could not start (its inventory could not be read): nothing was applied; again next round.
      this.retries.set(key, current);
      log.log('error', 'apply could not run; trying again next round', { ...labels, revision: revision.slice(0, 12), error: (err as Error).message });
      return;
    } finally {
      metrics.phasesInProgress.set(labels, 0);
      await jobs.settle();
    }
    const retry = failedForTransientReasons(result);
    if (retry) this.retries.set(key, current);
    else this.retries.delete(key);
    const report = buildStatusReport(result, {
      commit: revision,
      trigger,
      bundleDigest: current.digest,
      previous: this.reports.get(key),
      environment: labels.environment,
      jobs: jobs.seen(),
    });
    this.reports.set(key, report);
    this.unwritten.push(report);
    if (this.unwritten.length > MAX_UNWRITTEN) {
      const dropped = this.unwritten.splice(0, this.unwritten.length - MAX_UNWRITTEN);
      log.log('error', 'status reports dropped: they could not be pushed for too long', {
        reports: dropped.length,
        oldest: `${statusKey(dropped[0]!)} at ${dropped[0]!.commit.slice(0, 12)}`,
      });
    }
    metrics.recordApply(labels, result, trigger);
    if (result.outcome === 'applied') {
      const made = await source.revisionTime(revision).catch(() => undefined);
      if (made) metrics.recordApplied(labels, made, this.opts.clock.now());
    }
    log.log(result.outcome === 'applied' ? 'info' : 'error', `apply ${result.outcome}`, {
      ...labels,
      revision: revision.slice(0, 12),
      durationMs: result.durationMs,
      phase: result.failure?.phase,
      reason: result.failure?.message,
      ...(retry ? { retry: 'next round' } : {}),
    });
    this.opts.onEvent?.({ type: 'apply-end', app: key, result, report });
  }

  /** A revision with its subject and author when the source can tell (git can; a failure leaves the sha alone). */
  private async commitOf(revision: string): Promise<ApplyCommit> {
    const info = await this.opts.source.revisionInfo(revision).catch(() => undefined);
    return info ? { sha: revision, subject: info.subject, author: info.authorName } : { sha: revision };
  }

  /** Writes the reports not written yet, oldest first; at the first that fails, it and the rest stay for the next round. */
  private async writeStatuses(): Promise<void> {
    while (this.unwritten.length) {
      const report = this.unwritten[0]!;
      try {
        await this.opts.source.writeStatus(this.opts.redactor ? this.opts.redactor.scrubJson(report) : report);
      } catch (err) {
        this.opts.metrics.statusPushFailures.inc();
        this.opts.log.log('error', 'status report not written; will try again next round', {
          app: statusKey(report),
          pending: this.unwritten.length,
          error: (err as Error).message,
        });
        this.opts.onEvent?.({ type: 'status-push-failed', app: statusKey(report), report, error: (err as Error).message });
        return;
      }
      this.unwritten.shift();
      this.opts.onEvent?.({ type: 'status-written', app: statusKey(report), report });
    }
  }
}

/** The app's Jobs (refKey → component), for the job metrics' labels. */
function jobComponents(app: CompiledApp): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of app.phases) for (const o of p.objects) if (o.object.kind === 'Job') out.set(refKey(refOf(o.object)), o.component ?? '');
  return out;
}
