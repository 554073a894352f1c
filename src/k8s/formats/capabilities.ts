import { closest } from '../../diagnostics/did-you-mean.js';
import { quote } from './quote.js';

/** The Linux capabilities (capabilities(7)), as a container's securityContext names them: without `CAP_`. */
export const LINUX_CAPABILITIES = [
  'AUDIT_CONTROL',
  'AUDIT_READ',
  'AUDIT_WRITE',
  'BLOCK_SUSPEND',
  'BPF',
  'CHECKPOINT_RESTORE',
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'IPC_LOCK',
  'IPC_OWNER',
  'KILL',
  'LEASE',
  'LINUX_IMMUTABLE',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'MKNOD',
  'NET_ADMIN',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_RAW',
  'PERFMON',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_CHROOT',
  'SYS_MODULE',
  'SYS_NICE',
  'SYS_PACCT',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'SYSLOG',
  'WAKE_ALARM',
] as const;

/**
 * A capability to add or drop: one of the Linux capabilities or ALL. `CAP_NET_ADMIN` is refused:
 * the container runtime would accept it, but the Pod Security checks compare names as written
 * (restricted allows `NET_BIND_SERVICE`, not `CAP_NET_BIND_SERVICE`).
 */
export function checkCapability(s: string): string | undefined {
  if ((LINUX_CAPABILITIES as readonly string[]).includes(s) || s === 'ALL') return undefined;
  const bare = s.replace(/^CAP_/i, '').toUpperCase();
  if (bare !== s && (LINUX_CAPABILITIES as readonly string[]).includes(bare))
    return `write ${quote(s)} as ${quote(bare)}: capabilities are named without the CAP_ prefix, in capitals`;
  const guess = closest(bare, LINUX_CAPABILITIES);
  return `${quote(s)} is not a Linux capability${guess ? ` (did you mean ${quote(guess)}?)` : ' (see capabilities(7); ALL means every one)'}`;
}
