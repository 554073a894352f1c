import { deployExecutor } from './deploy.js';
import { gpuPreflightExecutor } from './gpu-preflight.js';
import type { StepExecutor } from './types.js';
import { webhookExecutor } from './webhook.js';

/** How `kubemin apply` runs each step type's phases: one executor per step type, one file each. */
export const builtinExecutors: readonly StepExecutor[] = [deployExecutor, gpuPreflightExecutor, webhookExecutor];

export function executorTable(executors: readonly StepExecutor[] = builtinExecutors): ReadonlyMap<string, StepExecutor> {
  const map = new Map<string, StepExecutor>();
  for (const e of executors) {
    if (map.has(e.stepType)) throw new Error(`two executors for step type "${e.stepType}"`);
    map.set(e.stepType, e);
  }
  return map;
}
