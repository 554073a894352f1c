import type { BundleObject, BundlePhase, CompiledApp } from '../compile.js';
import { LiveObjects } from '../cluster/live-objects.js';
import { ClusterError, type ClusterClient } from '../cluster/types.js';
import { refKey, refOf } from '../k8s/object-ref.js';
import { appRedactor } from '../secrets/register-secrets.js';
import { parseDuration } from '../k8s/formats/duration.js';
import { deleteAdopted, inventoryRefs, readInventory, writeInventory } from '../cluster/inventory-store.js';
import { encodeInventory, inventoryName, type InventoryEntry } from '../inventory/inventory.js';
import type { K8sObject } from '../k8s/types.js';
import { formatSourceRef } from '../load/source.js';
import { phaseLabel } from '../plan/plan-phases.js';
import { builtinReadinessRules, readinessTable } from '../readiness/index.js';
import type { ReadinessRule } from '../readiness/types.js';
import { systemClock, type Clock } from './clock.js';
import { executorTable } from './executors/index.js';
import type { PhaseContext, PhaseRun, StepExecutor } from './executors/types.js';
import { pruneObjects } from './prune.js';
import { resetFailedJobs } from './reset-failed-jobs.js';
import type { AppApplyResult, ApplyCommit, ApplyEvent, PhaseResult, PruneResult } from './types.js';
import { DEFAULT_OBJECT_CONCURRENCY } from '../defaults.js';

export interface ApplyOptions {
  /** Delete what kubemin applied before and the bundle no longer has, after the last phase. */
  readonly prune?: boolean;
  /** Take over fields other field managers own instead of failing. */
  readonly forceConflicts?: boolean;
  /** Do not check GPUs before phases that ask for them. */
  readonly skipPreflight?: boolean;
  /** Overrides every phase's own timeout (milliseconds). */
  readonly timeoutMs?: number;
  /** API requests in flight at once (default {@link DEFAULT_OBJECT_CONCURRENCY}). */
  readonly concurrency?: number;
  /** How often to look at objects that are not ready yet (default 1000 ms). */
  readonly pollMs?: number;
  readonly clock?: Clock;
  /** Stops the apply: waits end, what was applied is recorded, the result says `interrupted`. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: ApplyEvent) => void;
  /** The commit applied, for the steps that tell others (webhook). */
  readonly commit?: ApplyCommit;
  readonly executors?: readonly StepExecutor[];
  readonly readinessRules?: readonly ReadinessRule[];
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

const entryOf = (o: BundleObject, phase: number): InventoryEntry => ({ ...refOf(o.object), ...(o.component ? { component: o.component } : {}), phase });

/**
 * `kubemin apply` for one app: phase after phase, each applied (server-side, as `kubemin`) and
 * waited for by its step type's executor, retried as its policy says; the first phase that does
 * not get ready stops the app. Then, with `prune`, what the bundle no longer has is deleted.
 * The inventory records every object before its phase applies it, so that an interrupted apply
 * can be re-run (and pruned) without orphans.
 */
export async function applyApp(app: CompiledApp, client: ClusterClient, opts: ApplyOptions = {}): Promise<AppApplyResult> {
  const clock = opts.clock ?? systemClock;
  const emit = opts.onEvent ?? (() => undefined);
  const executors = executorTable(opts.executors);
  const ruleFor = readinessTable(opts.readinessRules ?? builtinReadinessRules);
  const redactor = appRedactor(app);
  const scrub = (text: string): string => redactor.scrubForeign(text);
  const started = clock.now();
  const warnings: string[] = [];
  const variant = app.environment ? { environment: app.environment } : {};
  emit({ type: 'app-start', app: app.name, ...variant, namespace: app.namespace, phases: app.phases.map(phaseLabel) });

  // Every object's state before the apply, and the inventory, by one LIST per kind and namespace.
  const live = new LiveObjects(client);
  await live.prefetch(
    [...app.phases.flatMap((p) => p.objects.map((o) => refOf(o.object))), ...inventoryRefs(app)],
    opts.concurrency ?? DEFAULT_OBJECT_CONCURRENCY,
  );
  const previous = await readInventory(client, app, { read: (ref) => live.get(ref) });
  const inventory = new Map(previous.objects.map((e) => [refKey(e), e]));
  // The inventory of the app from before it had environments, taken over: deleted once this apply succeeds.
  let adopts = previous.adopts;
  const textOf = (cm: K8sObject): string => JSON.stringify(cm.data);
  // What the cluster holds under the app's inventory name (nothing yet for an adopted one).
  let written = textOf(encodeInventory(previous.stored ? previous : { ...previous, objects: [], adopts: undefined }));
  /**
   * Writes the inventory when it changed; resolves the error when it could not be (also a warning).
   * Ahead of the phase that creates the app's namespace there is nowhere to write it: not an error.
   */
  const flush = async (opts: { beforePhase?: boolean } = {}): Promise<unknown> => {
    const next = encodeInventory({ app: app.name, ...variant, namespace: app.namespace, objects: [...inventory.values()], ...(adopts ? { adopts } : {}) });
    if (textOf(next) === written) return undefined;
    try {
      await writeInventory(client, next);
      written = textOf(next);
      return undefined;
    } catch (err) {
      if (opts.beforePhase && err instanceof ClusterError && err.reason === 'NamespaceNotFound') return undefined;
      warnings.push(scrub(`the inventory ConfigMap ${app.namespace}/${next.metadata.name} could not be written: ${(err as Error).message}`));
      return err;
    }
  };

  const phases: PhaseResult[] = [];
  const pruned: PruneResult[] = [];
  let stopped = false;
  for (const phase of app.phases) {
    if (stopped) {
      phases.push(skipped(phase));
      continue;
    }
    const result = await runPhase(phase);
    phases.push(result);
    emit({ type: 'phase-end', app: app.name, result });
    await flush();
    if (result.outcome !== 'ready') {
      stopped = true;
      continue;
    }
    pruned.push(...(await replaceJobs(phase)));
  }

  const bundleKeys = new Set(app.phases.flatMap((p) => p.objects.map((o) => refKey(refOf(o.object)))));
  const succeeded = !stopped && !opts.signal?.aborted;
  if (succeeded) {
    // The bundle's objects are what was applied, in their current phases.
    for (const p of app.phases) for (const o of p.objects) inventory.set(refKey(refOf(o.object)), entryOf(o, p.index));
    if (opts.prune) {
      const leftovers = [...inventory.values()].filter((e) => !bundleKeys.has(refKey(e)));
      pruned.push(...(await prune(leftovers)));
    }
  }
  const unwritten = await flush();
  if (succeeded && adopts && unwritten === undefined) {
    // Everything the old inventory listed is in the new one now: the old one can go.
    try {
      await deleteAdopted(client, { adopts, namespace: app.namespace });
      adopts = undefined;
      await flush();
    } catch (err) {
      warnings.push(
        scrub(
          `the inventory ConfigMap ${app.namespace}/${adopts} (from before the app had environments, taken over by ${inventoryName(app)}) could not be deleted: ${(err as Error).message}; it is tried again next time`,
        ),
      );
    }
  }

  const outcome = opts.signal?.aborted ? 'interrupted' : succeeded ? 'applied' : 'failed';
  const firstBad = phases.find((p) => p.outcome !== 'ready' && p.outcome !== 'skipped');
  const finished = clock.now();
  const result: AppApplyResult = {
    app: app.name,
    ...variant,
    namespace: app.namespace,
    outcome,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    phases,
    pruned,
    failure: firstBad ? { phase: phaseLabel(firstBad), message: firstBad.reasons[0] ?? firstBad.outcome } : null,
    warnings,
  };
  emit({ type: 'app-end', result });
  return result;

  async function runPhase(phase: BundlePhase): Promise<PhaseResult> {
    const executor = executors.get(phase.stepType);
    const phaseStart = clock.now();
    const attemptsAllowed = 1 + Math.max(0, phase.retries);
    let run: PhaseRun = { outcome: 'failed', objects: [], reasons: [`no executor for step type "${phase.stepType}": this kubemin cannot apply it`] };
    let attempts = 0;
    // Write-ahead: the phase's objects are in the inventory before any is applied, so that an apply
    // cut short (the API server gone, the process killed) leaves nothing the inventory does not know
    // of, for a later bundle without them to prune. When it cannot be written, nothing is applied;
    // unless the app's namespace does not exist yet (its own phase creates it): then after the phase.
    // The later phases' objects are recorded with this one's (as kapp records its change set up
    // front): one write for a first apply instead of one per phase. An object recorded but never
    // applied (the apply stopped before its phase) is harmless: pruning it finds it gone. A phase
    // that applies nothing (a gpu-preflight step) records nothing: a refusal leaves no trace.
    const ahead = phase.objects.length ? app.phases.slice(app.phases.indexOf(phase)) : [];
    for (const later of ahead) for (const o of later.objects) inventory.set(refKey(refOf(o.object)), entryOf(o, later.index));
    const unrecorded = executor ? await flush({ beforePhase: true }) : undefined;
    if (unrecorded !== undefined) run = notRecorded(phase, unrecorded, scrub);
    while (executor && unrecorded === undefined && attempts < attemptsAllowed) {
      attempts++;
      emit({ type: 'phase-start', app: app.name, phase: phase.name, index: phase.index, objects: phase.objects.length, attempt: attempts });
      const timeoutMs = opts.timeoutMs ?? parseDuration(phase.timeout) ?? DEFAULT_TIMEOUT_MS;
      const ctx: PhaseContext = {
        app,
        client,
        live,
        clock,
        deadline: clock.now() + timeoutMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.commit ? { commit: opts.commit } : {}),
        forceConflicts: opts.forceConflicts ?? false,
        skipPreflight: opts.skipPreflight ?? false,
        concurrency: opts.concurrency ?? DEFAULT_OBJECT_CONCURRENCY,
        pollMs: opts.pollMs ?? 1000,
        ruleFor,
        redact: scrub,
        recordApplied: (o) => inventory.set(refKey(refOf(o.object)), entryOf(o, phase.index)),
        progress: (ready, total, waitingFor) => emit({ type: 'phase-progress', app: app.name, phase: phase.name, ready, total, waitingFor }),
      };
      try {
        run = await executor.run(phase, ctx);
      } catch (err) {
        run = { outcome: 'failed', objects: [], reasons: [scrub(`phase ${phase.name}: ${(err as Error).message ?? String(err)}`)] };
      }
      await flush();
      const retryable = run.outcome === 'failed' || run.outcome === 'timeout' || run.outcome === 'unschedulable';
      if (!retryable || attempts >= attemptsAllowed || opts.signal?.aborted) break;
      await resetFailedJobs(client, run.objects, {
        clock,
        deadline: clock.now() + timeoutMs,
        pollMs: ctx.pollMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    }
    const end = clock.now();
    return {
      index: phase.index,
      name: phase.name,
      stepType: phase.stepType,
      outcome: opts.signal?.aborted && run.outcome !== 'ready' ? 'interrupted' : run.outcome,
      startedAt: new Date(phaseStart).toISOString(),
      finishedAt: new Date(end).toISOString(),
      durationMs: end - phaseStart,
      attempts,
      objects: run.objects,
      reasons: run.reasons,
    };
  }

  async function prune(entries: InventoryEntry[]): Promise<PruneResult[]> {
    const results = await pruneObjects(client, entries, opts.concurrency ?? DEFAULT_OBJECT_CONCURRENCY);
    for (const r of results) {
      if (r.action !== 'failed') inventory.delete(refKey(r.ref));
      emit({ type: 'prune', app: app.name, result: r });
    }
    return results;
  }

  /** A changed Job runs under a new name; once it completed, the Jobs it replaces are deleted. */
  async function replaceJobs(phase: BundlePhase): Promise<PruneResult[]> {
    const jobs = new Set(phase.objects.filter((o) => o.object.kind === 'Job').map((o) => o.component));
    if (!jobs.size) return [];
    const keep = new Set(phase.objects.map((o) => refKey(refOf(o.object))));
    const old = [...inventory.values()].filter((e) => e.kind === 'Job' && e.apiVersion.startsWith('batch/') && jobs.has(e.component) && !keep.has(refKey(e)));
    return old.length ? prune(old) : [];
  }
}

/** A phase not applied because the inventory could not be written first: its objects fail with the reason (e.g. Unavailable). */
function notRecorded(phase: BundlePhase, err: unknown, scrub: (text: string) => string): PhaseRun {
  const reason = err instanceof ClusterError ? err.reason : 'Error';
  const message = scrub(`not applied: the inventory could not be written first: ${reason}: ${(err as Error).message ?? String(err)}`);
  return {
    outcome: 'failed',
    objects: phase.objects.map((o) => ({
      ref: refOf(o.object),
      component: o.component ?? null,
      source: formatSourceRef({ file: o.source.file, line: o.source.line }),
      action: 'not-applied',
      state: 'failed',
      reason,
      message,
    })),
    reasons: [`phase ${phase.name}: ${message}`],
  };
}

function skipped(phase: BundlePhase): PhaseResult {
  return {
    index: phase.index,
    name: phase.name,
    stepType: phase.stepType,
    outcome: 'skipped',
    startedAt: null,
    finishedAt: null,
    durationMs: 0,
    attempts: 0,
    objects: [],
    reasons: [],
  };
}
