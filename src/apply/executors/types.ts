import type { BundleObject, BundlePhase, CompiledApp } from '../../compile.js';
import type { LiveObjects } from '../../cluster/live-objects.js';
import type { ClusterClient } from '../../cluster/types.js';
import type { K8sObject } from '../../k8s/types.js';
import type { ReadinessRule } from '../../readiness/types.js';
import type { Clock } from '../clock.js';
import type { ApplyCommit, ObjectResult, PhaseOutcome } from '../types.js';

/** What an executor may use while it runs one phase. */
export interface PhaseContext {
  readonly app: CompiledApp;
  readonly client: ClusterClient;
  readonly clock: Clock;
  /** Give up waiting then (the clock's milliseconds). */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** The commit applied, when known. */
  readonly commit?: ApplyCommit;
  readonly forceConflicts: boolean;
  readonly skipPreflight: boolean;
  /**
   * The app's objects as they were when its apply started (one LIST per kind and namespace):
   * each object's state before it is applied, without a GET. Without it, a GET per object.
   */
  readonly live?: LiveObjects;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly pollMs: number;
  readonly ruleFor: (o: Pick<K8sObject, 'apiVersion' | 'kind'>) => ReadinessRule;
  /** Removes secret values from a message (API errors may quote them). */
  readonly redact: (text: string) => string;
  /** The object was applied: it goes into the app's inventory. */
  readonly recordApplied: (o: BundleObject) => void;
  readonly progress: (ready: number, total: number, waitingFor: string | null) => void;
}

/** How a phase run ended (skipped and planned are decided by the orchestrator, not executors). */
export interface PhaseRun {
  readonly outcome: Exclude<PhaseOutcome, 'skipped' | 'planned'>;
  readonly objects: readonly ObjectResult[];
  readonly reasons: readonly string[];
}

/**
 * What `kubemin apply` does for a phase of a step type: one executor per step type, in the table
 * of executors/index.ts (the planning half of a step type lives in plan/step-types/).
 */
export interface StepExecutor {
  readonly stepType: string;
  run(phase: BundlePhase, ctx: PhaseContext): Promise<PhaseRun>;
}
