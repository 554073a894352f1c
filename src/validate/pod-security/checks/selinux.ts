import { containerName, containersOf, podSecurityContextOf, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation, ViolationSite } from '../types.js';

const CONTROL = 'SELinux';
const TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Baseline: seLinuxOptions.type is one of the container types, and user and role are not set. */
export const seLinux: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }) {
    const out: Violation[] = [];
    const look = (opts: Record<string, unknown> | undefined, site: (field: string) => ViolationSite): void => {
      if (!opts) return;
      const type = typeof opts.type === 'string' ? opts.type : '';
      if (!TYPES.has(type)) {
        out.push({
          control: CONTROL,
          what: `seLinuxOptions.type: ${type}`,
          fix: `use one of ${[...TYPES].filter(Boolean).join(', ')}, or leave it unset`,
          allowedBy: 'privileged',
          site: site('type'),
        });
      }
      for (const f of ['user', 'role'] as const) {
        if (typeof opts[f] === 'string' && opts[f] !== '') {
          out.push({
            control: CONTROL,
            what: `seLinuxOptions.${f}: ${String(opts[f])}`,
            fix: `remove seLinuxOptions.${f}`,
            allowedBy: 'privileged',
            site: site(f),
          });
        }
      }
    };
    look(podSecurityContextOf(spec).seLinuxOptions, (f) => ({ on: 'pod', field: ['securityContext', 'seLinuxOptions', f] }));
    for (const c of containersOf(spec)) {
      look(securityContextOf(c).seLinuxOptions, (f) => ({ on: 'container', container: containerName(c), field: ['securityContext', 'seLinuxOptions', f] }));
    }
    return out;
  },
};
