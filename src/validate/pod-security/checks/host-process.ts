import { containerName, containersOf, podSecurityContextOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'HostProcess';
const FIX = 'remove windowsOptions.hostProcess: HostProcess containers have privileged access to the Windows node';

/** Baseline: no Windows HostProcess containers (pod or container windowsOptions.hostProcess). */
export const hostProcess: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    const out: Violation[] = [];
    const field = ['securityContext', 'windowsOptions', 'hostProcess'];
    if (podSecurityContextOf(spec).windowsOptions?.hostProcess === true) {
      out.push({ control: CONTROL, what: 'windowsOptions.hostProcess: true', fix: FIX, allowedBy: 'privileged', site: { on: 'pod', field } });
    }
    for (const c of containersOf(spec)) {
      if (securityContextOf(c).windowsOptions?.hostProcess === true) {
        out.push({
          control: CONTROL,
          what: 'windowsOptions.hostProcess: true',
          fix: FIX,
          allowedBy: 'privileged',
          site: { on: 'container', container: containerName(c), field },
        });
      }
    }
    return out;
  },
};
