import type { PendingDiagnostic } from '../expand/types.js';
import { extensionFailed } from '../expand/expand-app.js';
import { planComponents, type ComponentPlan } from '../plan/plan-components.js';
import { ExtensionError } from '../plugins/extension-error.js';
import type { Registry } from '../plugins/registry.js';
import type { AppSpec } from '../spec/types.js';
import { isUnderInvalid, readsAreValid } from './read-paths.js';
import { PLAN_READS, type RuleContext } from './rule.js';

/**
 * Runs the semantic rules of the table on one document. On a document with schema errors
 * (`invalid`: the parts the schema refused), only the rules whose parts are all valid run, so
 * that e.g. an unknown dependsOn is reported next to a misspelled field, never hidden by it;
 * a problem a rule finds inside an invalid part is dropped (the schema error says it better).
 */
export function runRules(spec: AppSpec, registry: Registry, invalid: readonly string[]): RulesResult {
  let plan: ComponentPlan | undefined;
  const ctx: RuleContext = {
    tables: { componentTypes: registry.componentTypes, traits: registry.traits },
    get plan(): ComponentPlan {
      if (!readsAreValid(PLAN_READS, invalid)) throw new Error('a validation rule used the plan without PLAN_READS among its reads');
      return (plan ??= planComponents(spec, registry.stepTypes));
    },
  };
  const plannedOnce = (): ComponentPlan => ctx.plan;
  try {
    const problems = registry.rules
      .filter((rule) => readsAreValid(rule.reads, invalid))
      .flatMap((rule) => rule.check(spec, ctx))
      .filter((p) => !isUnderInvalid(p.pointer, invalid));
    return { problems, plan: plannedOnce };
  } catch (err) {
    if (!(err instanceof ExtensionError)) throw err;
    return { problems: [extensionFailed(err, 'the application', '')], plan: plannedOnce };
  }
}

export interface RulesResult {
  readonly problems: PendingDiagnostic[];
  /** The workflow plan the rules used (planned on first use); only for a document whose plan parts are valid. */
  plan(): ComponentPlan;
}
