import { containerName, containersOf, inUserNamespace, podSecurityContextOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'Running as Non-root';

/**
 * Restricted: runAsNonRoot is true for the pod, or for every container; no container sets it
 * false (relaxed in a user namespace, v1.35+).
 */
export const runAsNonRoot: PodSecurityCheck = {
  control: CONTROL,
  level: 'restricted',
  check({ spec }) {
    if (inUserNamespace(spec)) return [];
    const out: Violation[] = [];
    const field = ['securityContext', 'runAsNonRoot'];
    const fix = "remove runAsNonRoot: false (kubemin's default is true), and run as a user other than 0";
    const pod = podSecurityContextOf(spec).runAsNonRoot;
    if (pod === false) out.push({ control: CONTROL, what: 'runAsNonRoot: false', fix, allowedBy: 'baseline', site: { on: 'pod', field } });
    const missing: Violation[] = [];
    for (const c of containersOf(spec)) {
      const own = securityContextOf(c).runAsNonRoot;
      const container = containerName(c);
      if (own === false) out.push({ control: CONTROL, what: 'runAsNonRoot: false', fix, allowedBy: 'baseline', site: { on: 'container', container, field } });
      else if (own !== true && pod !== true) {
        missing.push({
          control: CONTROL,
          what: 'running without runAsNonRoot: true',
          fix: 'set runAsNonRoot: true, for the pod or the container',
          allowedBy: 'baseline',
          site: { on: 'container', container, field },
        });
      }
    }
    // As admission: runAsNonRoot set to false is the reason; containers without it only without that.
    return out.length ? out : missing;
  },
};
