import { containerName, containersOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'Host Probes / Lifecycle Hooks';

/**
 * Baseline (v1.34+): probes and lifecycle hooks do not name a host (httpGet.host, tcpSocket.host):
 * the kubelet would connect to any address on the pod's behalf.
 */
export const hostProbes: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    const out: Violation[] = [];
    for (const c of containersOf(spec)) {
      const handlers: Array<[string[], unknown]> = [
        [['livenessProbe'], c.livenessProbe],
        [['readinessProbe'], c.readinessProbe],
        [['startupProbe'], c.startupProbe],
        [['lifecycle', 'postStart'], c.lifecycle?.postStart],
        [['lifecycle', 'preStop'], c.lifecycle?.preStop],
      ];
      for (const [path, handler] of handlers) {
        for (const kind of ['httpGet', 'tcpSocket']) {
          const host = (handler as Record<string, { host?: unknown } | undefined> | undefined)?.[kind]?.host;
          if (typeof host !== 'string' || host === '') continue;
          out.push({
            control: CONTROL,
            what: `${[...path, kind].join('.')}.host: ${JSON.stringify(host)}`,
            fix: "remove host: probes and hooks go to the pod's own address",
            allowedBy: 'privileged',
            site: { on: 'container', container: containerName(c), field: [...path, kind, 'host'] },
          });
        }
      }
    }
    return out;
  },
};
