import { formatFieldPath } from './field-paths.js';
import type { Plain } from './merge-patch.js';
import type { PromotionPlan, SkipReason } from './plan-promotion.js';
import { renderFlowValue } from './render-yaml.js';

const MAX_VALUE_LENGTH = 80;

/**
 * What a promotion changes, one line per component and field: the target's value before and
 * after, what was already equal, and which components were left out and why.
 */
export function formatPromotion(plan: PromotionPlan): string {
  const { from, to } = plan;
  const lines = [`${plan.app}: ${from.name} -> ${to.name}`];
  for (const name of plan.components) {
    for (const c of plan.changes.filter((x) => x.component === name)) {
      const how = c.edit === 'removed' ? ` (${to.name}'s override removed: the base has it)` : '';
      lines.push(`  ${name}: ${formatFieldPath(c.field)} ${formatValue(c.before)} -> ${formatValue(c.after)}${how}`);
    }
    for (const a of plan.already.filter((x) => x.component === name)) lines.push(`  ${name}: ${formatFieldPath(a.field)} already ${formatValue(a.value)}`);
    for (const s of plan.skipped.filter((x) => x.component === name)) lines.push(`  ${name}: not promoted: ${skipReason(s.reason, plan)}`);
  }
  return lines.join('\n') + '\n';
}

function skipReason(reason: SkipReason, plan: PromotionPlan): string {
  switch (reason) {
    case 'disabled-in-source':
      return `disabled in ${plan.from.name}`;
    case 'disabled-in-target':
      return `disabled in ${plan.to.name}`;
    default: {
      const never: never = reason;
      throw new Error(`unknown reason ${String(never)}`);
    }
  }
}

/** A value on one line: a string as it is (quoted when blank or odd), anything else as YAML flow; long ones cut. */
function formatValue(value: Plain | undefined): string {
  if (value === undefined) return '(not set)';
  const text = typeof value === 'string' && /^[^\s"'{}[\],#]+$/.test(value) ? value : renderFlowValue(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text;
}
