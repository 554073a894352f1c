import { PLAN_READS, type ValidationRule } from '../rule.js';

export const workflow: ValidationRule = {
  name: 'workflow',
  description:
    'Every component is deployed by exactly one workflow step, steps name existing components, dependsOn names existing components without cycles and agrees with the workflow order.',
  reads: PLAN_READS,
  check(_app, ctx) {
    return ctx.plan.diagnostics;
  },
};
