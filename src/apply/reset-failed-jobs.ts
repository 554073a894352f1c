import type { ClusterClient } from '../cluster/types.js';
import type { Clock } from './clock.js';
import type { ObjectResult } from './types.js';

export interface ResetOptions {
  readonly clock: Clock;
  readonly deadline: number;
  readonly pollMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Before a failed phase is retried: its failed Jobs are deleted (with their pods) and waited
 * for until gone, so that applying them again runs them again. A Job is never changed in place.
 */
export async function resetFailedJobs(client: ClusterClient, objects: readonly ObjectResult[], opts: ResetOptions): Promise<void> {
  const failedJobs = objects.filter((o) => o.ref.kind === 'Job' && o.state === 'failed' && o.action !== 'failed');
  await Promise.all(
    failedJobs.map(async ({ ref }) => {
      const live = await client.get(ref);
      const uid = (live?.metadata as { uid?: string } | undefined)?.uid;
      if (!live || !uid) return;
      await client.delete(ref, { propagationPolicy: 'Background', uid });
      while (opts.clock.now() < opts.deadline && !opts.signal?.aborted) {
        const still = await client.get(ref);
        if ((still?.metadata as { uid?: string } | undefined)?.uid !== uid) return;
        await opts.clock.sleep(opts.pollMs, opts.signal);
      }
    }),
  );
}
