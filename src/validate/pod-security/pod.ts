import type { ContainerLike, PodSpecLike } from './types.js';

/** Every container of a pod, in the order admission visits them: init, regular, ephemeral. */
export function containersOf(spec: PodSpecLike): ContainerLike[] {
  const list = (key: string): ContainerLike[] => (Array.isArray(spec[key]) ? (spec[key] as ContainerLike[]) : []);
  return [...list('initContainers'), ...list('containers'), ...list('ephemeralContainers')];
}

/** A container's securityContext (empty when it has none). */
export function securityContextOf(c: ContainerLike): Record<string, any> {
  return (c.securityContext as Record<string, any> | undefined) ?? {};
}

/** The pod's securityContext (empty when it has none). */
export function podSecurityContextOf(spec: PodSpecLike): Record<string, any> {
  return (spec.securityContext as Record<string, any> | undefined) ?? {};
}

/** The pod runs in a user namespace (`hostUsers: false`): some restricted controls are relaxed (v1.35+). */
export function inUserNamespace(spec: PodSpecLike): boolean {
  return spec.hostUsers === false;
}

/** A Windows pod (`os.name: windows`): exempt from the Linux-only restricted controls (v1.25+). */
export function isWindows(spec: PodSpecLike): boolean {
  return (spec.os as { name?: string } | undefined)?.name === 'windows';
}

export function containerName(c: ContainerLike): string {
  return typeof c.name === 'string' ? c.name : '?';
}
