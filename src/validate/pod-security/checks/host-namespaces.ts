import type { PodSecurityCheck } from '../types.js';

const CONTROL = 'Host Namespaces';

/** Baseline: the pod shares none of the node's network, PID or IPC namespaces. */
export const hostNamespaces: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((field) => spec[field] === true)
      .map((field) => ({
        control: CONTROL,
        what: `${field}: true`,
        fix: `remove ${field}: the pod would share the node's ${field === 'hostNetwork' ? 'network' : field === 'hostPID' ? 'processes' : 'shared memory'}`,
        allowedBy: 'privileged' as const,
        site: { on: 'pod' as const, field: [field] },
      }));
  },
};
