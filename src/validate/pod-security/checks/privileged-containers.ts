import { containerName, containersOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck } from '../types.js';

const CONTROL = 'Privileged Containers';

/** Baseline: no container is privileged. */
export const privilegedContainers: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    return containersOf(spec)
      .filter((c) => securityContextOf(c).privileged === true)
      .map((c) => ({
        control: CONTROL,
        what: 'privileged: true',
        fix: 'remove privileged: true, and add only the capabilities the container needs',
        allowedBy: 'privileged' as const,
        site: { on: 'container' as const, container: containerName(c), field: ['securityContext', 'privileged'] },
      }));
  },
};
