import { containerName, containersOf, isWindows, podSecurityContextOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'Seccomp';
const valid = (p: { type?: unknown }): boolean => p.type === 'RuntimeDefault' || p.type === 'Localhost';

/**
 * Baseline: a seccomp profile, where set, is RuntimeDefault or Localhost (not Unconfined).
 * Restricted: and every container has one, its own or the pod's (Windows pods exempt).
 */
export const seccomp: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }, level) {
    const out: Violation[] = [];
    const field = ['securityContext', 'seccompProfile', 'type'];
    const fix = "use seccompProfile RuntimeDefault (kubemin's default) or a Localhost profile";
    const pod = podSecurityContextOf(spec).seccompProfile as { type?: unknown } | undefined;
    if (pod && !valid(pod))
      out.push({ control: CONTROL, what: `seccompProfile: ${String(pod.type)}`, fix, allowedBy: 'privileged', site: { on: 'pod', field } });
    const podSet = pod !== undefined && valid(pod);
    const missing: Violation[] = [];
    for (const c of containersOf(spec)) {
      const own = securityContextOf(c).seccompProfile as { type?: unknown } | undefined;
      const container = containerName(c);
      if (own && !valid(own))
        out.push({ control: CONTROL, what: `seccompProfile: ${String(own.type)}`, fix, allowedBy: 'privileged', site: { on: 'container', container, field } });
      else if (!own && !podSet) {
        missing.push({
          control: CONTROL,
          what: 'running without a seccomp profile',
          fix: 'set seccompProfile RuntimeDefault, for the pod or the container',
          allowedBy: 'baseline',
          site: { on: 'container', container, field },
        });
      }
    }
    // As admission: a profile set to a forbidden value is the reason; containers without one only without it.
    return out.length || level !== 'restricted' || isWindows(spec) ? out : missing;
  },
};
