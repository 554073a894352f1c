import { containerName, containersOf, isWindows, securityContextOf } from '../pod.js';
import type { PodSecurityCheck, Violation } from '../types.js';

const CONTROL = 'Capabilities';

/** What baseline allows adding: the container runtimes' default set. */
const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
/** What restricted allows adding. */
const RESTRICTED_ADD = 'NET_BIND_SERVICE';

/**
 * Baseline: capabilities added are among the runtime's defaults. Restricted: every container
 * drops ALL and adds at most NET_BIND_SERVICE (Windows pods exempt).
 */
export const capabilities: PodSecurityCheck = {
  control: CONTROL,
  level: 'baseline',
  check({ spec }, level) {
    const restricted = level === 'restricted' && !isWindows(spec);
    const out: Violation[] = [];
    for (const c of containersOf(spec)) {
      const caps = (securityContextOf(c).capabilities as { add?: unknown[]; drop?: unknown[] } | undefined) ?? {};
      const container = containerName(c);
      if (restricted && !(caps.drop ?? []).includes('ALL')) {
        out.push({
          control: CONTROL,
          what: 'keeping the default capabilities (capabilities.drop without ALL)',
          fix: "drop every capability: capabilities.drop: [ALL] (kubemin's default: remove a drop list that replaces it)",
          allowedBy: 'baseline',
          site: { on: 'container', container, field: ['securityContext', 'capabilities', 'drop'] },
        });
      }
      for (const [i, cap] of (caps.add ?? []).map(String).entries()) {
        const inBaseline = BASELINE_CAPABILITIES.has(cap);
        if (inBaseline && (!restricted || cap === RESTRICTED_ADD)) continue;
        out.push({
          control: CONTROL,
          what: `capabilities.add: ${cap}`,
          fix: restricted
            ? `add no capability but NET_BIND_SERVICE`
            : `add only capabilities of the runtime's default set (${[...BASELINE_CAPABILITIES].join(', ')})`,
          allowedBy: inBaseline ? 'baseline' : 'privileged',
          site: { on: 'container', container, field: ['securityContext', 'capabilities', 'add', String(i)] },
        });
      }
    }
    return out;
  },
};
