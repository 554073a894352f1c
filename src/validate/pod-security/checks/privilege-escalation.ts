import { containerName, containersOf, isWindows, securityContextOf } from '../pod.js';
import type { PodSecurityCheck } from '../types.js';

const CONTROL = 'Privilege Escalation';

/** Restricted: every container sets allowPrivilegeEscalation: false (Windows pods exempt). */
export const privilegeEscalation: PodSecurityCheck = {
  control: CONTROL,
  level: 'restricted',
  check({ spec }) {
    if (isWindows(spec)) return [];
    return containersOf(spec)
      .filter((c) => securityContextOf(c).allowPrivilegeEscalation !== false)
      .map((c) => {
        const set = securityContextOf(c).allowPrivilegeEscalation === true;
        return {
          control: CONTROL,
          what: set ? 'allowPrivilegeEscalation: true' : 'allowing privilege escalation (allowPrivilegeEscalation is not false)',
          fix: set ? "remove allowPrivilegeEscalation (kubemin's default is false)" : 'set allowPrivilegeEscalation: false',
          allowedBy: 'baseline' as const,
          site: { on: 'container' as const, container: containerName(c), field: ['securityContext', 'allowPrivilegeEscalation'] },
        };
      });
  },
};
