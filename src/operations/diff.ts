import type { ConnectOptions } from '../cluster/http-client.js';
import type { CompiledApp } from '../compile.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { diffApps } from '../cluster/diff-apps.js';
import type { AppDiff } from '../diff/types.js';
import { clusterTargets, connectTargets } from './cluster-targets.js';
import { loadAndCompile, type LoadOptions, type LoadResult } from './load-and-compile.js';

export interface DiffRunOptions extends LoadOptions, ConnectOptions {}

export interface DiffRunResult {
  readonly compiled: LoadResult;
  /** Undefined when the specs did not compile. */
  readonly apps?: AppDiff[];
  /** API requests sent. */
  readonly requests: number;
}

/**
 * `kubemin diff`: compile in memory, then compare every app with its cluster (`--context`, else
 * its environment's, else the current context: cluster-targets.ts).
 */
export async function diff(opts: DiffRunOptions): Promise<DiffRunResult> {
  const compiled = await loadAndCompile(opts);
  if (hasErrors(compiled.diagnostics) || compiled.fileCount === 0) return { compiled, requests: 0 };
  const targets = clusterTargets(compiled.apps, { ...(opts.context !== undefined ? { context: opts.context } : {}), verb: 'diff' });
  const { clients, close } = await connectTargets(targets, opts);
  try {
    const diffs = new Map<CompiledApp, AppDiff>();
    let requests = 0;
    for (const [i, target] of targets.entries()) {
      const client = clients[i]!;
      const found = await diffApps(target.apps, client, { concurrency: opts.concurrency });
      target.apps.forEach((app, j) => diffs.set(app, found[j]!));
      requests += client.requests;
    }
    return { compiled, apps: compiled.apps.map((app) => diffs.get(app)!), requests };
  } finally {
    close();
  }
}
