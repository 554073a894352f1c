import { builtinExecutors } from '../apply/executors/index.js';
import { builtinComponentTypes } from '../expand/component-types/index.js';
import { builtinTraits } from '../expand/traits/index.js';
import { builtinStepTypes } from '../plan/step-types/index.js';
import type { LoadedPlugin } from './types.js';

/** kubemin's own component types, traits and step types, as a plugin of the same API as any other. */
export const builtinPlugin: LoadedPlugin = {
  source: 'built-in',
  plugin: {
    name: 'kubemin',
    componentTypes: builtinComponentTypes,
    traits: builtinTraits,
    stepTypes: builtinStepTypes.map((s) => {
      const executor = builtinExecutors.find((e) => e.stepType === s.name);
      return executor ? { ...s, execute: executor.run.bind(executor) } : s;
    }),
  },
};
