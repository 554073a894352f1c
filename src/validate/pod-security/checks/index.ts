import type { PodSecurityCheck } from '../types.js';
import { appArmor } from './apparmor.js';
import { capabilities } from './capabilities.js';
import { hostNamespaces } from './host-namespaces.js';
import { hostPorts } from './host-ports.js';
import { hostProbes } from './host-probes.js';
import { hostProcess } from './host-process.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { privilegedContainers } from './privileged-containers.js';
import { procMount } from './proc-mount.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { runAsUser } from './run-as-user.js';
import { seccomp } from './seccomp.js';
import { seLinux } from './selinux.js';
import { sysctls } from './sysctls.js';
import { volumeTypes } from './volume-types.js';

/**
 * The controls of the Pod Security Standards, in the order of their documentation: baseline,
 * then restricted. A control with both (capabilities, seccomp, volumes, /proc) is one check
 * given the level, as admission's restricted checks override the baseline ones.
 */
export const podSecurityChecks: readonly PodSecurityCheck[] = [
  hostProcess,
  hostNamespaces,
  privilegedContainers,
  capabilities,
  volumeTypes,
  hostPorts,
  hostProbes,
  appArmor,
  seLinux,
  procMount,
  seccomp,
  sysctls,
  privilegeEscalation,
  runAsNonRoot,
  runAsUser,
];
