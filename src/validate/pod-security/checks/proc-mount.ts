import { containerName, containersOf, inUserNamespace, securityContextOf } from '../pod.js';
import type { PodSecurityCheck } from '../types.js';

const CONTROL = '/proc Mount Type';

/**
 * Baseline: procMount is Default (any value in a user namespace, v1.35+). Restricted (v1.35+):
 * Default, user namespace or not.
 */
export const procMount: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }, level) {
    const userns = inUserNamespace(spec);
    if (level === 'baseline' && userns) return [];
    return containersOf(spec)
      .filter((c) => {
        const v = securityContextOf(c).procMount;
        return v !== undefined && v !== null && v !== 'Default';
      })
      .map((c) => ({
        control: CONTROL,
        what: `procMount: ${String(securityContextOf(c).procMount)}`,
        fix: 'remove procMount: keep the default /proc masks',
        allowedBy: userns ? ('baseline' as const) : ('privileged' as const),
        site: { on: 'container' as const, container: containerName(c), field: ['securityContext', 'procMount'] },
      }));
  },
};
