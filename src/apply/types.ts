import type { ApplyAction } from '../cluster/server-side-apply.js';
import type { ObjectRef } from '../k8s/object-ref.js';
import type { ReadinessState } from '../readiness/types.js';

/**
 * How a phase ended:
 * - `ready`: applied, and every object ready;
 * - `failed`: an object failed to apply, or ran and failed (crash loop, image pull, Job failed);
 * - `unschedulable`: the scheduler refused its pods (e.g. not enough GPUs): they never ran;
 * - `refused`: a preflight check stopped it before anything was applied;
 * - `timeout`: not ready within the phase's timeout;
 * - `interrupted`: the apply was stopped (Ctrl-C, SIGTERM) while in this phase;
 * - `skipped`: not reached, because an earlier phase did not get ready;
 * - `planned`: `--dry-run`, nothing was changed.
 */
export type PhaseOutcome = 'ready' | 'failed' | 'unschedulable' | 'refused' | 'timeout' | 'interrupted' | 'skipped' | 'planned';

/** How an app's apply ended. */
type AppOutcome = 'applied' | 'failed' | 'interrupted' | 'planned';

/** One object of a phase: what applying did, and where its readiness stood last. */
export interface ObjectResult {
  readonly ref: ObjectRef;
  readonly component: string | null;
  /** `file:line` of the spec part that produced it. */
  readonly source: string | null;
  /** What the apply did; `failed` when the API server refused it; `not-applied` when not reached. */
  readonly action: ApplyAction | 'failed' | 'not-applied';
  readonly state: ReadinessState | 'unknown';
  /** Readiness message, or the apply error. Never holds a secret value. */
  readonly message: string;
  readonly reason?: string;
  /** `namespace/name` of the pod the reason was seen on. */
  readonly pod?: string;
}

export interface PhaseResult {
  readonly index: number;
  readonly name: string;
  readonly stepType: string;
  readonly outcome: PhaseOutcome;
  /** ISO 8601; null for skipped phases. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number;
  readonly attempts: number;
  readonly objects: readonly ObjectResult[];
  /** Why it did not get ready, one line each, naming the object and its source. */
  readonly reasons: readonly string[];
}

/**
 * `deleted`; `gone` (already); `kept`: never kubemin's to delete (not applied by it, or a
 * Namespace), forgotten from the inventory; `failed`: the delete failed, tried again next time.
 */
type PruneAction = 'deleted' | 'gone' | 'kept' | 'failed';

export interface PruneResult {
  readonly ref: ObjectRef;
  readonly action: PruneAction;
  /** Why it was kept or failed, e.g. not applied by kubemin. */
  readonly reason?: string;
}

/** The commit an apply is of, when the caller knows it (the watch daemon does; `kubemin apply --commit`). */
export interface ApplyCommit {
  readonly sha: string;
  readonly subject?: string;
  readonly author?: string;
}

/** The result of applying one app: what the CLI prints, `--output json` and the status reports hold. */
export interface AppApplyResult {
  readonly app: string;
  /** Set for an environment's variant. */
  readonly environment?: string;
  readonly namespace: string;
  readonly outcome: AppOutcome;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly phases: readonly PhaseResult[];
  readonly pruned: readonly PruneResult[];
  /** The first reason the apply failed, for one-line reports. */
  readonly failure: { readonly phase: string; readonly message: string } | null;
  /** Problems that did not stop the apply (e.g. the inventory could not be written). */
  readonly warnings: readonly string[];
}

/** Progress, for people: what the CLI shows as it happens. */
export type ApplyEvent =
  | { readonly type: 'app-start'; readonly app: string; readonly environment?: string; readonly namespace: string; readonly phases: readonly string[] }
  | { readonly type: 'phase-start'; readonly app: string; readonly phase: string; readonly index: number; readonly objects: number; readonly attempt: number }
  | {
      readonly type: 'phase-progress';
      readonly app: string;
      readonly phase: string;
      readonly ready: number;
      readonly total: number;
      readonly waitingFor: string | null;
    }
  | { readonly type: 'phase-end'; readonly app: string; readonly result: PhaseResult }
  | { readonly type: 'prune'; readonly app: string; readonly result: PruneResult }
  | { readonly type: 'app-end'; readonly result: AppApplyResult };
