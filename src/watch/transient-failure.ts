import type { AppApplyResult } from '../apply/types.js';

/**
 * Reasons an object failed that say nothing about the bundle: the API server was unreachable or
 * slow (a restart, an upgrade), or refused credentials that are renewed by now. An apply that
 * failed only for these is applied again at the next round, though its bundle did not change.
 */
const TRANSIENT_REASONS: ReadonlySet<string> = new Set(['Unavailable', 'Timeout', 'Unauthorized']);

export function failedForTransientReasons(result: AppApplyResult): boolean {
  if (result.outcome !== 'failed') return false;
  const failedPhase = result.phases.find((p) => p.outcome === 'failed');
  const failed = failedPhase?.objects.filter((o) => o.action === 'failed' || o.state === 'failed') ?? [];
  return failed.length > 0 && failed.every((o) => o.reason !== undefined && TRANSIENT_REASONS.has(o.reason));
}
