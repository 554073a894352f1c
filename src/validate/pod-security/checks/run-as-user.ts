import { containerName, containersOf, inUserNamespace, podSecurityContextOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'Running as Non-root user';
const FIX = "remove runAsUser: 0 and run as the image's non-root user, or give another user id";

/** Restricted: neither the pod nor a container sets runAsUser: 0 (relaxed in a user namespace, v1.35+). */
export const runAsUser: PodSecurityCheck = {
  control: CONTROL,
  level: 'restricted',
  check({ spec }) {
    if (inUserNamespace(spec)) return [];
    const out: Violation[] = [];
    const field = ['securityContext', 'runAsUser'];
    if (podSecurityContextOf(spec).runAsUser === 0)
      out.push({ control: CONTROL, what: 'runAsUser: 0', fix: FIX, allowedBy: 'baseline', site: { on: 'pod', field } });
    for (const c of containersOf(spec)) {
      if (securityContextOf(c).runAsUser === 0) {
        out.push({ control: CONTROL, what: 'runAsUser: 0', fix: FIX, allowedBy: 'baseline', site: { on: 'container', container: containerName(c), field } });
      }
    }
    return out;
  },
};
