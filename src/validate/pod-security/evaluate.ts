import type { PodSecurityLevel } from '../../spec/types.js';
import { podSecurityChecks } from './checks/index.js';
import type { CheckedPod, PodSecurityCheck, Violation } from './types.js';

/** Levels from the most to the least restrictive. */
const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** The more permissive of two levels. */
export function morePermissive(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
  return POD_SECURITY_LEVELS.indexOf(a) >= POD_SECURITY_LEVELS.indexOf(b) ? a : b;
}

/** What a pod does that `level` does not allow, as admission would find it; none under privileged. */
export function evaluatePod(pod: CheckedPod, level: PodSecurityLevel, checks: readonly PodSecurityCheck[] = podSecurityChecks): Violation[] {
  switch (level) {
    case 'privileged':
      return [];
    case 'baseline':
      return checks.filter((c) => c.level === 'baseline').flatMap((c) => c.check(pod, 'baseline'));
    case 'restricted':
      return checks.flatMap((c) => c.check(pod, 'restricted'));
    default: {
      const never: never = level;
      throw new Error(`unknown podSecurity level ${String(never)}`);
    }
  }
}
