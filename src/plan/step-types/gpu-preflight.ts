import { joinPointer } from '../../load/json-pointer.js';
import { dnsLabel } from '../../spec/fragments.js';
import { unknownComponent } from '../plan-components.js';
import type { StepTypeDef } from '../types.js';

/**
 * A check, not a deployment: before the phases after it, `kubemin apply` compares the GPUs
 * (nvidia.com/gpu) the listed components' pods will ask for with what the cluster's nodes have
 * allocatable and free, and stops before applying anything when they cannot fit. Without `for`,
 * every component deployed after the step is checked. (Phases with GPU requests are also
 * checked on their own before they are applied, unless `apply --skip-preflight`.)
 */
export const gpuPreflight: StepTypeDef = {
  name: 'gpu-preflight',
  description:
    'Checks before the next phases that the GPUs their pods ask for fit on the nodes (allocatable and free nvidia.com/gpu), and stops before applying when they do not. `for`: the components to check (default: every component deployed after this step).',
  componentList: 'for',
  properties: {
    for: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: dnsLabel,
      description: 'Components whose GPU requests are checked (default: all deployed after this step).',
    },
  },
  plan(step, ctx) {
    const wanted = (step.for as string[] | undefined) ?? [];
    const diagnostics = wanted.flatMap((name, i) =>
      ctx.componentNames.includes(name) ? [] : [unknownComponent(name, joinPointer(ctx.pointer, 'for', i), ctx.componentNames)],
    );
    return { phases: [{ name: step.name, mode: 'serial', components: [], params: { for: wanted } }], diagnostics };
  },
};
