import type { PendingDiagnostic } from '../../expand/types.js';
import { compareQuantities, isWholeQuantity, wholeValue, exactQuantity } from '../../k8s/formats/quantity-value.js';
import { resourceClass, HUGE_PAGES_PREFIX } from '../../k8s/formats/resource-names.js';
import { joinPointer } from '../../load/json-pointer.js';
import { containersOf } from '../../spec/walk.js';
import type { ValidationRule } from '../rule.js';

interface ResourcesLike {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/**
 * What the API server requires of a container's requests and limits (validateResourceRequirements):
 * a request is at most its limit; extended resources (nvidia.com/gpu...) and huge pages cannot be
 * overcommitted, so they need a limit and a request equal to it; extended resources are counted
 * in whole units; huge pages come in multiples of their page size, next to cpu or memory.
 * The short form {cpu, memory, gpu} sets requests = limits and needs none of this.
 */
export const resourceAmounts: ValidationRule = {
  name: 'resource-amounts',
  description: 'Requests and limits of every container are what Kubernetes accepts: requests at most limits, whole GPUs, huge pages in pages.',
  reads: ['/spec/components/*/traits'],
  check(app, ctx) {
    const out: PendingDiagnostic[] = [];
    app.spec.components.forEach((c, i) => {
      for (const container of containersOf(c, `/spec/components/${i}`, ctx.tables.traits)) {
        const r = container.traits?.resources as ResourcesLike | undefined;
        if (r && (r.requests || r.limits)) out.push(...checkAmounts(r, joinPointer(container.pointer, 'traits', 'resources')));
      }
    });
    return out;
  },
};

function checkAmounts(r: ResourcesLike, pointer: string): PendingDiagnostic[] {
  const out: PendingDiagnostic[] = [];
  const requests = r.requests ?? {};
  const limits = r.limits ?? {};
  const error = (code: string, message: string, at: string, hint?: string): void =>
    void out.push({ severity: 'error', code, message, pointer: at, ...(hint ? { hint } : {}) });
  const names = [...new Set([...Object.keys(limits), ...Object.keys(requests)])];
  for (const name of names) {
    const request = requests[name];
    const limit = limits[name];
    const cls = resourceClass(name);
    const requestAt = joinPointer(pointer, 'requests', name);
    const limitAt = joinPointer(pointer, 'limits', name);
    if (cls === 'extended') {
      for (const [value, at] of [
        [request, requestAt],
        [limit, limitAt],
      ] as const) {
        if (value !== undefined && !isWholeQuantity(value)) {
          error('resource-not-whole', `${name} is counted in whole units, not ${JSON.stringify(value)}`, at, 'write a whole number, like "1" or "2"');
        }
      }
    }
    if (cls === 'huge-pages') {
      const page = wholeValue(name.slice(HUGE_PAGES_PREFIX.length));
      for (const [value, at] of [
        [request, requestAt],
        [limit, limitAt],
      ] as const) {
        if (value !== undefined && (exactQuantity(value).num === 0n || wholeValue(value) % page !== 0n)) {
          error('huge-pages', `${name} must be a whole number of ${name.slice(HUGE_PAGES_PREFIX.length)} pages, not ${JSON.stringify(value)}`, at);
        }
      }
    }
    if (cls === 'standard') {
      if (request !== undefined && limit !== undefined && compareQuantities(request, limit) > 0) {
        error('resource-requests-limits', `the ${name} request (${request}) is above its limit (${limit})`, requestAt, 'raise the limit or lower the request');
      }
      continue;
    }
    // Extended resources and huge pages cannot be overcommitted.
    const kind = cls === 'extended' ? 'extended resources' : 'huge pages';
    if (limit === undefined) {
      error(
        'resource-requests-limits',
        `${name} is requested without a limit; ${kind} cannot be overcommitted, so Kubernetes needs the limit`,
        requestAt,
        `set limits.${name} to the same amount (or only the limit: the request defaults to it)`,
      );
    } else if (request !== undefined && compareQuantities(request, limit) !== 0) {
      error(
        'resource-requests-limits',
        `${name} requests (${request}) and limits (${limit}) differ; ${kind} cannot be overcommitted`,
        limitAt,
        'set them equal, or set only the limit',
      );
    }
  }
  const hugePages = names.some((n) => resourceClass(n) === 'huge-pages');
  const cpuOrMemory = names.some((n) => n === 'cpu' || n === 'memory');
  if (hugePages && !cpuOrMemory) {
    error('huge-pages', 'huge pages need a cpu or memory request or limit beside them', pointer, 'add limits.memory (or cpu)');
  }
  return out;
}
