import { containerName, containersOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'Host Ports';

/** Baseline: no container port is bound on the node (hostPort unset or 0). */
export const hostPorts: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    const out: Violation[] = [];
    for (const c of containersOf(spec)) {
      for (const p of Array.isArray(c.ports) ? (c.ports as Array<{ hostPort?: number }>) : []) {
        if (!p.hostPort) continue;
        out.push({
          control: CONTROL,
          what: `hostPort: ${p.hostPort}`,
          fix: 'remove hostPort: reach the pod through its Service (or an Ingress)',
          allowedBy: 'privileged',
          site: { on: 'container', container: containerName(c), field: ['ports'] },
        });
      }
    }
    return out;
  },
};
