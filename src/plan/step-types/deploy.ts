import { dnsLabel } from '../../spec/fragments.js';
import type { StepMode, StepSpec } from '../../spec/types.js';
import type { StepTypeDef } from '../types.js';

/** KubeMin-Cli spells the modes StepByStep and DAG; kubemin accepts both and normalises. */
function normaliseMode(mode: StepSpec['mode']): StepMode {
  switch (mode) {
    case undefined:
    case 'serial':
    case 'StepByStep':
      return 'serial';
    case 'parallel':
    case 'DAG':
      return 'parallel';
    default: {
      const never: never = mode;
      throw new Error(`unknown step mode ${String(never)}`);
    }
  }
}

export const deploy: StepTypeDef = {
  name: 'deploy',
  description: 'Deploys components: a parallel step is one phase; a serial step (the default) is one phase per component, in the order written.',
  componentList: 'components',
  properties: {
    components: { type: 'array', minItems: 1, uniqueItems: true, items: dnsLabel, description: 'Components deployed by this step.' },
    mode: {
      enum: ['serial', 'parallel', 'StepByStep', 'DAG'],
      description: 'serial (default): one component after another; parallel: all at once. StepByStep and DAG are accepted as in KubeMin-Cli.',
    },
  },
  required: ['components'],
  plan(step) {
    const components = step.components ?? [];
    const mode = normaliseMode(step.mode);
    if (mode === 'parallel' || components.length <= 1) return { phases: [{ name: step.name, mode, components }] };
    return { phases: components.map((c) => ({ name: `${step.name}-${c}`, mode, components: [c] })) };
  },
};
