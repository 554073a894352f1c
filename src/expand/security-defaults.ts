import type { Container } from '../k8s/types.js';
import type { PodSecurityLevel } from '../spec/types.js';

/**
 * Secure by default: the security context kubemin gives every pod it builds, per Pod Security
 * Standard level, under what the spec (or a trait, or a plugin) set, which always wins.
 *
 * - restricted: the pod runs as non-root with the runtime's seccomp profile; each container
 *   (main, init, sidecar) cannot gain privileges and drops every capability. Nothing else is
 *   needed to be admitted in a namespace that enforces restricted.
 * - baseline and privileged: the runtime's seccomp profile and no privilege escalation, but the
 *   image's user (root allowed) and the runtime's default capabilities, which images that start
 *   as root and then switch users (nginx, postgres) need. A privileged container, or one that
 *   adds SYS_ADMIN, is not given allowPrivilegeEscalation: false (the API server refuses it with
 *   privileged, and either can gain privileges anyway).
 */
export function podSecurityDefaults(level: PodSecurityLevel, given: Record<string, unknown> | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> =
    level === 'restricted' ? { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } : { seccompProfile: { type: 'RuntimeDefault' } };
  return ordered({ ...defaults, ...given }, POD_SECURITY_KEYS);
}

/** The container with kubemin's defaults for `level` under its own securityContext. */
export function containerSecurityDefaults(level: PodSecurityLevel, container: Container): Container {
  const given = container.securityContext ?? {};
  const capabilities = (given.capabilities as { add?: string[]; drop?: string[] } | undefined) ?? {};
  // Restricted forbids both anyway (validate says so); elsewhere they would make the default invalid.
  const mayEscalate = level !== 'restricted' && (given.privileged === true || (capabilities.add ?? []).some((c) => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN'));
  const defaults: Record<string, unknown> = mayEscalate ? {} : { allowPrivilegeEscalation: false };
  const merged: Record<string, unknown> = { ...defaults, ...given };
  if (level === 'restricted') merged.capabilities = ordered({ drop: ['ALL'], ...capabilities }, CAPABILITY_KEYS);
  else if (given.capabilities !== undefined) merged.capabilities = ordered(capabilities, CAPABILITY_KEYS);
  return { ...container, securityContext: ordered(merged, CONTAINER_SECURITY_KEYS) };
}

/** A fixed key order, whoever set which field; keys kubemin does not know come last, sorted. */
function ordered(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let placed = 0;
  for (const k of keys) {
    if (o[k] !== undefined) {
      out[k] = o[k];
      placed++;
    }
  }
  const own = Object.keys(o);
  // Usually every key is a known one: nothing left to sort.
  if (own.length === placed) return out;
  for (const k of own.sort()) if (!(k in out) && o[k] !== undefined) out[k] = o[k];
  return out;
}

const POD_SECURITY_KEYS = ['runAsUser', 'runAsGroup', 'runAsNonRoot', 'fsGroup', 'supplementalGroups', 'seccompProfile'];
const CONTAINER_SECURITY_KEYS = [
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'privileged',
  'allowPrivilegeEscalation',
  'readOnlyRootFilesystem',
  'capabilities',
  'seccompProfile',
];
const CAPABILITY_KEYS = ['add', 'drop'];
