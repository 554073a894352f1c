import type { PodSecurityCheck, Violation } from '../types.js';

/** Volume sources restricted allows: what a pod gets from the cluster, not from a node or a server. */
const RESTRICTED_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * Baseline ("HostPath Volumes"): no hostPath volume. Restricted ("Volume Types"): only the
 * volume sources above (no NFS, iSCSI, in-tree cloud disks, gitRepo...: use a claim).
 */
export const volumeTypes: PodSecurityCheck = {
  control: 'Volume Types',
  level: 'baseline',
  check({ spec }, level) {
    const out: Violation[] = [];
    for (const v of Array.isArray(spec.volumes) ? (spec.volumes as Array<Record<string, unknown>>) : []) {
      const volume = String(v.name);
      if (v.hostPath !== undefined && v.hostPath !== null) {
        out.push({
          control: 'HostPath Volumes',
          what: `the hostPath volume "${volume}"`,
          fix: 'use persistent or ephemeral storage instead of a directory of the node',
          allowedBy: 'privileged',
          site: { on: 'volume', volume },
        });
        continue;
      }
      if (level !== 'restricted') continue;
      const source = Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
      if (source !== undefined && RESTRICTED_SOURCES.includes(source)) continue;
      out.push({
        control: 'Volume Types',
        what: `the ${source ?? 'unknown'} volume "${volume}"`,
        fix: `use a persistentVolumeClaim (or ${RESTRICTED_SOURCES.filter((s) => s !== 'persistentVolumeClaim').join(', ')}) instead`,
        allowedBy: 'baseline',
        site: { on: 'volume', volume },
      });
    }
    return out;
  },
};
