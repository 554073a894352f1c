import { containerName, containersOf, podSecurityContextOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'AppArmor';
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const FIX = "keep the runtime's AppArmor profile (RuntimeDefault) or a Localhost one";

/**
 * Baseline: the AppArmor profile is not overridden or disabled: appArmorProfile.type is
 * RuntimeDefault or Localhost, and the deprecated annotations runtime/default or localhost/*.
 */
export const appArmor: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec, annotations }) {
    const out: Violation[] = [];
    const allowed = (p: { type?: unknown } | undefined): boolean => p === undefined || p.type === 'RuntimeDefault' || p.type === 'Localhost';
    const field = ['securityContext', 'appArmorProfile', 'type'];
    const pod = podSecurityContextOf(spec).appArmorProfile;
    if (!allowed(pod))
      out.push({ control: CONTROL, what: `appArmorProfile.type: ${String(pod.type)}`, fix: FIX, allowedBy: 'privileged', site: { on: 'pod', field } });
    for (const c of containersOf(spec)) {
      const p = securityContextOf(c).appArmorProfile;
      if (!allowed(p))
        out.push({
          control: CONTROL,
          what: `appArmorProfile.type: ${String(p.type)}`,
          fix: FIX,
          allowedBy: 'privileged',
          site: { on: 'container', container: containerName(c), field },
        });
    }
    for (const [key, value] of Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!key.startsWith(ANNOTATION_PREFIX) || value === '' || value === 'runtime/default' || value.startsWith('localhost/')) continue;
      out.push({
        control: CONTROL,
        what: `the annotation ${key}: ${JSON.stringify(value)}`,
        fix: FIX,
        allowedBy: 'privileged',
        site: { on: 'annotation', key },
      });
    }
    return out;
  },
};
