import type { PendingDiagnostic } from '../expand/types.js';
import type { ComponentPlan } from '../plan/plan-components.js';
import type { Registry } from '../registry.js';
import type { AppSpec } from '../spec/types.js';

export interface RuleContext {
  readonly registry: Registry;
  /** The workflow planned into phases (computed once, shared by the rules that need it). */
  readonly plan: ComponentPlan;
}

/** A semantic check of one schema-valid application. One file per rule, one line in the table. */
export interface ValidationRule {
  readonly name: string;
  readonly description: string;
  check(app: AppSpec, ctx: RuleContext): PendingDiagnostic[];
}
