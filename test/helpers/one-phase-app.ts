import type { CompiledApp } from '../../src/compile.js';
import type { K8sObject } from '../../src/k8s/types.js';

/** An application of one phase (`all`, parallel, deploy) whose objects all come from `component`: for cluster tests that apply objects made by hand. */
export function onePhaseApp(name: string, namespace: string, objects: readonly K8sObject[], component = 'c'): CompiledApp {
  const source = { file: 'kubemin.yaml', line: 1, col: 1, pointer: '' };
  return {
    name,
    namespace,
    source,
    phases: [
      {
        index: 1,
        name: 'all',
        step: 'all',
        stepType: 'deploy',
        mode: 'parallel',
        timeout: '1m',
        retries: 0,
        components: [component],
        objects: objects.map((object) => ({ object, component, source })),
      },
    ],
  };
}
