import { checkDnsLabel } from '../../k8s/formats/names.js';
import { quote } from '../../k8s/formats/quote.js';
import type { Problems } from './problems.js';

/**
 * A KubeMin-Cli name as kubemin needs it: an RFC 1123 label. KubeMin-Cli lowercases most names
 * when it makes objects (and accepts uppercase in its API), so uppercase letters are lowercased
 * with a warning; anything else that is not a label is an error.
 */
export function kubeName(name: string, pointer: string, problems: Problems, what: string): string | undefined {
  const lower = name.toLowerCase();
  const problem = checkDnsLabel(lower);
  if (problem !== undefined) {
    problems.error(pointer, 'invalid-name', `${what} ${quote(name)} cannot be a Kubernetes name: ${problem}`);
    return undefined;
  }
  if (lower !== name) problems.warn(pointer, 'name-lowercased', `${what} ${quote(name)} is written in lowercase, ${quote(lower)}, as Kubernetes names must be`);
  return lower;
}
