/**
 * Names of container resources in requests and limits, as the API server accepts them
 * (validateContainerResourceName): the standard ones, huge pages of a size, or an extended
 * resource named `<domain>/<name>` outside kubernetes.io (e.g. nvidia.com/gpu).
 */
import { checkLabelKey } from './names.js';
import { checkSize } from './quantity-value.js';
import { quote } from './quote.js';

const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;
export const HUGE_PAGES_PREFIX = 'hugepages-';

export type ResourceClass = 'standard' | 'huge-pages' | 'extended';

/** Which kind of resource a valid name is. */
export function resourceClass(name: string): ResourceClass {
  if (name.startsWith(HUGE_PAGES_PREFIX)) return 'huge-pages';
  return name.includes('/') ? 'extended' : 'standard';
}

export function checkContainerResourceName(s: string): string | undefined {
  const rule = `a container resource: ${STANDARD_RESOURCES.join(', ')}, ${HUGE_PAGES_PREFIX}<size> or an extended resource <domain>/<name> such as nvidia.com/gpu`;
  const fail = (problem: string): string => `${quote(s)} must be ${rule}; ${problem}`;
  if (s.startsWith(HUGE_PAGES_PREFIX)) {
    const size = s.slice(HUGE_PAGES_PREFIX.length);
    return checkSize(size) === undefined ? undefined : fail(`the page size ${quote(size)} is not a size such as 2Mi or 1Gi`);
  }
  if (!s.includes('/')) {
    if ((STANDARD_RESOURCES as readonly string[]).includes(s)) return undefined;
    return fail(`it is not a standard resource and has no domain${s === 'gpu' ? ' (try "nvidia.com/gpu")' : ''}`);
  }
  if (s.includes('kubernetes.io/')) return fail('the kubernetes.io domain is reserved for Kubernetes');
  if (s.startsWith('requests.')) return fail("it starts with 'requests.'");
  // Kubernetes checks `requests.<name>` as a label key (it names the quota of the resource).
  const problem = checkLabelKey(`requests.${s}`);
  return problem === undefined ? undefined : fail('it is not a valid <domain>/<name>');
}
