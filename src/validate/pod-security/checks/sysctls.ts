import { podSecurityContextOf } from '../pod.js';
import type { PodSecurityCheck } from '../types.js';

const CONTROL = 'Sysctls';
/** The sysctls that are namespaced and isolated from other pods (v1.32 list). */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** Baseline: only the safe sysctls are set. */
export const sysctls: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    const list = podSecurityContextOf(spec).sysctls;
    return (Array.isArray(list) ? (list as Array<{ name?: unknown }>) : [])
      .filter((s) => !SAFE_SYSCTLS.has(String(s.name)))
      .map((s) => ({
        control: CONTROL,
        what: `the sysctl ${String(s.name)}`,
        fix: `set only namespaced, isolated sysctls (${[...SAFE_SYSCTLS].join(', ')})`,
        allowedBy: 'privileged' as const,
        site: { on: 'pod' as const, field: ['securityContext', 'sysctls'] },
      }));
  },
};
