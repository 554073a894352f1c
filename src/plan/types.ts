import type { JsonValue } from '../bundle/yaml-emit.js';
import type { PendingDiagnostic } from '../expand/types.js';
import type { JsonSchema } from '../spec/json-schema.js';
import type { StepMode, StepSpec } from '../spec/types.js';

/** A phase as a step type plans it: what is deployed together, before the next phase starts. */
export interface PhaseDraft {
  readonly name: string;
  readonly mode: StepMode;
  readonly components: readonly string[];
  /** What the step type's executor needs at apply time (written to the plan), e.g. which components a check is for. */
  readonly params?: Readonly<Record<string, JsonValue>>;
}

/** @public (the plugin API: plugins written in JS name it in JSDoc) */
export interface StepPlanContext {
  /** JSON pointer of the step, e.g. `/spec/workflow/steps/1`. */
  readonly pointer: string;
  /** Names of the app's components, for steps that refer to them. */
  readonly componentNames: readonly string[];
}

export interface StepPlan {
  readonly phases: PhaseDraft[];
  readonly diagnostics?: PendingDiagnostic[];
}

/** A workflow step type: its fields (JSON Schema) and how a step of it becomes phases. */
export interface StepTypeDef {
  readonly name: string;
  readonly description: string;
  readonly properties: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  /** The field that lists components, if any: an environment leaves its disabled ones out (and the step, when none is left). */
  readonly componentList?: string;
  plan(step: StepSpec, ctx: StepPlanContext): StepPlan;
}
